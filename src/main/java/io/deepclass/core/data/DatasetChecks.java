package io.deepclass.core.data;

import java.util.ArrayList;
import java.util.List;

/** Checks that a labelled dataset can train a classifier, with messages that say what to fix. */
public final class DatasetChecks {

	private DatasetChecks() {}

	/** Throws a {@link DatasetException} unless there are two or more classes, none empty. */
	public static void checkTrainable(final List<String> classNames, final int[] counts,
		final String what)
	{
		if (classNames.size() < 2)
			throw new DatasetException(what + " has a single class" + (classNames.isEmpty() ? ""
				: " ('" + classNames.get(0) + "')") + "; a classifier needs at least two. Add a " +
				"sub-folder (or slice label) for each other class.");
		final List<String> empty = new ArrayList<>();
		for (int c = 0; c < counts.length; c++)
			if (counts[c] == 0) empty.add(classNames.get(c));
		if (!empty.isEmpty())
			throw new DatasetException(what + ": class " + String.join(", ", empty) +
				(empty.size() == 1 ? " has" : " have") + " no readable images. Add images to it or " +
				"remove it.");
	}

	/** As {@link #checkTrainable(List, int[], String)} for a whole dataset. */
	public static void checkTrainable(final Dataset dataset, final String what) {
		if (dataset.size() == 0)
			throw new DatasetException(what + " holds no images.");
		checkTrainable(dataset.classNames(), dataset.classCounts(), what);
	}
}
