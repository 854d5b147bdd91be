package io.deepclass.core.engine;

import static io.deepclass.core.engine.FastLayersTest.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;

import io.deepclass.core.data.ImageShape;
import io.deepclass.core.model.ArchitectureSpec;
import io.deepclass.core.model.Architectures;
import io.deepclass.core.model.Network;

/** The fast path for fully connected networks trains and predicts as DL4J's fit and output do. */
class DenseFastPathTest {

	private static final ImageShape MNIST = new ImageShape(1, 28, 28);

	@ParameterizedTest
	@CsvSource({ "linear, nesterovs", "mlp:64-32, nesterovs", "mlp:64-32, adam", "mlp100, sgd",
		// 32 x 1100 activations take ND4J's bias and ReLU, 20 x 1100 the host's
		"mlp:1100-16, nesterovs" })
	void trainsAndPredictsLikeDl4jsFit(final String architecture, final String optimizer) {
		final IUpdater updater = switch (optimizer) {
			case "adam" -> new Adam(0.01);
			case "sgd" -> new Sgd(0.1);
			default -> new Nesterovs(0.05, 0.9);
		};
		// Adam divides by the root of the squared gradients, which makes rounding-sized differences
		// in tiny gradients larger (still 100 times below its step size)
		final double tolerance = updater instanceof Adam ? 1e-4 : 1e-5;
		final Network network = Architectures.build(ArchitectureSpec.parse(architecture), MNIST, 10,
			7, updater);
		assertTrue(((Network.Sequential) network).fastDense(), architecture);
		final MultiLayerNetwork fast = (MultiLayerNetwork) network.model();
		final MultiLayerNetwork plain = new MultiLayerNetwork(fast.getLayerWiseConfigurations()
			.clone());
		plain.init(fast.params().dup(), false);

		// inputs far from zero mean and a smaller last batch, as at the end of an epoch
		final INDArray[] xs = { Nd4j.rand(DataType.FLOAT, 32, 1, 28, 28).muli(2).subi(0.4), Nd4j.rand(
			DataType.FLOAT, 20, 1, 28, 28) };
		final INDArray[] ys = { oneHot(32, 3), oneHot(20, 7) };
		assertClose(plain.output(xs[0], false), network.output(xs[0]), 1e-5, "first prediction");

		for (int step = 0; step < 6; step++) {
			final INDArray x = xs[step % 2];
			final INDArray y = ys[step % 2];
			if (step == 3) {
				plain.setLearningRate(0.02);
				network.setLearningRate(0.02);
			}
			// from the same state each step: differences stay rounding-sized, not compounded
			fast.params().assign(plain.params());
			if (plain.updaterState() != null) fast.updaterState().assign(plain.updaterState());
			plain.fit(x, y);
			network.fit(x, y);
			assertEquals(plain.score(), network.score(), 1e-5 * Math.max(1, plain.score()),
				"loss at step " + step);
			assertClose(plain.params(), fast.params(), tolerance, "parameters after step " + step);
			if (plain.updaterState() != null) assertClose(plain.updaterState(), fast.updaterState(),
				1e-5, "optimiser state after step " + step);
			assertEquals(plain.getIterationCount(), fast.getIterationCount(), "iterations");
		}
		for (final INDArray x : xs)
			assertClose(plain.output(x, false), network.output(x), 1e-5, "prediction after training");
	}

	@Test
	void columnMajorInputTakesDl4jsPath() {
		final Network network = Architectures.build(ArchitectureSpec.parse("mlp:16"), MNIST, 3, 1,
			new Nesterovs(0.01, 0.9));
		final INDArray x = Nd4j.rand(DataType.FLOAT, 5, 784);
		assertClose(network.output(x), network.output(x.dup('f')), 1e-6, "same prediction");
	}

	@ParameterizedTest
	@ValueSource(strings = { "onecnn", "bncnn", "mlp:32,dropout=0.2" })
	void otherNetworksKeepDl4jsFit(final String architecture) {
		final Network network = Architectures.build(ArchitectureSpec.parse(architecture), MNIST, 10,
			7, new Nesterovs(0.05, 0.9));
		assertFalse(((Network.Sequential) network).fastDense(), architecture);
	}

	private static INDArray oneHot(final int n, final int shift) {
		final INDArray y = Nd4j.zeros(DataType.FLOAT, n, 10);
		for (int i = 0; i < n; i++)
			y.putScalar(i, (i * 7 + shift) % 10, 1);
		return y;
	}
}
