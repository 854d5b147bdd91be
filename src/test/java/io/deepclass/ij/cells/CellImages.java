package io.deepclass.ij.cells;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;

import ij.ImagePlus;
import ij.gui.OvalRoi;
import ij.gui.Overlay;
import ij.gui.Roi;
import ij.process.ByteProcessor;

import io.deepclass.core.data.Dataset;
import io.deepclass.core.data.IdxReader;

/**
 * Real labelled "cells" on a large image: Fashion-MNIST images (or any 1-channel dataset) pasted
 * at jittered grid positions into a dark image, one oval ROI around each, its true class kept
 * aside. For the headless and GUI tests of the interactive loop and for its benchmarks.
 */
public final class CellImages {

	/** An image, its ROIs (also in its overlay), and each ROI's true class. */
	public record Cells(ImagePlus image, Roi[] rois, int[] truth, List<String> classNames) {}

	private CellImages() {}

	/** The embedded Fashion-MNIST sample's test images (1 000), or the full set's when given. */
	public static Dataset fashionMnist(final String split) throws IOException {
		final Path full = Path.of("/usr/share/datasets/fashion-mnist");
		if (Files.isDirectory(full) && System.getProperty("deepclass.cells.sample") == null) return IdxReader
			.readSplit(full, split, IdxReader.FASHION_MNIST_CLASSES);
		final String sample = "/io/deepclass/demo/fashion-mnist-sample/";
		try (InputStream images = CellImages.class.getResourceAsStream(sample + split +
			"-images-idx3-ubyte.gz"); InputStream labels = CellImages.class.getResourceAsStream(sample +
				split + "-labels-idx1-ubyte.gz"))
		{
			return IdxReader.read(new GZIPInputStream(images), new GZIPInputStream(labels),
				IdxReader.FASHION_MNIST_CLASSES, split);
		}
	}

	/**
	 * {@code count} images of the classes {@code classes} of {@code data} (in its order, from
	 * {@code first}) on a {@code size} x {@code size} 8-bit image.
	 */
	public static Cells tile(final Dataset data, final int[] classes, final int first,
		final int count, final int size, final long seed)
	{
		final int side = data.shape().width();
		final int cellsPerRow = (int) Math.ceil(Math.sqrt(count));
		final int pitch = size / cellsPerRow;
		if (pitch < side + 2) throw new IllegalArgumentException(count + " cells of " + side +
			" pixels do not fit on " + size);
		final ByteProcessor ip = new ByteProcessor(size, size);
		final Random random = new Random(seed);
		final List<Roi> rois = new ArrayList<>();
		final List<Integer> truth = new ArrayList<>();
		final float[] pixels = new float[side * side];
		for (int i = first; i < data.size() && rois.size() < count; i++) {
			final int c = indexOf(classes, data.label(i));
			if (c < 0) continue;
			final int slot = rois.size();
			final int x = slot % cellsPerRow * pitch + random.nextInt(pitch - side);
			final int y = slot / cellsPerRow * pitch + random.nextInt(pitch - side);
			data.images().copyTo(i, pixels, 0);
			for (int v = 0; v < side; v++)
				for (int u = 0; u < side; u++)
					ip.set(x + u, y + v, Math.max(ip.get(x + u, y + v), Math.round(pixels[v * side + u])));
			final Roi roi = new OvalRoi(x, y, side, side);
			roi.setName(String.format("cell-%04d", slot + 1));
			rois.add(roi);
			truth.add(c);
		}
		final ImagePlus imp = new ImagePlus("cells", ip);
		final Overlay overlay = new Overlay();
		for (final Roi roi : rois)
			overlay.add(roi);
		imp.setOverlay(overlay);
		final List<String> names = new ArrayList<>();
		for (final int c : classes)
			names.add(data.classNames().get(c));
		return new Cells(imp, rois.toArray(Roi[]::new), truth.stream().mapToInt(Integer::intValue)
			.toArray(), names);
	}

	private static int indexOf(final int[] values, final int value) {
		for (int i = 0; i < values.length; i++)
			if (values[i] == value) return i;
		return -1;
	}

	/** For readable assertions. */
	static String describe(final int[] truth) {
		return Arrays.toString(truth);
	}
}
