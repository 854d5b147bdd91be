package io.deepclass.ij.cells;

import java.awt.GraphicsEnvironment;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Consumer;

import ij.CompositeImage;
import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.Overlay;
import ij.gui.Roi;
import ij.plugin.frame.RoiManager;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import ij.process.ShortProcessor;

import io.deepclass.core.DeepClassException;
import io.deepclass.core.data.DecodedImage;
import io.deepclass.core.data.ImageFiles;
import io.deepclass.core.data.ImageFiles.ImageFile;
import io.deepclass.ij.input.IjImageDecoder;

/**
 * A folder of cell crops (one small image per cell, as exported by CellProfiler, QuPath or a
 * macro) as one image the panel works on: the crops side by side in a grid, each with a
 * rectangle ROI exactly its size (so patch_size 0 takes the crop as it is), named by its file.
 * Crops in sub-folders are labelled with the sub-folder's name (a partly sorted set), crops
 * directly in the folder are not. The files are only read.
 * <p>
 * The grid keeps the crops' type when they share it (8-bit, 16-bit, RGB), else holds 32-bit
 * values as they were stored, with a warning; crops must have the same number of channels.
 */
public final class CellCrops {

	/** The largest crop side: larger images are not crops of cells. */
	static final int MAX_CROP = 512;

	/** The most crops one grid holds. */
	static final int MAX_CROPS = 20_000;

	/** Pixels between tiles. */
	static final int GAP = 2;

	private CellCrops() {}

	/**
	 * The crops of {@code folder} as one image with a ROI per crop in its overlay, titled
	 * "DeepClass cells &lt;folder name&gt;".
	 *
	 * @param log gets one line per unreadable file and the warnings
	 */
	public static ImagePlus open(final Path folder, final Consumer<String> log) throws IOException {
		final RoiManager manager = GraphicsEnvironment.isHeadless() ? null : RoiManager.getInstance();
		if (manager != null && manager.getCount() > 0) throw new DeepClassException("the ROI " +
			"Manager holds " + manager.getCount() + " ROIs, and the crops' cells need it. Save them " +
			"(ROI Manager > More > Save), empty it (Delete with none selected), then run again.");
		final List<ImageFile> files = ImageFiles.inFolderAndClassFolders(folder);
		if (files.isEmpty()) throw new DeepClassException("folder '" + folder + "' holds no cell " +
			"crops. Choose a folder of small images, one cell each (sub-folders named by class for " +
			"crops already labelled).");
		if (files.size() > MAX_CROPS) throw new DeepClassException("folder '" + folder + "' holds " +
			files.size() + " files, more than " + MAX_CROPS + " crops fit one panel. Split it into " +
			"smaller folders.");
		final IjImageDecoder decoder = new IjImageDecoder();
		final List<DecodedImage> crops = new ArrayList<>();
		final List<ImageFile> kept = new ArrayList<>();
		for (final ImageFile file : files) {
			final DecodedImage crop;
			try {
				crop = decoder.decode(file.path());
			}
			catch (final IOException e) {
				log.accept("DeepClass: skipped '" + file.path() + "': " + e.getMessage());
				continue;
			}
			if (crop.width() > MAX_CROP || crop.height() > MAX_CROP)
				throw new DeepClassException("'" + file.path() + "' is " + crop.width() + "x" + crop
					.height() + " pixels: crops of single cells are at most " + MAX_CROP + " pixels a " +
					"side. For a whole image, open it with its cell ROIs instead of a folder.");
			if (!crops.isEmpty() && crop.channels() != crops.get(0).channels())
				throw new DeepClassException("'" + file.path() + "' has " + crop.channels() +
					" channels, '" + kept.get(0).path() + "' " + crops.get(0).channels() + ": the crops " +
					"of one folder must have the same channels.");
			crops.add(crop);
			kept.add(file);
		}
		if (crops.isEmpty()) throw new DeepClassException("no crop in '" + folder + "' could be " +
			"read (the Log names each file and why). Check that they are images.");
		final ImagePlus imp = grid(crops, "DeepClass cells " + folder.getFileName(), log);
		final Overlay overlay = new Overlay();
		final List<String> classes = new ArrayList<>();
		final int columns = columns(crops.size()), tileW = tileWidth(crops), tileH = tileHeight(crops);
		for (int i = 0; i < crops.size(); i++) {
			final Roi roi = new Roi(GAP + i % columns * (tileW + GAP), GAP + i / columns * (tileH +
				GAP), crops.get(i).width(), crops.get(i).height());
			final ImageFile file = kept.get(i);
			roi.setName(folder.relativize(file.path()).toString());
			if (file.trueClass() != null) {
				if (!classes.contains(file.trueClass())) classes.add(file.trueClass());
				CellLabels.write(roi, classes.indexOf(file.trueClass()), file.trueClass());
			}
			overlay.add(roi);
		}
		imp.setOverlay(overlay);
		return imp;
	}

	private static ImagePlus grid(final List<DecodedImage> crops, final String title,
		final Consumer<String> log)
	{
		final TreeMap<Integer, Integer> depths = new TreeMap<>();
		for (final DecodedImage crop : crops)
			depths.merge(crop.bitDepth(), 1, Integer::sum);
		final int depth = depths.size() == 1 ? depths.firstKey() : 32;
		if (depths.size() > 1) log.accept("WARNING: Classify Cells Interactively: the crops have " +
			"mixed bit depths " + depths + " (bit depth=count); they are shown as 32-bit values as " +
			"stored, so a 16-bit crop is much brighter than an 8-bit one. Convert the crops to one " +
			"bit depth, or choose normalization per image when training.");
		final int columns = columns(crops.size()), rows = (crops.size() + columns - 1) / columns;
		final int tileW = tileWidth(crops), tileH = tileHeight(crops);
		final int width = GAP + columns * (tileW + GAP), height = GAP + rows * (tileH + GAP);
		final boolean rgb = depth == 24;
		final int channels = rgb ? 1 : crops.get(0).channels();
		final ImageStack stack = new ImageStack(width, height);
		for (int c = 0; c < channels; c++) {
			final ImageProcessor plane = rgb ? new ColorProcessor(width, height) : depth == 8
				? new ByteProcessor(width, height) : depth == 16 ? new ShortProcessor(width, height)
					: new FloatProcessor(width, height);
			for (int i = 0; i < crops.size(); i++)
				paste(plane, crops.get(i), c, rgb, GAP + i % columns * (tileW + GAP), GAP + i /
					columns * (tileH + GAP));
			stack.addSlice(channels > 1 ? "channel " + (c + 1) : null, plane);
		}
		final ImagePlus imp = new ImagePlus(title, stack);
		if (channels > 1) {
			imp.setDimensions(channels, 1, 1);
			return new CompositeImage(imp, CompositeImage.COMPOSITE);
		}
		imp.resetDisplayRange();
		return imp;
	}

	private static void paste(final ImageProcessor plane, final DecodedImage crop, final int c,
		final boolean rgb, final int x0, final int y0)
	{
		final int w = crop.width(), h = crop.height(), size = w * h;
		final float[] p = crop.pixels();
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++) {
				final int i = y * w + x;
				if (rgb) plane.set(x0 + x, y0 + y, Math.round(p[i]) << 16 | Math.round(p[size + i]) << 8 |
					Math.round(p[2 * size + i]));
				else plane.setf(x0 + x, y0 + y, p[c * size + i]);
			}
	}

	private static int columns(final int n) {
		return (int) Math.ceil(Math.sqrt(n));
	}

	private static int tileWidth(final List<DecodedImage> crops) {
		return crops.stream().mapToInt(DecodedImage::width).max().orElse(1);
	}

	private static int tileHeight(final List<DecodedImage> crops) {
		return crops.stream().mapToInt(DecodedImage::height).max().orElse(1);
	}
}
