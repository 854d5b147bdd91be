package io.deepclass.core.model;

import java.util.List;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration.ListBuilder;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

import io.deepclass.core.DeepClassException;
import io.deepclass.core.backend.NativeSeed;
import io.deepclass.core.data.ImageShape;
import io.deepclass.core.backend.NativeBackend;

/**
 * Builds the networks named by an {@link ArchitectureSpec} from DL4J layers. The reference
 * architectures have exactly the layers and sizes of the PyTorch peer (for 28x28 gray input);
 * for other inputs the same layers adapt their sizes to the image shape and class count. Weights
 * are drawn as PyTorch draws them: uniform in +-1/sqrt(fan-in).
 */
public final class Architectures {

	private Architectures() {}

	/**
	 * A new, initialised network.
	 *
	 * @param updater the optimiser (and its learning rate) the network trains with
	 */
	public static Network build(final ArchitectureSpec spec, final ImageShape input,
		final int numClasses, final long seed, final IUpdater updater)
	{
		return build(spec, input, numClasses, seed, updater, null);
	}

	/**
	 * As above, with a cross-entropy loss that weighs each class's images by {@code classWeights}
	 * (null: every image counts the same).
	 */
	public static Network build(final ArchitectureSpec spec, final ImageShape input,
		final int numClasses, final long seed, final IUpdater updater, final float[] classWeights)
	{
		NativeBackend.select();
		if (classWeights != null && classWeights.length != numClasses)
			throw new IllegalArgumentException(classWeights.length + " class weights for " +
				numClasses + " classes");
		if (numClasses < 2)
			throw new DeepClassException("a classifier needs at least 2 classes, not " + numClasses);
		final ListBuilder layers = new NeuralNetConfiguration.Builder().seed(NativeSeed.of(seed))
			.updater(updater).weightInit(WeightInit.UNIFORM).convolutionMode(ConvolutionMode.Truncate)
			.list();
		switch (spec.family()) {
			case "linear" -> {}
			case "mlp100" -> dense(layers, 100);
			case "mlp512" -> dense(layers, 512, 512);
			case "onecnn" -> conv(layers, 9, 5, 0);
			case "multicnn" -> {
				conv(layers, 10, 5, 0);
				maxPool(layers);
				conv(layers, 20, 5, 0);
				maxPool(layers);
			}
			case "lenet" -> {
				conv(layers, 6, 5, 2);
				maxPool(layers);
				conv(layers, 16, 5, 0);
				maxPool(layers);
				conv(layers, 120, 5, 0);
				dense(layers, 64);
			}
			case "bncnn" -> {
				for (final int filters : List.of(32, 64, 128))
					convBlock(layers, filters, 3, true);
				for (int i = 0; i < 2; i++)
					denseBlock(layers, 512, true, 0.4);
			}
			case "mlp" -> {
				final double dropout = Double.parseDouble(spec.option("dropout", "0"));
				for (final int size : spec.sizes()) {
					layers.layer(new DenseLayer.Builder().nOut(size).activation(Activation.RELU).build());
					if (dropout > 0) layers.layer(new DropoutLayer.Builder(1 - dropout).build());
				}
			}
			case "cnn" -> {
				final int kernel = Integer.parseInt(spec.option("kernel", "3"));
				final boolean bn = Boolean.parseBoolean(spec.option("bn", "true"));
				for (final int filters : spec.sizes())
					convBlock(layers, filters, kernel, bn);
				denseBlock(layers, Integer.parseInt(spec.option("dense", "128")), bn, Double
					.parseDouble(spec.option("dropout", "0.4")));
			}
			default -> throw new DeepClassException("no builder for architecture " + spec);
		}
		layers.layer((classWeights == null ? new OutputLayer.Builder(LossFunction.MCXENT)
			: new OutputLayer.Builder(new LossMCXENT(Nd4j.createFromArray(classWeights.clone())))).nOut(
				numClasses).activation(Activation.SOFTMAX).build());
		layers.setInputType(InputType.convolutional(input.height(), input.width(), input
			.channels()));
		try {
			final MultiLayerConfiguration conf = layers.build();
			final MultiLayerNetwork network = new MultiLayerNetwork(conf);
			network.init();
			// DL4J checks some sizes only when data flows: one image through finds them all
			network.output(Nd4j.zeros(input.batchShape(1)), false);
			return Network.of(network);
		}
		catch (final RuntimeException e) {
			throw new DeepClassException("architecture " + spec + " does not fit " + input +
				" images (" + e.getMessage() + "). Use larger images (resize on import) or a " +
				"network with fewer pooling layers.", e);
		}
	}

	private static void dense(final ListBuilder layers, final int... sizes) {
		for (final int size : sizes)
			layers.layer(new DenseLayer.Builder().nOut(size).activation(Activation.RELU).build());
	}

	private static void conv(final ListBuilder layers, final int filters, final int kernel,
		final int padding)
	{
		layers.layer(new ConvolutionLayer.Builder(kernel, kernel).nOut(filters).stride(1, 1)
			.padding(padding, padding).activation(Activation.RELU).build());
	}

	private static void maxPool(final ListBuilder layers) {
		layers.layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2)
			.stride(2, 2).build());
	}

	/** Convolution (same size), optional BatchNorm, ReLU, 2x2 max-pool. */
	private static void convBlock(final ListBuilder layers, final int filters, final int kernel,
		final boolean batchNorm)
	{
		final int padding = kernel / 2;
		if (batchNorm) {
			layers.layer(new ConvolutionLayer.Builder(kernel, kernel).nOut(filters).stride(1, 1)
				.padding(padding, padding).activation(Activation.IDENTITY).build());
			layers.layer(new BatchNormalization.Builder().build());
			layers.layer(new ActivationLayer.Builder().activation(Activation.RELU).build());
		}
		else conv(layers, filters, kernel, padding);
		maxPool(layers);
	}

	/** Dense, optional BatchNorm, ReLU, optional dropout (probability of dropping). */
	private static void denseBlock(final ListBuilder layers, final int size,
		final boolean batchNorm, final double dropout)
	{
		if (batchNorm) {
			layers.layer(new DenseLayer.Builder().nOut(size).activation(Activation.IDENTITY).build());
			layers.layer(new BatchNormalization.Builder().build());
			layers.layer(new ActivationLayer.Builder().activation(Activation.RELU).build());
		}
		else dense(layers, size);
		// DL4J's dropout argument is the probability to keep
		if (dropout > 0) layers.layer(new DropoutLayer.Builder(1 - dropout).build());
	}
}
