package io.deepclass.core.engine;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.DepthwiseConvolution2DLayer;
import org.deeplearning4j.nn.params.DepthwiseConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's depthwise convolution layer computed by {@link OneDnnConv}'s kept oneDNN primitives as a
 * grouped convolution (one group per input channel), on DL4J's own weight array.
 *
 * <p>Why: DL4J runs libnd4j's {@code depthwise_conv2d} and {@code depthwise_conv2d_bp}, which
 * together took about 38 % of a mobilenet_v2 fine-tuning step at 224 px (JFR), and its backward
 * pass computes the forward pass again. The layers ONNX import makes (identity activation: the
 * activation is a layer of its own) are specialised; other activations, masks, dropout, weight
 * noise, "Same" mode, dilation, NHWC and other data types run DL4J's code, as does everything
 * after oneDNN refused a shape.
 */
final class OneDnnDepthwise extends DepthwiseConvolution2DLayer {

	private OneDnnConv oneDnn;

	private boolean oneDnnFailed;

	/** As {@link OneDnnLayers.Convolution#singleConsumer}. */
	boolean singleConsumer;

	OneDnnDepthwise(final NeuralNetConfiguration conf, final DataType dataType) {
		super(conf, dataType);
	}

	private DepthwiseConvolution2D depthwiseConf() {
		return (DepthwiseConvolution2D) conf().getLayer();
	}

	private boolean specialised() {
		final DepthwiseConvolution2D c = depthwiseConf();
		return OneDnn.available() && !oneDnnFailed && maskArray == null && input != null && input
			.rank() == 4 && dataType == DataType.FLOAT && OneDnn.plain(input) && c
				.getCnn2dDataFormat() == CNN2DFormat.NCHW && convolutionMode != ConvolutionMode.Same && c
					.getIDropout() == null && c.getWeightNoise() == null && c.getDilation()[0] == 1 && c
						.getDilation()[1] == 1 && c.getActivationFn() instanceof ActivationIdentity && input
							.size(1) == c.getNIn() && OneDnn.plain(getParam(
								DepthwiseConvolutionParamInitializer.WEIGHT_KEY));
	}

	/** True when the last pass ran on {@link OneDnnConv}'s primitives. */
	boolean ranOnOneDnn() {
		return oneDnn != null && !oneDnnFailed;
	}

	private OneDnnConv oneDnn() {
		if (oneDnn == null) {
			final DepthwiseConvolution2D c = depthwiseConf();
			oneDnn = OneDnnConv.depthwise(OneDnn.Window.of(c.getKernelSize(), c.getStride(), c
				.getPadding()), hasBias(), c.getDepthMultiplier());
		}
		return oneDnn;
	}

	@Override
	protected Pair<INDArray, INDArray> preOutput(final boolean training, final boolean forBackprop,
		final LayerWorkspaceMgr workspaces)
	{
		if (specialised()) {
			try {
				return new Pair<>(forward(workspaces), null);
			}
			catch (final RuntimeException e) {
				oneDnnFailed = true; // same results, DL4J's speed
			}
		}
		return super.preOutput(training, forBackprop, workspaces);
	}

	private INDArray forward(final LayerWorkspaceMgr workspaces) {
		final DepthwiseConvolution2D c = depthwiseConf();
		final int[] out = ConvolutionUtils.getOutputSize(input, c.getKernelSize(), c.getStride(), c
			.getPadding(), convolutionMode, c.getDilation(), CNN2DFormat.NCHW);
		final INDArray z = workspaces.createUninitialized(ArrayType.ACTIVATIONS, dataType,
			new long[] { input.size(0), c.getNOut(), out[0], out[1] }, 'c');
		oneDnn().forward(input, getParam(DepthwiseConvolutionParamInitializer.WEIGHT_KEY), hasBias()
			? getParam(DepthwiseConvolutionParamInitializer.BIAS_KEY) : null, z, singleConsumer);
		return z;
	}

	@Override
	public Pair<Gradient, INDArray> backpropGradient(final INDArray epsilon,
		final LayerWorkspaceMgr workspaces)
	{
		final INDArray weightGradient = gradientViews.get(
			DepthwiseConvolutionParamInitializer.WEIGHT_KEY);
		final INDArray biasGradient = hasBias() ? gradientViews.get(
			DepthwiseConvolutionParamInitializer.BIAS_KEY) : null;
		if (!specialised() || !OneDnn.plain(weightGradient)) return super.backpropGradient(epsilon,
			workspaces);
		assertInputSet(true);
		final INDArray epsilonNext = workspaces.createUninitialized(ArrayType.ACTIVATION_GRAD,
			dataType, input.shape(), 'c');
		try {
			// identity activation: the gradient at the output is the one at the pre-activations
			final INDArray delta = OneDnn.plain(epsilon) ? epsilon : epsilon.castTo(dataType).dup('c');
			oneDnn().backward(input, delta, getParam(DepthwiseConvolutionParamInitializer.WEIGHT_KEY),
				weightGradient, biasGradient, epsilonNext, singleConsumer);
		}
		catch (final RuntimeException e) {
			oneDnnFailed = true; // same results, DL4J's speed
			return super.backpropGradient(epsilon, workspaces);
		}
		// in DL4J's order
		final Gradient gradient = new DefaultGradient();
		if (biasGradient != null) gradient.setGradientFor(DepthwiseConvolutionParamInitializer.BIAS_KEY,
			biasGradient);
		gradient.setGradientFor(DepthwiseConvolutionParamInitializer.WEIGHT_KEY, weightGradient, 'c');
		return new Pair<>(gradient, epsilonNext);
	}
}
