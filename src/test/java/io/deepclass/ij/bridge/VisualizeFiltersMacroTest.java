package io.deepclass.ij.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ij.ImagePlus;
import ij.gui.ImageRoi;
import ij.gui.Roi;
import io.deepclass.ij.display.FilterImages;

/** Visualize Filters, and Classify Images' saliency option, from macros, headless. */
class VisualizeFiltersMacroTest {

	@TempDir
	static Path dir;

	static Path flat, small, cnn, mlp;

	@BeforeAll
	static void trainModels() throws IOException {
		final Path train = MacroHarness.stripesFolder(dir.resolve("train"), 80, 16, 1, false);
		flat = MacroHarness.stripesFolder(dir.resolve("flat"), 6, 16, 3, true);
		small = MacroHarness.stripesFolder(dir.resolve("small"), 6, 16, 4, false);
		cnn = dir.resolve("cnn.zip");
		mlp = dir.resolve("mlp.zip");
		final MacroHarness.Run run = MacroHarness.run("setBatchMode(true);\n" +
			"run(\"Import Dataset\", \"source=folder folder=[" + train + "] width=16 height=16 " +
			"channels=gray\");\n" + "t = getTitle();\n" +
			"run(\"Train Classifier\", \"dataset=[\" + t + \"] architecture=custom " +
			"custom_architecture=cnn:4-6,dense=16 epochs=3 batch_size=16 optimizer=adam " +
			"learning_rate=0.003 validation_fraction=0.25 seed=42 on_failure=warn model_file=[" + cnn +
			"]\");\n" +
			"run(\"Train Classifier\", \"dataset=[\" + t + \"] architecture=mlp100 epochs=1 " +
			"batch_size=16 optimizer=adam learning_rate=0.003 validation_fraction=0.25 seed=42 " +
			"on_failure=warn model_file=[" + mlp + "]\");");
		assertTrue(run.completed(), run.output());
	}

	@Test
	void kernelsAsALabelledStackAndAMontage() {
		final MacroHarness.Run run = MacroHarness.run("setBatchMode(true);\n" +
			"run(\"Visualize Filters\", \"view=kernels model_file=[" + cnn + "] layer=2\");\n" +
			"selectImage(\"DeepClass Kernels conv2\");\n" +
			"print(\"stack \" + nSlices + \" \" + getWidth() + \" \" + bitDepth());\n" +
			"setSlice(7); print(\"label \" + getInfo(\"slice.label\"));\n" +
			"getMinAndMax(min, max); print(\"range \" + min + \" \" + max);\n" +
			"selectImage(\"DeepClass Kernel Montage conv2 (6 filters x 4 channels)\");\n" +
			"print(\"montage \" + getWidth() + \"x\" + getHeight());");
		assertTrue(run.completed(), run.output());
		assertTrue(run.output().contains("stack 24 96 32"), "6 filters x 4 channels of 3x3, " +
			"zoomed 32x: " + run.output());
		assertTrue(run.output().contains("label conv2 filter 2 channel 3 ("), run.output());
		assertTrue(run.output().contains("range -1 1"), run.output());
		final java.util.regex.Matcher size = java.util.regex.Pattern.compile("montage (\\d+)x(\\d+)")
			.matcher(run.output());
		assertTrue(size.find(), run.output());
		// a row per filter, a column per channel; a legend band above, as wide as its text needs;
		// tiles as large as fits (at most 64 pixels: 3x3 kernels zoomed 22x, 66 pixels), 4-pixel gaps
		assertEquals(FilterImages.LEGEND + 6 * 70 + 4, Integer.parseInt(size.group(2)), run.output());
		assertTrue(Integer.parseInt(size.group(1)) >= 4 * 70 + 4, run.output());
	}

	@Test
	void featureMapsOfTheOpenImage() {
		final MacroHarness.Run run = MacroHarness.run("setBatchMode(true);\n" +
			"open(\"" + first(flat) + "\");\n" +
			"run(\"Visualize Filters\", \"view=[feature maps] model_file=[" + cnn + "] layer=1\");\n" +
			"selectImage(\"DeepClass Feature Maps conv1\");\n" +
			"print(\"maps \" + nSlices + \" \" + getWidth() + \" \" + getInfo(\"slice.label\"));\n" +
			"print(\"montage \" + isOpen(\"DeepClass Feature Map Montage\"));");
		assertTrue(run.completed(), run.output());
		assertTrue(run.output().contains("maps 4 112 conv1 channel 1"), run.output());
		assertTrue(run.output().contains("montage 1"), run.output());
	}

	@Test
	void fixedFiltersAndATypedKernel() {
		final MacroHarness.Run run = MacroHarness.run("setBatchMode(true);\n" +
			"newImage(\"step\", \"32-bit black\", 10, 8, 3);\n" +
			"run(\"Visualize Filters\", \"view=[fixed filters] kernel=[vertical and horizontal " +
			"edges] count=2\");\n" +
			"print(\"montage \" + getTitle() + \" \" + getWidth() + \"x\" + getHeight());\n" +
			"run(\"Visualize Filters\", \"view=[fixed filters] kernel=custom custom_kernel=[1 2 3]\");");
		assertFalse(run.completed(), "a 3-number kernel stops the macro");
		assertTrue(run.output().contains("montage DeepClass Fixed Filters " + (150 + 2 * (90 + 2)) +
			"x" + 3 * (72 + 2)), "2 images, 3 rows (image, 2 kernels), tiles zoomed 9x: " + run
				.output());
		assertTrue(run.output().contains("Visualize Filters: the kernel '1 2 3' has 3 numbers; a " +
			"kernel needs 9 (3x3) or 25 (5x5)"), run.output());
	}

	@Test
	void saliencyOverlayAndMaps() {
		final MacroHarness.Run run = MacroHarness.run("setBatchMode(true);\n" +
			"open(\"" + first(flat) + "\");\n" + "id = getImageID();\n" +
			"run(\"Visualize Filters\", \"view=saliency model_file=[" + cnn + "] method=both " +
			"opacity=40\");\n" +
			"print(\"maps \" + isOpen(\"DeepClass Occlusion for vertical\") + isOpen(\"DeepClass " +
			"Occlusion for horizontal\"));\n" +
			"selectImage(id); call(\"io.deepclass.ij.bridge.MacroHarness.grab\");");
		assertTrue(run.completed(), run.output());
		final ImagePlus imp = MacroHarness.grabbed;
		assertEquals(1, imp.getOverlay().size());
		final Roi heat = imp.getOverlay().get(0);
		assertTrue(heat instanceof ImageRoi, "a heat map");
		assertEquals(0.4, ((ImageRoi) heat).getOpacity(), 1e-6);
		assertEquals(16, heat.getBounds().width);
	}

	@Test
	void classifyWithSaliencyAddsAHeatMapPerSlice() {
		final MacroHarness.Run run = MacroHarness.run("setBatchMode(true);\n" +
			"run(\"Import Dataset\", \"source=folder folder=[" + small + "] width=16 height=16 " +
			"channels=gray\");\n" + "t = getTitle();\n" +
			"run(\"Classify Images\", \"model_file=[" + cnn + "] input=stack overlay " +
			"saliency=[gradient x input]\");\n" + "selectImage(t);\n" +
			"call(\"io.deepclass.ij.bridge.MacroHarness.grab\");");
		assertTrue(run.completed(), run.output());
		final ImagePlus imp = MacroHarness.grabbed;
		int heat = 0, text = 0;
		for (final Roi roi : imp.getOverlay().toArray()) {
			if (roi instanceof ImageRoi) {
				heat++;
				assertEquals(heat, roi.getPosition(), "one per slice, in order");
			}
			else text++;
		}
		assertEquals(6, heat);
		assertEquals(6, text, "class labels stay");
	}

	@Test
	void kernelsOfAnMlpAreExplained() {
		final MacroHarness.Run run = MacroHarness.run("run(\"Visualize Filters\", \"view=kernels " +
			"model_file=[" + mlp + "]\");");
		assertFalse(run.completed());
		assertTrue(run.output().contains("Visualize Filters: this model has no convolution layers"),
			run.output());
		final MacroHarness.Run layer = MacroHarness.run("run(\"Visualize Filters\", \"view=kernels " +
			"model_file=[" + cnn + "] layer=5\");");
		assertTrue(layer.output().contains("layer=5 does not exist: this model has 2 convolution " +
			"layers; choose 1 to 2."), layer.output());
	}

	private static String first(final Path folder) {
		try (var files = Files.list(folder)) {
			return files.sorted().findFirst().orElseThrow().toString();
		}
		catch (final IOException e) {
			throw new IllegalStateException(e);
		}
	}
}
