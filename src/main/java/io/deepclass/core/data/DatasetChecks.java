package io.deepclass.core.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

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

	/** Classes with fewer images than this are named in a warning. */
	public static final int FEW_IMAGES = 20;

	/** Per-image intensity ranges that differ by more than this factor are warned about. */
	public static final double RANGE_FACTOR = 10;

	/**
	 * What in {@code dataset} trains a worse model unless handled, each with the fix: bit depths
	 * that differ, intensity ranges that differ by more than {@link #RANGE_FACTOR} (5th to 95th
	 * percentile of the images' maxima), classes with fewer than {@link #FEW_IMAGES} images, and
	 * classes more than 3 times larger than others. Empty when nothing is suspicious.
	 */
	public static List<String> warnings(final Dataset dataset) {
		final List<String> warnings = new ArrayList<>();
		final TreeMap<Integer, Integer> depths = new TreeMap<>();
		final float[] maxima = new float[dataset.size()];
		final float[] pixels = new float[dataset.shape().size()];
		for (int i = 0; i < dataset.size(); i++) {
			if (dataset.bitDepth(i) > 0) depths.merge(dataset.bitDepth(i), 1, Integer::sum);
			dataset.images().copyTo(i, pixels, 0);
			float max = -Float.MAX_VALUE;
			for (final float v : pixels)
				max = Math.max(max, v);
			maxima[i] = max;
		}
		if (depths.size() > 1) {
			final List<String> parts = new ArrayList<>();
			depths.forEach((depth, n) -> parts.add((depth == 24 ? "RGB" : depth + "-bit") + " (" + n +
				(n == 1 ? " image)" : " images)")));
			warnings.add("bit depths differ: " + String.join(", ", parts) + ". With normalization=" +
				"dataset or none the images of the larger range swamp the others; train with " +
				"normalization=percentile (the default for microscopy) or [bit depth].");
		}
		if (maxima.length >= 2) {
			final float[] sorted = maxima.clone();
			Arrays.sort(sorted);
			final float low = Math.max(Normalization.percentile(sorted, 5), 0);
			final float high = Normalization.percentile(sorted, 95);
			if (high > RANGE_FACTOR * Math.max(low, 1e-6f))
				warnings.add(String.format(Locale.ROOT, "image intensity ranges differ by a " +
					"factor of %.0f (brightest pixel per image: %.4g at the 5th percentile of images, " +
					"%.4g at the 95th). Train with normalization=percentile, which scales each image " +
					"to its own range.", high / Math.max(low, 1e-6f), low, high));
		}
		final int[] counts = dataset.classCounts();
		final List<String> few = new ArrayList<>();
		int largest = 0, smallest = Integer.MAX_VALUE;
		for (int c = 0; c < counts.length; c++) {
			if (counts[c] > 0 && counts[c] < FEW_IMAGES) few.add("'" + dataset.classNames().get(c) +
				"' (" + counts[c] + ")");
			if (counts[c] > 0) {
				largest = Math.max(largest, counts[c]);
				smallest = Math.min(smallest, counts[c]);
			}
		}
		if (!few.isEmpty()) warnings.add((few.size() == 1 ? "class " : "classes ") + String.join(
			", ", few) + (few.size() == 1 ? " has" : " have") + " fewer than " + FEW_IMAGES +
			" images: the model will know " + (few.size() == 1 ? "it" : "them") + " poorly. Label more " +
			"images, or use augmentation or a pretrained backbone.");
		if (smallest < Integer.MAX_VALUE && largest > 3 * smallest)
			warnings.add("classes are imbalanced (" + largest + " against " + smallest + " images): " +
				"train with class_weights=balanced so that small classes count as much as large ones.");
		return warnings;
	}
}
