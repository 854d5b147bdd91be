package io.deepclass.ij.bridge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.Overlay;
import ij.gui.Roi;
import ij.io.FileSaver;
import ij.measure.ResultsTable;
import ij.process.ShortProcessor;

import io.deepclass.core.bundle.ModelBundle;
import io.deepclass.core.bundle.ModelFiles;
import io.deepclass.core.data.DecodedImage;
import io.deepclass.ij.display.ResultTables;
import io.deepclass.ij.input.DatasetStacks;
import io.deepclass.ij.input.ImageInputs;
import io.deepclass.ij.input.ImageSamples;

/**
 * Fluorescence data as labs store it: 16-bit hyperstacks with channels, Z and time, one object
 * per time point, the class visible in one channel only. Samples keep all their channels (or
 * the chosen ones), Z can be max-projected, ROIs give multi-channel patches, and a model trained
 * on them classifies, evaluates and shows feature maps and saliency.
 */
class MultiChannelTest {

	@TempDir
	static Path dir;

	static final int SIZE = 12;

	/**
	 * A C x Z x T 16-bit hyperstack: channel c of (z, t) is c * 1000 + z * 100 + t in its corner
	 * pixel (0,0), so every plane can be told apart; pixel (1,0) of channel 1 is the object's
	 * Z index. Objects: class "a" (even t) has a bright square top-left in channel {@code marker},
	 * class "b" bottom-right; other channels are noise at other scales.
	 */
	static ImagePlus hyperstack(final String title, final int nc, final int nz, final int nt,
		final int marker, final long seed)
	{
		final Random random = new Random(seed);
		final ImageStack stack = new ImageStack(SIZE, SIZE);
		for (int t = 1; t <= nt; t++)
			for (int z = 1; z <= nz; z++)
				for (int c = 1; c <= nc; c++) {
					final short[] pixels = new short[SIZE * SIZE];
					final boolean a = t % 2 == 0;
					for (int y = 0; y < SIZE; y++)
						for (int x = 0; x < SIZE; x++) {
							double v = 200 * c + random.nextGaussian() * 50 * c;
							final boolean inSquare = a ? x >= 2 && x < 6 && y >= 2 && y < 6 : x >= 6 && x < 10 &&
								y >= 6 && y < 10;
							if (c == marker && inSquare) v += 3000 + 500 * z;
							pixels[y * SIZE + x] = (short) Math.max(0, Math.min(65535, v));
						}
					pixels[0] = (short) (c * 1000 + z * 100 + t);
					stack.addSlice((a ? "a" : "b") + "/cell-" + t, new ShortProcessor(SIZE, SIZE, pixels,
						null));
				}
		final ImagePlus imp = new ImagePlus(title, stack);
		imp.setDimensions(nc, nz, nt);
		imp.setOpenAsHyperStack(true);
		return imp;
	}

	static String save(final ImagePlus imp) {
		final Path file = dir.resolve(imp.getTitle() + ".tif");
		assertTrue(new FileSaver(imp).saveAsTiff(file.toString()));
		return file.toString();
	}

	static Path model;

	@BeforeAll
	static void trainOnATwoChannelHyperstack() {
		model = dir.resolve("two-channel.zip");
		final String train = save(hyperstack("train2c", 2, 3, 40, 2, 1));
		final MacroHarness.Run run = MacroHarness.run("setBatchMode(true);\n" +
			"open(\"" + train + "\");\n" +
			"run(\"Import Dataset\", \"source=stack select_channels=[] " +
			"z_projection=max\");\n" +
			"getDimensions(w, h, c, z, t);\n" +
			"print(\"dataset \" + getTitle() + \" c=\" + c + \" z=\" + z + \" t=\" + t + \" bits=\" + " +
			"bitDepth());\n" +
			"run(\"Train Classifier\", \"dataset=[\" + getTitle() + \"] architecture=custom " +
			"custom_architecture=cnn:8,dense=16 epochs=6 batch_size=8 optimizer=adam " +
			"learning_rate=0.003 validation_fraction=0.25 normalization=percentile seed=1 " +
			"model_file=[" + model + "]\");");
		assertTrue(run.completed(), run.output());
		assertTrue(run.output().contains("dataset DeepClass dataset train2c.tif c=2 z=1 t=40 bits=32"),
			run.output());
	}

	@Test
	void aHyperstackGivesOneSamplePerPositionWithAllItsChannels() {
		final ImagePlus imp = hyperstack("h4", 4, 3, 5, 2, 2);
		final List<ImageSamples.Sample> samples = ImageSamples.of(imp, ImageSamples.Options.ALL,
			false);
		assertEquals(15, samples.size(), "Z x T samples");
		final ImageSamples.Sample s = samples.get(3 * 2 + 1); // t=3, z=2
		assertEquals(4, s.image().channels());
		assertEquals(16, s.image().bitDepth());
		final int plane = SIZE * SIZE;
		for (int c = 1; c <= 4; c++)
			assertEquals(c * 1000 + 2 * 100 + 3, s.image().pixels()[(c - 1) * plane], "channel " + c);
		assertEquals("h4:z2:t3", s.source());
		assertEquals("b/cell-3", s.label());

		final List<ImageSamples.Sample> chosen = ImageSamples.of(imp, ImageSamples.Options.parse(
			"3,1", "max"), false);
		assertEquals(5, chosen.size(), "one sample per time point with Z projected");
		final DecodedImage first = chosen.get(0).image();
		assertEquals(2, first.channels());
		assertEquals(3 * 1000 + 3 * 100 + 1, first.pixels()[0], "channel 3 first, max over Z");
		assertEquals(1 * 1000 + 3 * 100 + 1, first.pixels()[plane], "then channel 1");
		assertArrayEquals(new int[] { 1, 7, 13, 19, 25 }, ImageSamples.stackIndices(hyperstack("h2",
			2, 3, 5, 2, 3), ImageSamples.Options.parse("", "max"), false),
			"overlay positions: channel 1, z 1 of each time point");
	}

	@Test
	void theModelRecordsItsChannelsAndClassifiesANewHyperstack() throws Exception {
		final ModelBundle m = ModelFiles.load(model);
		assertEquals(2, m.info().input().channels());
		assertTrue(m.info().input().zMaxProjection(), "Import's z_projection=max is recorded");
		assertEquals(List.of("C1", "C2"), m.info().input().channelNames());
		final String test = save(hyperstack("test2c", 2, 3, 20, 2, 9));
		final MacroHarness.Run run = MacroHarness.run("setBatchMode(true);\nopen(\"" + test +
			"\");\nrun(\"Classify Images\", \"model_file=[" + model + "] input=stack\");");
		assertTrue(run.completed(), run.output());
		final ResultsTable results = MacroHarness.table(ResultTables.RESULTS);
		assertEquals(20, results.size(), "one row per time point (Z projected as in training)");
		int correct = 0;
		for (int i = 0; i < 20; i++)
			if (results.getStringValue("class", i).equals((i + 1) % 2 == 0 ? "a" : "b")) correct++;
		assertTrue(correct >= 18, correct + " of 20 correct");
	}

	@Test
	void anImageWithOtherChannelsIsRefusedWithWhatIsNeeded() {
		final String three = save(hyperstack("three", 3, 1, 4, 2, 4));
		final MacroHarness.Run run = MacroHarness.run("setBatchMode(true);\nopen(\"" + three +
			"\");\nrun(\"Classify Images\", \"model_file=[" + model + "] input=stack\");");
		assertFalse(run.completed());
		assertTrue(run.output().contains("12x12 3-channel") && run.output().contains(
			"12x12 2-channel"),
			run.output());
	}

	@Test
	void roisOnAMultiChannelImageGiveMultiChannelPatches() {
		final ImagePlus imp = hyperstack("rois", 2, 1, 1, 2, 5);
		final Roi roi = new Roi(0, 0, 4, 4);
		roi.setPosition(2, 1, 1);
		final DecodedImage patch = ImageInputs.patch(imp, roi, 0, ImageSamples.Options.ALL);
		assertEquals(2, patch.channels());
		assertEquals(1 * 1000 + 100 + 1, patch.pixels()[0]);
		assertEquals(2 * 1000 + 100 + 1, patch.pixels()[16]);
		assertEquals(2 * 1000 + 100 + 1, ImageInputs.patch(imp, roi, 0, ImageSamples.Options.parse(
			"2", "none")).pixels()[0]);
	}

	@Test
	void featureMapsAndSaliencyWorkOnMultiChannelInput() {
		final String test = save(hyperstack("look", 2, 1, 2, 2, 6));
		final MacroHarness.Run run = MacroHarness.run("setBatchMode(true);\nopen(\"" + test +
			"\");\nrun(\"Visualize Filters\", \"model_file=[" + model + "] view=[feature maps] " +
			"layer=1\");\nselectImage(\"DeepClass Feature Maps conv1\");\nprint(\"maps \" + nSlices);\n" +
			"selectImage(\"look.tif\");\n" +
			"run(\"Visualize Filters\", \"model_file=[" + model + "] view=saliency method=both\");\n" +
			"t = getList(\"image.titles\"); n = 0;\n" +
			"for (i = 0; i < t.length; i++) if (startsWith(t[i], \"DeepClass Occlusion for \")) n++;\n" +
			"print(\"occlusion \" + n);\nrun(\"Visualize Filters\", \"model_file=[" + model +
			"] view=kernels layer=1\");\nprint(\"kernel montage \" + getTitle());");
		assertTrue(run.completed(), run.output());
		assertTrue(run.output().contains("maps 8"), "a map per filter of the first layer: " + run
			.output());
		assertTrue(run.output().contains("occlusion 1"), "a saliency map: " + run.output());
		assertTrue(run.output().contains("kernel montage DeepClass Kernel Montage conv1 (8 filters x " +
			"2 channels)"), run.output());
	}

	@Test
	void montagesShowChannelsInCompositeColoursWithTheirOwnContrast() {
		// t = 1 is class "b": the channel 2 marker square is at x, y in 6..9
		final io.deepclass.core.data.Dataset d = DatasetStacks.toDataset(hyperstack("show", 2, 1, 2,
			2, 8), "^([^/]+)", null, ImageSamples.Options.ALL).dataset();
		final ij.process.ImageProcessor tile = DatasetStacks.display(d, 0);
		final int inside = tile.getPixel(7, 7), outside = tile.getPixel(3, 9);
		final int green = (inside >> 8) & 0xff, red = (inside >> 16) & 0xff;
		assertTrue(green > 200 && green > red, "the channel 2 marker is bright green: " + Integer
			.toHexString(inside));
		assertTrue(((outside >> 8) & 0xff) < 120, "background is not saturated: " + Integer
			.toHexString(outside));
	}
}
