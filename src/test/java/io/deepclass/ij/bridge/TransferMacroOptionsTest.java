package io.deepclass.ij.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.FrozenLayer;
import org.deeplearning4j.nn.layers.FrozenLayerWithBackprop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.deepclass.core.bundle.ModelBundle;
import io.deepclass.core.bundle.ModelFiles;
import io.deepclass.core.data.ImageShape;

/**
 * Train Classifier's transfer options through a macro string: cut_at, input_size,
 * fine_tune_epochs, unfreeze and batchnorm reach the model that is trained and saved.
 */
class TransferMacroOptionsTest {

	@TempDir
	Path dir;

	private static boolean frozen(final Layer l) {
		return l instanceof FrozenLayer || l instanceof FrozenLayerWithBackprop;
	}

	@Test
	void fineTuningOptionsReachTheSavedModel() throws IOException {
		final Path onnx = dir.resolve("backbone.onnx");
		try (InputStream in = getClass().getResourceAsStream("/io/deepclass/core/onnx/residual.onnx")) {
			Files.copy(in, onnx);
		}
		final Path train = MacroHarness.stripesFolder(dir.resolve("train"), 60, 12, 1, false);
		final Path model = dir.resolve("tuned.zip");
		final MacroHarness.Run run = MacroHarness.run("setBatchMode(true);\n" +
			"run(\"Train Classifier\", \"folder=[" + train + "] architecture=pretrained backbone_file=[" +
			onnx + "] strategy=fine-tune cut_at=_relu_Relu input_size=24 fine_tune_epochs=2 unfreeze=1 " +
			"batchnorm=freeze epochs=2 batch_size=16 optimizer=adam learning_rate=0.01 " +
			"validation_fraction=0.2 normalization=percentile seed=2 model_file=[" + model + "]\");");
		assertTrue(run.completed(), run.output());
		final ModelBundle bundle = ModelFiles.load(model);
		final String architecture = bundle.info().architecture();
		assertTrue(architecture.contains(" cut at _relu_Relu,"), "cut_at: " + architecture);
		assertTrue(architecture.contains("(last 1 layers, BatchNorm frozen)"), "unfreeze and " +
			"batchnorm: " + architecture);
		assertEquals(new ImageShape(3, 24, 24), bundle.info().inputShape(), "input_size");
		assertEquals(4, bundle.info().history().size(), "2 head epochs, then fine_tune_epochs=2");
		assertEquals(0.001, bundle.info().history().get(3).learningRate(), 1e-12);

		// unfreeze=1: the last convolution trains, the stem's stays frozen; batchnorm=freeze
		final ComputationGraph graph = (ComputationGraph) bundle.network().model();
		int batchNorms = 0;
		for (final Layer l : graph.getLayers()) {
			final String name = l.conf().getLayer().getLayerName();
			if (name.contains("BatchNormalization")) {
				assertTrue(frozen(l), name + " frozen");
				batchNorms++;
			}
			if (name.contains("stem.0_Conv")) assertTrue(frozen(l), name + " frozen (not the last)");
			if (name.contains("block.3_Conv")) assertFalse(frozen(l), name + " trains (the last)");
		}
		assertEquals(3, batchNorms, "the backbone's BatchNorm layers");
	}
}
