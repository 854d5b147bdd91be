package io.deepclass.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * The BatchNormalization helper gives what DL4J's built-in implementation gives: activations in
 * training and inference, input gradients (through the layer below), gamma/beta gradients and the
 * running mean and variance, on activations far from zero mean (where one-pass variance loses
 * digits).
 */
class FastBatchNormTest {

	private static final double TOLERANCE = 2e-5;

	@Test
	void convolutionBatchNormMatchesDl4jsBuiltInCode() throws Exception {
		final NeuralNetConfiguration.ListBuilder conf = new NeuralNetConfiguration.Builder().seed(3)
			.updater(new Sgd(0.1)).list().layer(new ConvolutionLayer.Builder(3, 3).nOut(4).activation(
				Activation.IDENTITY).build()).layer(new BatchNormalization.Builder().build()).layer(
					new OutputLayer.Builder(LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX)
						.build()).setInputType(InputType.convolutional(7, 6, 2));
		final FastBatchNorm helper = compare(conf, Nd4j.rand(DataType.FLOAT, 5, 2, 7, 6).muli(0.5)
			.addi(3));
		assertTrue(helper.computedLastTrainingPass());
		assertEquals(OneDnn.available(), helper.trainedOnOneDnn(), "oneDNN's primitives trained");
	}

	/** The ND4J operations that remain where oneDNN is not used give the same results. */
	@Test
	void withoutOneDnnTheNd4jOperationsMatchDl4jsBuiltInCode() throws Exception {
		final NeuralNetConfiguration.ListBuilder conf = new NeuralNetConfiguration.Builder().seed(5)
			.updater(new Sgd(0.1)).list().layer(new ConvolutionLayer.Builder(3, 3).nOut(4).activation(
				Activation.IDENTITY).build()).layer(new BatchNormalization.Builder().build()).layer(
					new OutputLayer.Builder(LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX)
						.build()).setInputType(InputType.convolutional(7, 6, 2));
		final FastBatchNorm helper = compare(conf, Nd4j.rand(DataType.FLOAT, 5, 2, 7, 6).muli(0.5)
			.addi(3), true);
		assertTrue(helper.computedLastTrainingPass());
		assertFalse(helper.trainedOnOneDnn());
	}

	@Test
	void denseBatchNormMatchesDl4jsBuiltInCode() throws Exception {
		final NeuralNetConfiguration.ListBuilder conf = new NeuralNetConfiguration.Builder().seed(4)
			.updater(new Sgd(0.1)).list().layer(new DenseLayer.Builder().nOut(8).activation(
				Activation.IDENTITY).build()).layer(new BatchNormalization.Builder().build()).layer(
					new OutputLayer.Builder(LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX)
						.build()).setInputType(InputType.feedForward(6));
		assertTrue(compare(conf, Nd4j.rand(DataType.FLOAT, 9, 6).muli(0.5).addi(3))
			.computedLastTrainingPass());
	}

	private static FastBatchNorm compare(final NeuralNetConfiguration.ListBuilder conf,
		final INDArray x)
		throws Exception
	{
		return compare(conf, x, false);
	}

	/** withoutOneDnn: the helper's oneDNN path marked refused, so its ND4J operations run. */
	private static FastBatchNorm compare(final NeuralNetConfiguration.ListBuilder conf,
		final INDArray x, final boolean withoutOneDnn)
		throws Exception
	{
		final MultiLayerNetwork builtIn = new MultiLayerNetwork(conf.build());
		builtIn.init();
		setHelper(builtIn, null);
		final MultiLayerNetwork fast = new MultiLayerNetwork(conf.build());
		fast.init(builtIn.params().dup(), true);
		FastLayers.install(fast);
		assertInstanceOf(FastBatchNorm.class, fast.getLayer(1).getHelper());
		if (withoutOneDnn) ((FastBatchNorm) fast.getLayer(1).getHelper()).refuseOneDnn();
		assertNull(builtIn.getLayer(1).getHelper());

		final INDArray y = Nd4j.zeros(DataType.FLOAT, x.size(0), 3);
		for (int i = 0; i < x.size(0); i++)
			y.putScalar(i, i % 3, 1);
		for (int step = 0; step < 3; step++) {
			fast.params().assign(builtIn.params());
			FastLayersTest.assertClose(builtIn.feedForward(x, true).get(2), fast.feedForward(x, true)
				.get(2), TOLERANCE, "training activations, step " + step);
			builtIn.fit(x, y);
			fast.fit(x, y);
			// conv/dense weights move by the input gradient through BN; gamma, beta and the
			// running statistics by the BN gradients and batch statistics
			for (final String key : builtIn.paramTable().keySet())
				FastLayersTest.assertClose(builtIn.getParam(key), fast.getParam(key), TOLERANCE, key +
					" after step " + step);
		}
		FastLayersTest.assertClose(builtIn.output(x, false), fast.output(x, false), TOLERANCE,
			"inference output");
		assertTrue(builtIn.getParam("1_mean").amaxNumber()
			.doubleValue() > 0.01, "the running mean moved, so the comparison means something");
		return (FastBatchNorm) fast.getLayer(1).getHelper();
	}

	private static void setHelper(final MultiLayerNetwork network, final Object helper)
		throws ReflectiveOperationException
	{
		final Field field = org.deeplearning4j.nn.layers.normalization.BatchNormalization.class
			.getDeclaredField("helper");
		field.setAccessible(true);
		field.set(network.getLayer(1), helper);
	}
}
