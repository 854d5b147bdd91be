package io.deepclass.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.deepclass.core.DeepClassException;
import io.deepclass.core.TestData;
import io.deepclass.core.data.Dataset;
import io.deepclass.core.data.ImageShape;
import io.deepclass.core.data.Normalization;
import io.deepclass.core.train.Trainer;
import io.deepclass.core.train.TrainingResult;
import io.deepclass.core.train.TrainingSettings;

class ArchitecturesTest {

	private static final ImageShape MNIST = new ImageShape(1, 28, 28);

	/**
	 * Parameter counts of the PyTorch peer's models (sum of p.numel()), plus DL4J's BatchNorm
	 * running mean and variance, which DL4J keeps among the parameters and PyTorch as buffers.
	 */
	@ParameterizedTest
	@CsvSource({ "linear,7850", "mlp100,79510", "mlp512,669706", "onecnn,52084", "multicnn,8490",
		"lenet,59086", "bncnn,955786" })
	void referenceArchitecturesHaveThePeersExactShapes(final String name, final long params) {
		final Network net = Architectures.build(ArchitectureSpec.parse(name), MNIST, 10, 1,
			new org.nd4j.linalg.learning.config.Sgd(0.1));
		assertEquals(params, net.numParams());
		assertEquals(10, net.output(org.nd4j.linalg.factory.Nd4j.zeros(1, 1, 28, 28)).size(1));
	}

	@ParameterizedTest
	@ValueSource(strings = { "linear", "mlp100", "mlp512", "onecnn", "multicnn", "lenet", "bncnn",
		"mlp:32-16", "cnn:8-16,dense=32" })
	void everyArchitectureLearnsStripes(final String name) {
		final Dataset train = TestData.stripes(320, 28, 1);
		final Dataset validation = TestData.stripes(200, 28, 2);
		final TrainingSettings settings = TrainingSettings.defaults().withEpochs(3).withBatchSize(32);
		final Network net = Architectures.build(ArchitectureSpec.parse(name), train.shape(), 2, 42,
			settings.optimizer().updater(settings.learningRate(), settings.momentum()));
		final TrainingResult result = new Trainer(settings, null, null).train(net, Normalization.fit(
			train), train, validation);
		final double accuracy = result.last().validationAccuracy();
		assertTrue(accuracy >= 0.95, name + " reached only " + accuracy);
	}

	@Test
	void adaptsToOtherShapesAndClassCounts() {
		final Network net = Architectures.build(ArchitectureSpec.parse("lenet"), new ImageShape(3, 64,
			48), 5, 1, new org.nd4j.linalg.learning.config.Adam(1e-3));
		assertEquals(5, net.output(org.nd4j.linalg.factory.Nd4j.zeros(2, 3, 64, 48)).size(1));
	}

	@Test
	void tooSmallImagesAreExplained() {
		final DeepClassException e = assertThrows(DeepClassException.class, () -> Architectures.build(
			ArchitectureSpec.parse("multicnn"), new ImageShape(1, 8, 8), 2, 1,
			new org.nd4j.linalg.learning.config.Sgd(0.1)));
		assertTrue(e.getMessage().contains("does not fit 8x8 gray images"), e.getMessage());
	}
}
