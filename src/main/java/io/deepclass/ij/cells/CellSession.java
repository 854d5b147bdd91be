package io.deepclass.ij.cells;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;

import ij.ImagePlus;
import ij.gui.Roi;

import io.deepclass.core.DeepClassException;
import io.deepclass.core.bundle.ModelBundle;
import io.deepclass.core.bundle.ModelFiles;
import io.deepclass.core.cells.CellLoop;
import io.deepclass.core.cells.CellModel;
import io.deepclass.core.cells.CellRound;
import io.deepclass.core.data.Dataset;
import io.deepclass.core.data.ImportResult;
import io.deepclass.ij.display.ClassOverlays;
import io.deepclass.ij.input.ImageInputs;
import io.deepclass.ij.input.ImageSamples;

/**
 * One image's cells in the interactive loop: its ROIs (whose groups and properties hold the
 * labels, see {@link CellLabels}), their patches, the {@link CellLoop}, the class colours, and
 * the overlay that shows what the head predicts. No window code: the panel and the headless
 * tests drive it alike.
 */
public final class CellSession {

	private final ImagePlus imp;

	private final Roi[] rois;

	private final CellLoop loop;

	private final List<Color> colors = new ArrayList<>();

	private final int[] channels;

	private double lastSeconds;

	/**
	 * Reads every ROI's patch and label, and computes every cell's input once.
	 *
	 * @param channels the image's channels to use (1-based; null: all)
	 * @param patchSize square patch side around each ROI (0: its bounding box)
	 * @param classes class names to start with (more come from labelled ROIs)
	 * @return the session, or null when cancelled
	 */
	public static CellSession open(final ImagePlus imp, final Roi[] rois, final CellModel model,
		final int[] channels, final int patchSize, final List<String> classes, final long seed,
		final IntConsumer done, final BooleanSupplier cancel)
	{
		if (rois.length == 0) throw new DeepClassException("image '" + imp.getTitle() + "' has no " +
			"ROIs: segment the cells first (e.g. Analyze Particles with 'Add to Manager', StarDist).");
		final List<String> names = CellLabels.classes(rois, classes);
		final ImportResult patches = ImageInputs.roiPatches(imp, rois, names, patchSize, model
			.patchShape(), new ImageSamples.Options(channels, false));
		if (patches.dataset().size() != rois.length) throw new DeepClassException("only " + patches
			.dataset().size() + " of the " + rois.length + " ROIs of '" + imp.getTitle() + "' gave a " +
			"patch (" + patches.report().skipped().stream().map(s -> s.reason()).findFirst().orElse("") +
			"); remove the others from the ROI Manager.");
		final Dataset labelled = labelled(patches.dataset(), rois, names);
		final CellLoop loop = CellLoop.start(model, labelled, names, seed, done, cancel);
		return loop == null ? null : new CellSession(imp, rois, loop, channels);
	}

	private static Dataset labelled(final Dataset patches, final Roi[] rois,
		final List<String> names)
	{
		final int[] labels = new int[rois.length];
		for (int i = 0; i < rois.length; i++) {
			final String name = CellLabels.read(rois[i]);
			labels[i] = -1;
			for (int c = 0; name != null && c < names.size(); c++)
				if (names.get(c).equalsIgnoreCase(name)) labels[i] = c;
		}
		final String[] sources = new String[rois.length];
		Arrays.setAll(sources, patches::source);
		return new Dataset(patches.shape(), names, patches.images(), labels, sources);
	}

	private CellSession(final ImagePlus imp, final Roi[] rois, final CellLoop loop,
		final int[] channels)
	{
		this.imp = imp;
		this.rois = rois;
		this.loop = loop;
		this.channels = channels;
		for (int c = 0; c < loop.classNames().size(); c++)
			colors.add(ClassOverlays.color(c));
		CellLabels.nameGroups(loop.classNames());
	}

	public ImagePlus image() {
		return imp;
	}

	public Roi[] rois() {
		return rois;
	}

	public CellLoop loop() {
		return loop;
	}

	public List<String> classNames() {
		return loop.classNames();
	}

	public Color color(final int classIndex) {
		return colors.get(classIndex);
	}

	public void setColor(final int classIndex, final Color color) {
		colors.set(classIndex, color);
		redraw();
	}

	public int addClass(final String name) {
		final int index = loop.addClass(name);
		colors.add(ClassOverlays.color(index));
		CellLabels.nameGroups(loop.classNames());
		return index;
	}

	/** Renames a class, and the labels of its ROIs with it. */
	public void renameClass(final int index, final String name) {
		loop.renameClass(index, name);
		for (int i = 0; i < rois.length; i++)
			if (loop.label(i) == index) CellLabels.write(rois[i], index, loop.classNames().get(index));
		CellLabels.nameGroups(loop.classNames());
		redraw();
	}

	/** Labels cells (ROI indices) with a class (-1: takes their labels away), in loop and ROIs. */
	public void label(final int[] cells, final int classIndex) {
		for (final int cell : cells) {
			loop.label(cell, classIndex);
			CellLabels.write(rois[cell], classIndex, classIndex < 0 ? null : loop.classNames().get(
				classIndex));
		}
	}

	/** How many cells carry each class's label. */
	public int[] labelCounts() {
		final int[] counts = new int[loop.classNames().size()];
		for (final int cell : loop.labelled())
			counts[loop.label(cell)]++;
		return counts;
	}

	/** Retrains the head and recolours every ROI; returns the round. */
	public CellRound retrain() {
		final long start = System.nanoTime();
		final CellRound round = loop.retrain();
		redraw();
		lastSeconds = (System.nanoTime() - start) / 1e9;
		return round;
	}

	/** Seconds the last {@link #retrain} took, retraining and recolouring together. */
	public double lastSeconds() {
		return lastSeconds;
	}

	/** Draws the overlay from the labels and the last round's predictions. */
	public void redraw() {
		final int[] labels = new int[rois.length];
		for (int i = 0; i < rois.length; i++)
			labels[i] = loop.label(i);
		final CellRound round = loop.last() != null && loop.last().classNames().size() == loop
			.classNames().size() ? loop.last() : null;
		CellOverlay.draw(imp, rois, labels, round, colors);
	}

	/** The model as a DeepClass model file (atomically written), with this image's channel choice. */
	public ModelBundle saveModel(final Path file) throws IOException {
		final ModelBundle bundle = loop.bundle();
		final List<String> channelNames = null;
		final ModelBundle withChannels = channels == null ? bundle : new ModelBundle(bundle.network(),
			bundle.info().withInputSelection(channels, false, channelNames));
		ModelFiles.save(withChannels, file);
		return withChannels;
	}

	/**
	 * Writes every ROI, labels included, as an ImageJ ROI set (.zip) that the ROI Manager opens,
	 * written to a temporary file first and renamed only when complete.
	 */
	public void saveRois(final Path file) throws IOException {
		RoiSets.write(rois, file);
	}
}
