package io.deepclass.core.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Builds a dataset from images that each carry a text label, such as the slices of an ImageJ
 * stack whose slice labels name the class, or ROIs named by class. The class is taken from the
 * label by a regular expression: its first group if it has one, else the whole match. Classes
 * are numbered in order of first appearance; unmatched labels are skipped and reported.
 */
public final class LabelledImagesReader {

	/**
	 * Default pattern: the text before the first '/' (DeepClass writes slice labels as
	 * "class/source"), or the whole label when it has no '/'.
	 */
	public static final String DEFAULT_PATTERN = "^([^/]+)";

	/** One image with its label and source id. */
	public record LabelledImage(DecodedImage image, String label, String source) {}

	private LabelledImagesReader() {}

	/**
	 * @param target shape to convert the images to, or null to keep the first image's
	 * @param what names the input in messages, e.g. "stack 'cells.tif'"
	 */
	public static ImportResult read(final List<LabelledImage> items, final String pattern,
		final ImageShape target, final String what)
	{
		final Pattern compiled = compile(pattern);
		final Map<String, Integer> classes = new LinkedHashMap<>();
		final List<Integer> labels = new ArrayList<>();
		for (final LabelledImage item : items) {
			final String name = classOf(compiled, item.label());
			labels.add(name == null ? -1 : classes.computeIfAbsent(name, k -> classes.size()));
		}
		final LabelledImageCollector collector = new LabelledImageCollector(new ArrayList<>(classes
			.keySet()), target);
		for (int i = 0; i < items.size(); i++) {
			final LabelledImage item = items.get(i);
			if (labels.get(i) < 0) collector.skip(item.source(), "label '" + item.label() +
				"' does not match the class pattern " + pattern);
			else collector.add(item.image(), labels.get(i), item.source());
		}
		return collector.finish(what);
	}

	/** The class named by {@code label}, or null when the pattern does not match. */
	public static String classOf(final Pattern pattern, final String label) {
		if (label == null) return null;
		final Matcher m = pattern.matcher(label);
		if (!m.find()) return null;
		final String name = (m.groupCount() >= 1 && m.group(1) != null ? m.group(1) : m.group())
			.trim();
		return name.isEmpty() ? null : name;
	}

	private static Pattern compile(final String pattern) {
		try {
			return Pattern.compile(pattern);
		}
		catch (final PatternSyntaxException e) {
			throw new DatasetException("the class pattern '" + pattern + "' is not a valid regular " +
				"expression (" + e.getDescription() + "). Use e.g. " + DEFAULT_PATTERN +
				" to take the text before the first '/'.");
		}
	}
}
