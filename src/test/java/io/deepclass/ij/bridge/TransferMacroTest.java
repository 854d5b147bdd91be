package io.deepclass.ij.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.deepclass.core.bundle.ModelFiles;

/**
 * Transfer learning from a headless macro, as a lab without Python would run it: a pretrained
 * backbone from a local .onnx file (the PyTorch-exported fixture), a head trained on a folder
 * of 16 x 16 8-bit images, then classification, evaluation and feature maps.
 */
class TransferMacroTest {

	@TempDir
	Path dir;

	@Test
	void aHeadlessMacroTrainsOnAPretrainedBackboneClassifiesEvaluatesAndLooksInside()
		throws IOException
	{
		final Path onnx = dir.resolve("backbone.onnx");
		try (InputStream in = getClass().getResourceAsStream("/io/deepclass/core/onnx/residual.onnx")) {
			Files.copy(in, onnx);
		}
		final Path train = MacroHarness.stripesFolder(dir.resolve("train"), 120, 12, 1, false);
		final Path test = MacroHarness.stripesFolder(dir.resolve("test"), 40, 12, 2, false);
		final Path model = dir.resolve("transfer.zip");
		final String one = Files.list(test.resolve("vertical")).findFirst().orElseThrow().toString();
		final MacroHarness.Run run = MacroHarness.run("setBatchMode(true);\n" +
			"run(\"Train Classifier\", \"folder=[" + train + "] architecture=pretrained backbone_file=[" +
			onnx + "] strategy=features epochs=6 batch_size=16 optimizer=adam learning_rate=0.01 " +
			"validation_fraction=0.2 normalization=percentile seed=2 model_file=[" + model + "]\");\n" +
			"run(\"Classify Images\", \"model_file=[" + model + "] input=folder folder=[" + test +
			"]\");\n" +
			"run(\"Evaluate Classifier\", \"model_file=[" + model + "] folder=[" + test + "]\");\n" +
			"run(\"Get DeepClass Table\", \"table=[DeepClass Evaluation]\");\n" +
			"print(\"accuracy \" + Table.get(\"precision\", Table.size(\"Results\") - 1, \"Results\"));\n" +
			"open(\"" + one + "\");\n" +
			"run(\"Visualize Filters\", \"model_file=[" + model + "] view=[feature maps] layer=1\");\n" +
			"t = getList(\"image.titles\");\n" +
			"for (i = 0; i < t.length; i++) if (startsWith(t[i], \"DeepClass Feature Maps \")) {\n" +
			"  selectImage(t[i]); print(\"maps \" + nSlices + \" in \" + t[i]);\n}");
		assertTrue(run.completed(), run.output());
		final Matcher accuracy = Pattern.compile("accuracy ([0-9.]+)").matcher(run.output());
		assertTrue(accuracy.find(), run.output());
		assertTrue(Double.parseDouble(accuracy.group(1)) >= 0.8, run.output());
		assertTrue(run.output().contains("maps 8"), "a map per filter of the backbone's first " +
			"convolution: " + run.output());
		assertTrue(run.output().contains("training pretrained backbone cut at"), run.output());
		final var info = ModelFiles.load(model).info();
		assertTrue(info.input().resizes());
		assertEquals(3, info.input().channels());
		assertTrue(info.architecture().startsWith("pretrained backbone cut at"), info.architecture());
	}
}
