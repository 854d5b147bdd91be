package io.deepclass.ij.input;

import java.awt.GraphicsEnvironment;
import java.awt.Rectangle;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.Overlay;
import ij.gui.Roi;
import ij.plugin.frame.RoiManager;
import ij.process.ImageProcessor;

import io.deepclass.core.DeepClassException;
import io.deepclass.core.bundle.ModelInfo;
import io.deepclass.core.data.DatasetException;
import io.deepclass.core.data.DecodedImage;
import io.deepclass.core.data.FolderReader;
import io.deepclass.core.data.ImageShape;
import io.deepclass.core.data.ImportResult;
import io.deepclass.core.data.LabelledImageCollector;
import io.deepclass.core.data.LabelledImagesReader.LabelledImage;
import io.deepclass.core.data.LabelledImagesReader;

/** Turns open images, their slices and their ROIs into datasets. */
public final class ImageInputs {

	private ImageInputs() {}

	/**
	 * Images of unknown class from {@code imp}: every slice, or only the current one.
	 *
	 * @param convert whether images of another size or channel count are converted to
	 *          {@code target} or refused with a message
	 */
	public static ImportResult slices(final ImagePlus imp, final boolean allSlices,
		final List<String> classNames, final ImageShape target, final boolean convert,
		final ImageSamples.Options options)
	{
		final LabelledImageCollector collector = new LabelledImageCollector(classNames, target)
			.convert(convert);
		for (final ImageSamples.Sample sample : ImageSamples.of(imp, options, !allSlices))
			collector.add(sample.image(), -1, sample.source());
		return collector.finishUnlabelled("image '" + imp.getTitle() + "'");
	}

	/** "title:slice" for stacks, the title for single images. */
	public static String source(final ImagePlus imp, final int slice) {
		return imp.getStackSize() > 1 ? imp.getTitle() + ":" + slice : imp.getTitle();
	}

	/**
	 * The ROIs of {@code imp}: those of the ROI Manager when it holds any, else the area ROIs
	 * of the image's overlay (the only place for ROIs headless).
	 */
	public static Roi[] rois(final ImagePlus imp) {
		// headless there is no ROI Manager (it is a window; asking for it in batch mode makes one)
		final RoiManager manager = GraphicsEnvironment.isHeadless() ? null : RoiManager
			.getInstance();
		if (manager != null && manager.getCount() > 0) return manager.getRoisAsArray();
		final Overlay overlay = imp.getOverlay();
		if (overlay != null && overlay.size() > 0) {
			final List<Roi> rois = new ArrayList<>();
			for (final Roi roi : overlay.toArray())
				if (roi.isArea()) rois.add(roi);
			if (!rois.isEmpty()) return rois.toArray(Roi[]::new);
		}
		throw new DatasetException("image '" + imp.getTitle() + "' has no ROIs. Add ROIs to the " +
			"ROI Manager (or to the image's overlay), named by class for training.");
	}

	/**
	 * A square patch around each ROI: {@code patchSize} pixels wide centred on the ROI, or its
	 * bounding box when {@code patchSize} is 0. Pixels outside the image repeat the border. The
	 * plane is the ROI's position (see {@link #plane}); the patch holds every channel the options
	 * keep, whatever channel the ROI sits on.
	 */
	public static DecodedImage patch(final ImagePlus imp, final Roi roi, final int patchSize,
		final ImageSamples.Options options)
	{
		final int[] zt = plane(imp, roi);
		return ImageSamples.patch(imp, zt[0], zt[1], patchBounds(roi, patchSize), options.channels());
	}

	/**
	 * The plane a ROI's patch comes from, as {Z, T} of a hyperstack or {slice, 1} of a plain
	 * stack: the ROI's position (Z and T of a hyperstack position, or a plain stack position,
	 * which on a hyperstack is converted to its Z and T); a dimension the ROI does not fix (0, or
	 * outside the image) is the image's current one. Its channel is ignored (see {@link #patch}).
	 */
	public static int[] plane(final ImagePlus imp, final Roi roi) {
		final int n = roi.getPosition();
		final boolean indexed = n > 0 && n <= imp.getStackSize();
		if (ImageSamples.isMultiDimensional(imp)) {
			// ImageJ reports a plain position as the Z of a ROI without a hyperstack position
			int z = roi.hasHyperStackPosition() ? roi.getZPosition() : 0;
			int t = roi.hasHyperStackPosition() ? roi.getTPosition() : 0;
			if (!roi.hasHyperStackPosition() && indexed) {
				final int[] czt = imp.convertIndexToPosition(n);
				z = czt[1];
				t = czt[2];
			}
			return new int[] { z > 0 && z <= imp.getNSlices() ? z : imp.getSlice(), t > 0 && t <= imp
				.getNFrames() ? t : imp.getFrame() };
		}
		final int hyper = roi.hasHyperStackPosition() ? Math.max(roi.getZPosition(), roi
			.getTPosition()) : 0;
		return new int[] { indexed ? n : hyper > 0 && hyper <= imp.getStackSize() ? hyper : imp
			.getCurrentSlice(), 1 };
	}

	/** Whether a ROI on a stack has no position of its own, so its patch is the current plane's. */
	public static boolean unplaced(final ImagePlus imp, final Roi roi) {
		return imp.getNSlices() * imp.getNFrames() > 1 && roi.getPosition() <= 0 && (!roi
			.hasHyperStackPosition() || roi.getZPosition() <= 0 && roi.getTPosition() <= 0);
	}

	/** Where {@link #patch} takes its pixels from (may reach outside the image). */
	public static Rectangle patchBounds(final Roi roi, final int patchSize) {
		final Rectangle b = roi.getBounds();
		final int w = patchSize > 0 ? patchSize : Math.max(1, b.width);
		final int h = patchSize > 0 ? patchSize : Math.max(1, b.height);
		return new Rectangle(patchSize > 0 ? b.x + b.width / 2 - w / 2 : b.x, patchSize > 0
			? b.y + b.height / 2 - h / 2 : b.y, w, h);
	}

	/** The class text of a ROI: its name, or its group's name ("group N" when unnamed). */
	public static String roiClassText(final Roi roi, final boolean byGroup) {
		if (!byGroup) return roi.getName();
		final int group = roi.getGroup();
		if (group <= 0) return null;
		final String name = Roi.getGroupName(group);
		return name != null && !name.isBlank() ? name : "group " + group;
	}

	/** A labelled dataset from the ROIs of {@code imp}, one patch per ROI. */
	public static ImportResult labelledRois(final ImagePlus imp, final boolean byGroup,
		final String classPattern, final int patchSize, final ImageShape target,
		final ImageSamples.Options options)
	{
		final List<LabelledImage> items = new ArrayList<>();
		final Roi[] rois = rois(imp);
		for (int i = 0; i < rois.length; i++)
			items.add(new LabelledImage(patch(imp, rois[i], patchSize, options), roiClassText(rois[i], byGroup),
				roiSource(imp, rois[i], i)));
		return LabelledImagesReader.read(items, classPattern, target, "the ROIs of '" + imp
			.getTitle() + "'");
	}

	/** Patches of all ROIs as images of unknown class, converted to {@code target}. */
	public static ImportResult roiPatches(final ImagePlus imp, final Roi[] rois,
		final List<String> classNames, final int patchSize, final ImageShape target,
		final ImageSamples.Options options)
	{
		final LabelledImageCollector collector = new LabelledImageCollector(classNames, target);
		for (int i = 0; i < rois.length; i++)
			collector.add(patch(imp, rois[i], patchSize, options), -1, roiSource(imp, rois[i], i));
		return collector.finishUnlabelled("the ROIs of '" + imp.getTitle() + "'");
	}

	static String roiSource(final ImagePlus imp, final Roi roi, final int index) {
		return imp.getTitle() + " ROI " + (index + 1) + (roi.getName() != null ? " " + roi.getName()
			: "");
	}

	/**
	 * Images of an open image to classify with a model, with the ROIs or slice numbers they come
	 * from (null where none).
	 */
	public record ForModel(ImportResult result, Roi[] rois, int[] slices) {

		/** The ROIs' numbers, from 1, or null. */
		public int[] roiNumbers() {
			return rois == null ? null : IntStream.rangeClosed(1, rois.length).toArray();
		}
	}

	/**
	 * Every slice of {@code imp} (a dataset stack with its true classes), or only the current one,
	 * as a model takes them.
	 */
	public static ForModel slicesForModel(final ImagePlus imp, final boolean allSlices,
		final ModelInfo info, final boolean resize)
	{
		final ImportResult truth = allSlices ? DatasetStacks.withTruth(imp, info.inputShape(),
			resize) : null;
		final ImageSamples.Options options = DatasetStacks.optionsFor(imp, ImageSamples.Options.of(
			info));
		return new ForModel(truth != null ? truth : slices(imp, allSlices, info.classNames(), info
			.inputShape(), resize, options), null, ImageSamples.stackIndices(imp, options, !allSlices));
	}

	/** A patch around each ROI of {@code imp} (see {@link #rois}), as a model takes them. */
	public static ForModel roisForModel(final ImagePlus imp, final ModelInfo info,
		final int patchSize)
	{
		final Roi[] rois = rois(imp);
		return new ForModel(roiPatches(imp, rois, info.classNames(), patchSize, info.inputShape(),
			DatasetStacks.optionsFor(imp, ImageSamples.Options.of(info))), rois, null);
	}

	/**
	 * The images of a folder decoded for a model taking {@code shape} images of
	 * {@code classNames}, with progress and Esc: labelled when the folder has class
	 * sub-folders, unlabelled images otherwise.
	 */
	public static ImportResult folder(final Path folder, final List<String> classNames,
		final ImageShape shape, final ImageSamples.Options options, final boolean resize)
	{
		return readFolder(folder, shape, options, reader -> FolderReader.hasClassFolders(folder)
			? reader.read(folder, resize) : reader.readUnlabelled(folder, classNames, resize));
	}

	/**
	 * A labelled dataset from a folder with one sub-folder per class, its images converted to
	 * {@code target} (null: the first image's size), with progress and Esc.
	 */
	public static ImportResult labelledFolder(final Path folder, final ImageShape target,
		final ImageSamples.Options options)
	{
		return readFolder(folder, target, options, reader -> reader.read(folder));
	}

	private interface FolderRead {

		ImportResult from(FolderReader reader) throws IOException;
	}

	/** The one folder reader: images decoded as {@code options} say, progress, Esc, one message. */
	private static ImportResult readFolder(final Path folder, final ImageShape target,
		final ImageSamples.Options options, final FolderRead read)
	{
		try {
			return read.from(ReadingProgress.of(new FolderReader(new IjImageDecoder(options), target)));
		}
		catch (final IOException e) {
			throw new DeepClassException("cannot read the folder '" + folder + "': " + e.getMessage(),
				e);
		}
	}
}
