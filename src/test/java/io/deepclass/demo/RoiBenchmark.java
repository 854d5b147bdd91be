package io.deepclass.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.Random;

import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.OvalRoi;
import ij.gui.Overlay;
import ij.gui.Roi;
import ij.io.FileSaver;
import ij.process.ShortProcessor;

import io.deepclass.core.backend.NativeBackend;
import io.deepclass.core.data.Normalization;
import io.deepclass.core.model.ArchitectureSpec;
import io.deepclass.core.pipeline.TrainingPipeline;
import io.deepclass.core.pipeline.TrainingRecipe;
import io.deepclass.core.train.Optimizer;
import io.deepclass.core.train.TrainingSettings;
import io.deepclass.ij.bridge.Headless;
import io.deepclass.ij.bridge.HeadlessImageJ;
import io.deepclass.ij.input.ImageInputs;
import io.deepclass.ij.input.ImageSamples;

/**
 * ROIs on a big multi-channel image, as a screening lab has them: a 2048 x 2048, 3-channel
 * 16-bit image with {@code n} round cells (ROIs on its overlay, named by class), the class shown
 * by a ring or a filled spot in channel 2. Prints how fast DeepClass turns the ROIs into patches
 * and how fast Classify Images (input=rois, run as a headless macro: patches, classification,
 * the overlay of class-coloured outlines and the table) handles them. Run by
 * {@code bench/rois.sh}.
 */
public final class RoiBenchmark {

	static final int SIZE = 2048, CHANNELS = 3, RADIUS = 12, PATCH = 32;

	private RoiBenchmark() {}

	public static void main(final String[] args) throws Exception {
		NativeBackend.select();
		final int n = args.length > 0 ? Integer.parseInt(args[0]) : 1500;
		final Path dir = Files.createTempDirectory("deepclass-rois");
		final PrintStream out = System.out;
		final ImagePlus imp = cells(n, 1);
		final Path image = dir.resolve("cells.tif");
		new FileSaver(imp).saveAsTiff(image.toString());
		out.printf(Locale.ROOT, "image: %dx%d, %d channels, 16-bit, %d ROIs (%,d MB in memory)%n",
			SIZE, SIZE, CHANNELS, n, (long) SIZE * SIZE * CHANNELS * 2 / 1_000_000);

		// patches for training: all ROIs of the first image
		long start = System.nanoTime();
		final var labelled = ImageInputs.labelledRois(imp, false, "^(.+)$", PATCH, null,
			ImageSamples.Options.ALL);
		final double patchSeconds = (System.nanoTime() - start) / 1e9;
		out.printf(Locale.ROOT, "ROI patches (import): %d in %.2f s = %.0f ROIs/s%n", n, patchSeconds,
			n / patchSeconds);

		final Path model = dir.resolve("cells.zip");
		TrainingPipeline.save(new TrainingPipeline(null, null).train(new TrainingRecipe(
			ArchitectureSpec.parse("cnn:16-32,dense=32"), TrainingSettings.defaults().withEpochs(3)
				.withBatchSize(32).withOptimizer(Optimizer.ADAM, 0.002).withSeed(1), 0.2)
					.withNormalization(Normalization.Method.PERCENTILE, 1, 99.8),
			labelled.dataset()), model);

		// a second image of new cells, classified through the command as a macro would
		final Path test = dir.resolve("new-cells.tif");
		new FileSaver(cells(n, 2)).saveAsTiff(test.toString());
		HeadlessImageJ.install();
		final String macro = "setBatchMode(true);\nopen(\"" + test + "\");\nt0 = getTime();\n" +
			"run(\"Classify Images\", \"model_file=[" + model + "] input=rois patch_size=" + PATCH +
			" overlay\");\nt = (getTime() - t0) / 1000;\nselectImage(\"new-cells.tif\");\n" +
			"o = Overlay.size;\nrun(\"Get DeepClass Table\", \"table=[DeepClass Results]\");\n" +
			"n = Table.size(\"Results\"); right = 0;\nfor (i = 0; i < n; i++) if (endsWith(" +
			"Table.getString(\"source\", i, \"Results\"), Table.getString(\"class\", i, \"Results\")))" +
			" right++;\n" +
			"print(\"Classify Images input=rois: \" + n + \" ROIs in \" + t + \" s = \" + round(n / t) + " +
			"\" ROIs/s (overlay \" + o + \" outlines, \" + right + \" classes right)\");";
		Headless.runMacro(macro, "");
		deleteAll(dir);
	}

	/** The benchmark image: cells of class "ring" or "spot" in channel 2, noise elsewhere. */
	static ImagePlus cells(final int n, final long seed) {
		final Random random = new Random(seed);
		final short[][] planes = new short[CHANNELS][SIZE * SIZE];
		for (int c = 0; c < CHANNELS; c++)
			for (int i = 0; i < SIZE * SIZE; i++)
				planes[c][i] = (short) (500 * (c + 1) + random.nextGaussian() * 80);
		final Overlay overlay = new Overlay();
		final int grid = (int) Math.ceil(Math.sqrt(n));
		final int step = (SIZE - 4 * RADIUS) / grid;
		for (int k = 0; k < n; k++) {
			final int cx = 2 * RADIUS + (k % grid) * step + random.nextInt(Math.max(1, step - 4 *
				RADIUS));
			final int cy = 2 * RADIUS + (k / grid) * step + random.nextInt(Math.max(1, step - 4 *
				RADIUS));
			final boolean ring = random.nextBoolean();
			for (int y = -RADIUS; y <= RADIUS; y++)
				for (int x = -RADIUS; x <= RADIUS; x++) {
					final double r = Math.sqrt(x * x + y * y);
					final int i = (cy + y) * SIZE + cx + x;
					if (r <= RADIUS) planes[0][i] += 3000; // nucleus-like body in channel 1
					if (ring ? r > RADIUS - 4 && r <= RADIUS : r < 5) planes[1][i] += 8000;
				}
			final Roi roi = new OvalRoi(cx - RADIUS, cy - RADIUS, 2 * RADIUS + 1, 2 * RADIUS + 1);
			roi.setName(ring ? "ring" : "spot");
			overlay.add(roi);
		}
		final ImageStack stack = new ImageStack(SIZE, SIZE);
		for (int c = 0; c < CHANNELS; c++)
			stack.addSlice("C" + (c + 1), new ShortProcessor(SIZE, SIZE, planes[c], null));
		final ImagePlus imp = new ImagePlus(seed == 1 ? "cells.tif" : "new-cells.tif", stack);
		imp.setDimensions(CHANNELS, 1, 1);
		imp.setOpenAsHyperStack(true);
		imp.setOverlay(overlay);
		return imp;
	}

	private static void deleteAll(final Path dir) throws IOException {
		try (var files = Files.walk(dir)) {
			files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
		}
	}
}
