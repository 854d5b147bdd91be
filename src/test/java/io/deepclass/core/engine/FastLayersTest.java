package io.deepclass.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.ops.transforms.Transforms;

import io.deepclass.core.data.ImageShape;
import io.deepclass.core.model.ArchitectureSpec;
import io.deepclass.core.model.Architectures;
import io.deepclass.core.model.Network;

/** The faster layers compute what DL4J's own layers compute. */
class FastLayersTest {

	private static final ImageShape MNIST = new ImageShape(1, 28, 28);

	@ParameterizedTest
	@ValueSource(strings = { "linear", "mlp:64-32", "onecnn", "multicnn", "lenet", "bncnn" })
	void trainsAndPredictsExactlyLikeDl4jsLayers(final String architecture) {
		final MultiLayerNetwork fast = (MultiLayerNetwork) Architectures.build(ArchitectureSpec.parse(
			architecture), MNIST, 10, 7, new Nesterovs(0.05, 0.9)).model();
		assertTrue(FastLayers.installed(fast));
		final MultiLayerNetwork plain = new MultiLayerNetwork(fast.getLayerWiseConfigurations()
			.clone());
		plain.init(fast.params().dup(), false);
		assertFalse(FastLayers.installed(plain));

		final INDArray x = Nd4j.rand(DataType.FLOAT, 32, 1, 28, 28).subi(0.5);
		final INDArray y = Nd4j.zeros(DataType.FLOAT, 32, 10);
		for (int i = 0; i < 32; i++)
			y.putScalar(i, (i * 7) % 10, 1);
		assertClose(plain.output(x, false), fast.output(x, false), 1e-5, "first prediction");

		// step by step from the same state: rounding differences (another summation order in the
		// products) must stay rounding-sized, not grow through several steps of a chaotic fit
		for (int step = 0; step < 4; step++) {
			fast.params().assign(plain.params());
			if (plain.updaterState() != null) fast.updaterState().assign(plain.updaterState());
			Nd4j.getRandom().setSeed(100 + step); // the same dropout masks on both sides
			plain.fit(x, y);
			Nd4j.getRandom().setSeed(100 + step);
			fast.fit(x, y);
			assertEquals(plain.score(), fast.score(), 1e-5 * Math.max(1, plain.score()), "loss at step " +
				step);
			assertClose(plain.params(), fast.params(), 1e-5, "parameters after step " + step);
			assertClose(plain.updaterState(), fast.updaterState(), 1e-5, "optimiser state after step " +
				step);
		}
		assertClose(plain.output(x, false), fast.output(x, false), 1e-4, "prediction after training");
		assertRanOnOneDnn(fast);
	}

	/**
	 * bncnn's ReLUs after BatchNorm train in place (the test above compares that training with
	 * DL4J's); inference keeps every layer's output, as feature maps show them.
	 */
	@Test
	void reluAfterBatchNormOverwritesOnlyInTraining() {
		final MultiLayerNetwork fast = (MultiLayerNetwork) Architectures.build(ArchitectureSpec.parse(
			"bncnn"), MNIST, 10, 7, new Nesterovs(0.05, 0.9)).model();
		int inPlace = 0;
		for (final org.deeplearning4j.nn.api.Layer layer : fast.getLayers())
			if (layer instanceof OneDnnLayers.Activation activation && activation.overwriteInput) {
				assertTrue(fast.getLayer(layer.getIndex() - 1) instanceof BatchNormalization);
				inPlace++;
			}
		assertEquals(5, inPlace, "3 convolution blocks and 2 dense blocks");

		final INDArray x = Nd4j.rand(DataType.FLOAT, 8, 1, 28, 28).subi(0.5);
		final java.util.List<INDArray> inference = fast.feedForward(x, false);
		// activations.get(0) is the input: layer i's output is at i + 1
		final INDArray batchNorm = inference.get(2), relu = inference.get(3);
		assertTrue(batchNorm.minNumber().doubleValue() < 0, "BatchNorm output keeps its negatives");
		assertClose(Transforms.relu(batchNorm, true), relu, 0, "ReLU of it");

		final java.util.List<INDArray> training = fast.feedForward(x, true);
		assertClose(training.get(3), training.get(2), 0, "in training, the ReLU overwrote the " +
			"BatchNorm output");
	}

	/** Every convolution, max-pooling and ReLU layer ran on oneDNN, none on DL4J's fallback. */
	static void assertRanOnOneDnn(final MultiLayerNetwork network) {
		for (final org.deeplearning4j.nn.api.Layer layer : network.getLayers()) {
			final String what = "layer " + layer.getIndex() + " on oneDNN";
			if (layer instanceof OneDnnLayers.Convolution conv) assertTrue(conv.ranOnOneDnn(), what);
			if (layer instanceof OneDnnLayers.Pooling pooling) assertTrue(pooling.ranOnOneDnn(), what);
			if (layer instanceof OneDnnLayers.Activation activation) assertTrue(activation.ranOnOneDnn(),
				what);
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "mlp:16" })
	void modelFilesStayPlainDl4j(final String architecture) throws IOException {
		final Network network = Architectures.build(ArchitectureSpec.parse(architecture), MNIST, 3, 1,
			new Nesterovs(0.01, 0.9));
		final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		ModelSerializer.writeModel(network.model(), bytes, true);
		final MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(
			new ByteArrayInputStream(bytes.toByteArray()), true);
		assertFalse(FastLayers.installed(restored), "DL4J alone restores its own layer classes");
		final INDArray x = Nd4j.rand(DataType.FLOAT, 4, 1, 28, 28);
		assertClose(network.output(x), restored.output(x, false), 1e-6, "restored prediction");
	}

	/** Largest absolute difference at most {@code tolerance} times max(1, largest expected value). */
	static void assertClose(final INDArray expected, final INDArray actual,
		final double tolerance, final String what)
	{
		assertEquals(expected.length(), actual.length(), what);
		final double scale = Math.max(1, expected.amaxNumber().doubleValue());
		final double difference = expected.sub(actual).amaxNumber().doubleValue();
		assertTrue(difference <= tolerance * scale, what + ": largest difference " + difference);
	}
}
