package io.deepclass.core.predict;

import java.util.ArrayList;
import java.util.List;

/**
 * The columns of DeepClass's classification results, defined once for the "DeepClass Results"
 * table and the results CSV: source, slice, roi, class, confidence, p_&lt;class&gt; per class,
 * then, when the truth is known, true_class and correct.
 */
public final class ResultColumns {

	private ResultColumns() {}

	/** The column names for a model's classes. */
	public static List<String> header(final List<String> classNames, final boolean truth) {
		final List<String> header = new ArrayList<>(List.of("source", "slice", "roi", "class",
			"confidence"));
		for (final String name : classNames)
			header.add("p_" + name);
		if (truth) header.addAll(List.of("true_class", "correct"));
		return header;
	}

	/**
	 * One row's values in {@link #header}'s order: text as String, slice and ROI numbers (0: none)
	 * as Integer, confidence and probabilities as Float; with {@code truth}, the true class ("" when
	 * {@code trueClass} is null) and whether the prediction is right (1 or 0; null when the true
	 * class is unknown).
	 */
	public static List<Object> values(final String source, final int slice, final int roi,
		final String predictedClass, final float confidence, final float[] probabilities,
		final boolean truth, final String trueClass)
	{
		final List<Object> values = new ArrayList<>(List.of(source, slice, roi, predictedClass,
			confidence));
		for (final float p : probabilities)
			values.add(p);
		if (truth) {
			values.add(trueClass == null ? "" : trueClass);
			values.add(trueClass == null ? null : trueClass.equals(predictedClass) ? 1 : 0);
		}
		return values;
	}
}
