package io.deepclass.core.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * A stratified, seeded split into training and validation parts: each class contributes the
 * same fraction to validation (at least one image where the class has two or more), so small
 * classes are not left out of either part.
 */
public record DatasetSplit(Dataset train, Dataset validation) {

	public static DatasetSplit stratified(final Dataset dataset, final double validationFraction,
		final long seed)
	{
		if (!(validationFraction > 0 && validationFraction < 1))
			throw new IllegalArgumentException("validation fraction must be between 0 and 1 " +
				"(exclusive), not " + validationFraction);
		final Random random = new Random(seed);
		final List<List<Integer>> byClass = new ArrayList<>();
		for (int c = 0; c < dataset.numClasses(); c++)
			byClass.add(new ArrayList<>());
		for (int i = 0; i < dataset.size(); i++)
			if (dataset.label(i) >= 0) byClass.get(dataset.label(i)).add(i);
		final List<Integer> train = new ArrayList<>();
		final List<Integer> validation = new ArrayList<>();
		for (final List<Integer> members : byClass) {
			Collections.shuffle(members, random);
			int nVal = (int) Math.round(members.size() * validationFraction);
			if (members.size() >= 2) nVal = Math.max(1, Math.min(nVal, members.size() - 1));
			else nVal = 0;
			validation.addAll(members.subList(0, nVal));
			train.addAll(members.subList(nVal, members.size()));
		}
		train.sort(null);
		validation.sort(null);
		return new DatasetSplit(dataset.subset(toArray(train)), dataset.subset(toArray(validation)));
	}

	private static int[] toArray(final List<Integer> list) {
		return list.stream().mapToInt(Integer::intValue).toArray();
	}
}
