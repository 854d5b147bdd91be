package io.deepclass.ij.cells;

import java.util.ArrayList;
import java.util.List;

import ij.gui.Roi;

/**
 * Where a cell's label lives: in its ROI, so that saving the ROI set (ROI Manager > More > Save)
 * saves the labels and opening it again brings them back. Two places, both written: the ROI's
 * group (class number + 1, which the ROI Manager shows and colours, and Import Dataset's "by
 * group" reads) and the ROI property {@value #PROPERTY} holding the class name (group names are
 * ImageJ preferences, not saved with the ROIs; the property is). Reading prefers the property,
 * then the group's name, then "group N".
 * <p>
 * A ROI set written by a classification ({@link CellFolderClassification}) carries predictions,
 * not labels: the predicted class in {@value #PREDICTION} (with {@value #CONFIDENCE}) and in the
 * group, so that the ROI Manager colours the classes. A group beside a {@value #PREDICTION}
 * property is therefore not read as a label; the {@value #PROPERTY} property still is.
 */
public final class CellLabels {

	/** The ROI property holding the class name of a labelled cell. */
	public static final String PROPERTY = "DeepClass_class";

	/** The ROI property holding the class a classification predicted for a cell. */
	public static final String PREDICTION = "DeepClass_prediction";

	/** The ROI property holding the predicted class's probability, e.g. "0.973". */
	public static final String CONFIDENCE = "DeepClass_confidence";

	private CellLabels() {}

	/** The class name a ROI carries, or null when it is not labelled. */
	public static String read(final Roi roi) {
		final String property = roi.getProperty(PROPERTY);
		if (property != null && !property.isBlank()) return property.trim();
		if (roi.getProperty(PREDICTION) != null) return null;
		final int group = roi.getGroup();
		if (group <= 0) return null;
		final String name = Roi.getGroupName(group);
		return name != null && !name.isBlank() ? name.trim() : "group " + group;
	}

	/**
	 * The class names the ROIs carry, {@code known} first (in their order), then new ones in the
	 * order they are first met.
	 */
	public static List<String> classes(final Roi[] rois, final List<String> known) {
		final List<String> names = new ArrayList<>(known);
		for (final Roi roi : rois) {
			final String name = read(roi);
			if (name != null && names.stream().noneMatch(n -> n.equalsIgnoreCase(name))) names.add(name);
		}
		return names;
	}

	/** Labels {@code roi} with class {@code index} named {@code name}; index -1 takes it away. */
	public static void write(final Roi roi, final int index, final String name) {
		if (index < 0) {
			roi.setProperty(PROPERTY, null);
			roi.setGroup(0);
			return;
		}
		roi.setProperty(PROPERTY, name);
		// ImageJ has 255 groups
		roi.setGroup(Math.min(255, index + 1));
	}

	/**
	 * Marks {@code roi} with the class {@code index} ({@code name}) predicted with
	 * {@code confidence}: properties {@value #PREDICTION} and {@value #CONFIDENCE}, and the group
	 * (class + 1). A label it carried stays in {@value #PROPERTY}, where it is still read.
	 */
	public static void writePrediction(final Roi roi, final int index, final String name,
		final float confidence)
	{
		final String label = read(roi);
		if (label != null) roi.setProperty(PROPERTY, label);
		roi.setProperty(PREDICTION, name);
		roi.setProperty(CONFIDENCE, String.format(java.util.Locale.ROOT, "%.4f", confidence));
		roi.setGroup(Math.min(255, index + 1));
	}

	/** Names ImageJ's ROI groups 1, 2, ... after the classes (shown by the ROI Manager). */
	public static void nameGroups(final List<String> classNames) {
		final StringBuilder csv = new StringBuilder();
		for (int c = 0; c < Math.min(255, classNames.size()); c++)
			csv.append(c == 0 ? "" : ",").append(classNames.get(c).replace(',', ' '));
		Roi.setGroupNames(csv.toString());
	}
}
