package io.deepclass.core.engine;

import static io.deepclass.core.engine.FastLayersTest.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

import io.deepclass.core.backend.NativeBackend;
import io.deepclass.core.model.Network;

/**
 * Convolution and max-pooling layers through kept oneDNN primitives compute what DL4J's layers
 * compute: forward pass, weight and bias gradients, input gradient, training steps through
 * {@link Network#fit} (which skips the first layer's input gradient) and the input gradient
 * afterwards.
 */
class OneDnnLayersTest {

	@Test
	void isLoadedOnThisMachine() {
		NativeBackend.select();
		assertTrue(OneDnn.available(), "the dnnl natives are part of the cpu profile");
	}

	@Test
	void plainMeansDenseRowMajorFloatFromTheFirstValue() {
		assertTrue(OneDnn.plain(Nd4j.create(DataType.FLOAT, 64, 1, 28, 28)),
			"a batch of one-channel images (ND4J's own stride check says no)");
		assertTrue(OneDnn.plain(Nd4j.create(DataType.FLOAT, 8, 3, 5, 5)));
		assertFalse(OneDnn.plain(Nd4j.create(DataType.FLOAT, 8, 3, 5, 5).permute(0, 2, 3, 1)),
			"NHWC view");
		assertFalse(OneDnn.plain(Nd4j.create(DataType.FLOAT, new long[] { 8, 3, 5, 5 }, 'f')));
		assertFalse(OneDnn.plain(Nd4j.create(DataType.DOUBLE, 8, 3, 5, 5)));
		assertFalse(OneDnn.plain(null));
	}

	/**
	 * Three input channels, stride 2 on a padded 12x12 input (DL4J's "Truncate" drops the last
	 * column), a padded 3x3 max-pool with stride 2, then a second convolution whose input
	 * gradient flows back through the pooling into the first.
	 */
	@Test
	void stridedConvolutionsAndPoolingTrainLikeDl4j() {
		NativeBackend.select();
		final MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).updater(
			new Nesterovs(0.05, 0.9)).weightInit(WeightInit.XAVIER).convolutionMode(
				ConvolutionMode.Truncate).list().layer(new ConvolutionLayer.Builder(3, 3).nOut(4).stride(2,
					2).padding(1, 1).activation(Activation.RELU).build()).layer(new SubsamplingLayer.Builder(
						SubsamplingLayer.PoolingType.MAX).kernelSize(3, 3).stride(2, 2).padding(1, 1).build())
			.layer(
						new ConvolutionLayer.Builder(2, 2).nOut(5).stride(1, 1).activation(Activation.TANH)
							.build()).layer(new OutputLayer.Builder(LossFunction.MCXENT).nOut(3).activation(
								Activation.SOFTMAX).build()).setInputType(InputType.convolutional(12, 12, 3))
			.build();
		final MultiLayerNetwork reference = new MultiLayerNetwork(conf.clone());
		reference.init();
		final MultiLayerNetwork fastModel = new MultiLayerNetwork(conf.clone());
		fastModel.init(reference.params().dup(), false);
		final Network fast = Network.of(fastModel);
		assertTrue(FastLayers.installed(fastModel));
		assertTrue(OneDnnLayers.firstConvolution(fastModel) != null);

		final INDArray x = Nd4j.rand(DataType.FLOAT, 6, 3, 12, 12).subi(0.5);
		final INDArray y = Nd4j.zeros(DataType.FLOAT, 6, 3);
		for (int i = 0; i < 6; i++)
			y.putScalar(i, i % 3, 1);
		assertClose(reference.output(x, false), fast.output(x), 1e-5, "first prediction");
		for (int step = 0; step < 3; step++) {
			reference.fit(x, y);
			fast.fit(x, y);
			assertEquals(reference.score(), fast.score(), 1e-5, "loss at step " + step);
			assertClose(reference.params(), fast.params(), 1e-5, "parameters after step " + step);
		}
		// after training the first layer computes the input gradient again (saliency needs it)
		final INDArray referenceGradient = reference.calculateGradients(x, y, null, null)
			.getSecond();
		final INDArray fastGradient = fastModel.calculateGradients(x, y, null, null).getSecond();
		assertTrue(fastGradient.amaxNumber().doubleValue() > 0, "a real input gradient");
		assertClose(referenceGradient, fastGradient, 1e-5, "input gradient");
		FastLayersTest.assertRanOnOneDnn(fastModel);
	}

	/**
	 * ReLU6 on oneDNN is DL4J's, bit for bit, also at its corners: 0 and 6 pass no gradient,
	 * values above 6 are cut.
	 */
	@Test
	void relu6IsDl4jsAtTheCorners() {
		NativeBackend.select();
		final var relu6 = Activation.RELU6.getActivationFunction();
		final OneDnnRelu oneDnn = OneDnnRelu.of(relu6);
		assertTrue(oneDnn != null && OneDnnRelu.handles(relu6));
		assertTrue(OneDnnRelu.of(Activation.TANH.getActivationFunction()) == null);
		Nd4j.getRandom().setSeed(9);
		final INDArray x = Nd4j.rand(DataType.FLOAT, 4, 3, 5, 5).muli(10).subi(2);
		final float[] corners = { -1, 0, 3, 6, 7, 5.999999f, 6.000001f, Float.MIN_VALUE };
		for (int i = 0; i < corners.length; i++)
			x.putScalar(i, corners[i]);
		final INDArray dy = Nd4j.rand(DataType.FLOAT, 4, 3, 5, 5).subi(0.5);

		final INDArray y = Nd4j.createUninitialized(DataType.FLOAT, x.shape());
		oneDnn.forward(x, y);
		assertEquals(relu6.getActivation(x.dup(), true), y, "forward");
		final INDArray dx = Nd4j.createUninitialized(DataType.FLOAT, x.shape());
		oneDnn.backward(x, dy, dx);
		assertEquals(relu6.backprop(x.dup(), dy.dup()).getFirst(), dx, "backward");
	}
}
