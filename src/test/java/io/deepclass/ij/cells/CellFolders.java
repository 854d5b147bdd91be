package io.deepclass.ij.cells;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import ij.CompositeImage;
import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.OvalRoi;
import ij.gui.Roi;
import ij.io.FileSaver;
import ij.process.ImageProcessor;
import ij.process.ShortProcessor;
import ij.process.ByteProcessor;

/**
 * Images of "cells" for the folder tests: bright discs (210) and dark discs (30) on a mid-grey
 * background (110, noise +-10), each with an oval ROI, the class known; 8- or 16-bit (values
 * times 12), and optionally a second channel of pure noise, so that only channel 1 tells the
 * classes apart. Saved as TIFF with their ROI sets as the ROI Manager writes them.
 */
public final class CellFolders {

	public static final List<String> CLASSES = List.of("bright", "dark");

	/** Where the labels go in a ROI set. */
	public enum LabelIn {
		PROPERTY, GROUP, NAME, NONE
	}

	/** An image, its ROIs and each ROI's true class (0 bright, 1 dark). */
	public record Cells(ImagePlus image, Roi[] rois, int[] truth) {}

	private CellFolders() {}

	/** {@code count} cells of 16 x 16 on a grid with jitter, classes drawn at random. */
	public static Cells draw(final String title, final int width, final int height,
		final int count, final boolean sixteenBit, final boolean twoChannels, final long seed)
	{
		final Random random = new Random(seed);
		final ImageProcessor ip = sixteenBit ? new ShortProcessor(width, height)
			: new ByteProcessor(width, height);
		final int scale = sixteenBit ? 12 : 1;
		for (int i = 0; i < width * height; i++)
			ip.set(i, scale * (110 + random.nextInt(21) - 10));
		final int pitch = 24, columns = width / pitch;
		if (columns * (height / pitch) < count) throw new IllegalArgumentException(count +
			" cells do not fit");
		final List<Roi> rois = new ArrayList<>();
		final int[] truth = new int[count];
		for (int k = 0; k < count; k++) {
			final int x = k % columns * pitch + random.nextInt(pitch - 16);
			final int y = k / columns * pitch + random.nextInt(pitch - 16);
			truth[k] = random.nextInt(2);
			final Roi roi = new OvalRoi(x, y, 16, 16);
			for (int v = 0; v < 16; v++)
				for (int u = 0; u < 16; u++)
					if (roi.contains(x + u, y + v)) ip.set(x + u, y + v, scale * ((truth[k] == 0 ? 210 : 30) +
						random.nextInt(11) - 5));
			roi.setName(String.format("%04d-%04d", y + 8, x + 8));
			rois.add(roi);
		}
		ImagePlus imp = new ImagePlus(title, ip);
		if (twoChannels) {
			final ImageStack stack = new ImageStack(width, height);
			stack.addSlice(ip);
			final ImageProcessor noise = ip.createProcessor(width, height);
			for (int i = 0; i < width * height; i++)
				noise.set(i, random.nextInt(256));
			stack.addSlice(noise);
			imp = new ImagePlus(title, stack);
			imp.setDimensions(2, 1, 1);
			imp = new CompositeImage(imp, CompositeImage.COMPOSITE);
		}
		return new Cells(imp, rois.toArray(Roi[]::new), truth);
	}

	/** Labels the ROIs with their true class where {@code labelIn} says (except {@code skip}). */
	public static void label(final Cells cells, final LabelIn labelIn, final int skip) {
		for (int i = 0; i < cells.rois().length; i++) {
			if (i == skip) continue;
			final Roi roi = cells.rois()[i];
			final int c = cells.truth()[i];
			switch (labelIn) {
				case PROPERTY -> CellLabels.write(roi, c, CLASSES.get(c));
				case GROUP -> roi.setGroup(c + 1);
				case NAME -> roi.setName(CLASSES.get(c));
				case NONE -> {}
			}
		}
	}

	/** Saves {@code cells} as {@code <folder>/<title>.tif}, and its ROIs as {@code <title>.zip} unless not {@code withRois}. */
	public static void save(final Cells cells, final Path folder, final boolean withRois)
		throws IOException
	{
		final String base = cells.image().getTitle();
		if (!new FileSaver(cells.image()).saveAsTiff(folder.resolve(base + ".tif").toString()))
			throw new IOException("cannot save " + base);
		if (withRois) RoiSets.write(cells.rois(), folder.resolve(base + ".zip"));
	}
}
