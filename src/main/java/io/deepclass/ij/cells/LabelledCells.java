package io.deepclass.ij.cells;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import ij.ImagePlus;
import ij.gui.Roi;

import io.deepclass.core.DeepClassException;
import io.deepclass.core.data.ImageShape;
import io.deepclass.core.data.ImportReport;
import io.deepclass.core.data.ImportResult;
import io.deepclass.core.data.LabelledImageCollector;
import io.deepclass.core.data.LabelledImagesReader;
import io.deepclass.ij.input.ImageInputs;
import io.deepclass.ij.input.ImageSamples;

/**
 * A labelled dataset from the labelled cells of a folder of images with their ROI sets (see
 * {@link CellImageFolder}): one patch per labelled ROI, taken as the interactive panel takes it
 * ({@link ImageInputs#patch}: same patch size, channels, and the plane of the ROI's position).
 * <p>
 * A ROI's label: its {@value CellLabels#PROPERTY} property (what the panel writes), else its
 * group (the group's name, "group N" when unnamed; not when the set was written by a
 * classification, see {@link CellLabels}), else, with {@code byName}, its name through the class
 * pattern, when that class is shared by at least two ROIs and holds a letter: a name only one ROI
 * has, or a number ("0001-0123-0456" from Analyze Particles), identifies a cell, it does not
 * classify it. Other ROIs are unlabelled and left out, and counted.
 */
public final class LabelledCells {

	private LabelledCells() {}

	/**
	 * @param target the shape patches are converted to (null: the first patch's)
	 * @throws DeepClassException when a ROI set or image cannot be read, or fewer than two
	 *           classes have labelled cells
	 */
	public static ImportResult read(final Path folder, final boolean byName,
		final String classPattern, final int patchSize, final ImageShape target,
		final ImageSamples.Options options)
	{
		final CellImageFolder.Listing listing = CellImageFolder.list(folder);
		final List<CellImageFolder.Pair> pairs = listing.withRois();
		final List<Roi[]> sets = CellImageFolder.readRois(pairs);
		final List<String[]> labels = labels(sets, byName ? compile(classPattern) : null);
		// classes in alphabetical order, as class folders are: the same model whatever the ROI order
		final java.util.TreeSet<String> sorted = new java.util.TreeSet<>();
		int labelled = 0;
		for (final String[] set : labels)
			for (final String label : set)
				if (label != null) {
					sorted.add(label);
					labelled++;
				}
		final Map<String, Integer> classes = new LinkedHashMap<>();
		for (final String name : sorted)
			classes.put(name, classes.size());
		final LabelledImageCollector collector = new LabelledImageCollector(new ArrayList<>(classes
			.keySet()), target).expect(labelled);
		int unlabelled = 0, unplaced = 0;
		for (int p = 0; p < pairs.size(); p++) {
			final ImagePlus imp = CellImageFolder.open(pairs.get(p));
			final Roi[] rois = sets.get(p);
			for (int i = 0; i < rois.length; i++) {
				final String label = labels.get(p)[i];
				if (label == null) {
					unlabelled++;
					continue;
				}
				if (ImageInputs.unplaced(imp, rois[i])) unplaced++;
				collector.add(ImageInputs.patch(imp, rois[i], patchSize, options), classes.get(label),
					source(pairs.get(p), rois[i], i));
			}
		}
		for (final CellImageFolder.Pair pair : listing.pairs())
			if (pair.rois() == null) collector.skip(pair.name(), "no ROI set beside it");
		final ImportResult result = collector.finish("the labelled ROIs of '" + folder + "'");
		final List<String> notes = new ArrayList<>(listing.notes());
		notes.add(labelled + " labelled ROIs of " + pairs.size() + " images imported, " + unlabelled +
			" unlabelled ROIs left out (label them, or give them a " + CellLabels.PROPERTY +
			" property or a group).");
		if (unplaced > 0) notes.add(unplaced + " labelled ROIs on stacks have no position; their " +
			"patches come from each image's first plane. Add them to the ROI Manager on their plane.");
		notes.addAll(result.report().warnings());
		final ImportReport report = result.report();
		return new ImportResult(result.dataset(), new ImportReport(report.classNames(), report
			.classCounts(), report.skipped(), notes));
	}

	/** "cells1.tif ROI 3 name": where a patch came from. */
	static String source(final CellImageFolder.Pair pair, final Roi roi, final int index) {
		return pair.name() + " ROI " + (index + 1) + (roi.getName() != null ? " " + roi.getName()
			: "");
	}

	/** Each ROI's label (null: unlabelled), by the rule of the class comment. */
	static List<String[]> labels(final List<Roi[]> sets, final Pattern byName) {
		final List<String[]> labels = new ArrayList<>();
		final Map<String, Integer> nameCounts = new HashMap<>();
		for (final Roi[] rois : sets) {
			final String[] set = new String[rois.length];
			for (int i = 0; i < rois.length; i++) {
				set[i] = CellLabels.read(rois[i]);
				if (set[i] == null && byName != null) {
					final String name = LabelledImagesReader.classOf(byName, rois[i].getName());
					if (name != null && name.chars().anyMatch(Character::isLetter)) {
						set[i] = "\0" + name;
						nameCounts.merge(name, 1, Integer::sum);
					}
				}
			}
			labels.add(set);
		}
		for (final String[] set : labels)
			for (int i = 0; i < set.length; i++)
				if (set[i] != null && set[i].startsWith("\0")) {
					final String name = set[i].substring(1);
					set[i] = nameCounts.get(name) >= 2 ? name : null;
				}
		return labels;
	}

	private static Pattern compile(final String pattern) {
		try {
			return Pattern.compile(pattern == null || pattern.isBlank() ? LabelledImagesReader
				.DEFAULT_PATTERN : pattern);
		}
		catch (final PatternSyntaxException e) {
			throw new DeepClassException("the class pattern '" + pattern + "' is not a " +
				"valid regular expression (" + e.getDescription() + "); use e.g. " +
				LabelledImagesReader.DEFAULT_PATTERN + ".", e);
		}
	}
}
