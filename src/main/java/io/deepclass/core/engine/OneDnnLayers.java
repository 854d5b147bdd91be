package io.deepclass.core.engine;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.ActivationLayer;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's convolution, max-pooling and ReLU activation layers computed by oneDNN primitives kept
 * between steps ({@link OneDnnConv}, {@link OneDnnPool}, {@link OneDnnRelu}); {@link FastLayers}
 * installs them. Each falls back to DL4J's own code for the cases it does not specialise, and
 * from the moment oneDNN refuses a shape.
 */
final class OneDnnLayers {

	private OneDnnLayers() {}

	/**
	 * DL4J's ConvolutionLayer computed by {@link OneDnnConv}'s kept oneDNN primitives, keeping the
	 * pre-activations of a training pass for the backward pass. The first layer skips the input
	 * gradient while {@link Network.Sequential#fit} trains (see
	 * {@link Convolution#inputGradientNeeded}).
	 * Cases these do not specialise (no oneDNN, masks, dropout or weight noise on the layer,
	 * "Same" mode, dilation, NHWC, other data types) run DL4J's code; with DL4J's own
	 * oneDNN helper the pre-activations are still kept instead of computed a second time.
	 */
	static final class Convolution extends ConvolutionLayer {

		private INDArray lastZ;

		private INDArray lastZInput;

		private OneDnnConv oneDnn;

		private OneDnnRelu relu;

		/** Set when oneDNN refused a shape: the layer then runs DL4J's code from there on. */
		private boolean oneDnnFailed;

		/**
		 * False while the network trains with this as its first layer and no input preprocessor:
		 * DL4J's {@code fit} then discards the gradient at the input image, so it is not computed.
		 * True otherwise (input-gradient saliency needs it).
		 */
		boolean inputGradientNeeded = true;

		/**
		 * True when this layer's output goes to one layer alone (set by {@link FastGraph}): the
		 * blocked values of its output and of its output's gradient may then pass to and from
		 * that layer without reorders ({@link BlockedHandoff}).
		 */
		boolean singleConsumer;

		Convolution(final NeuralNetConfiguration conf, final DataType dataType) {
			super(conf, dataType);
		}

		private boolean specialised() {
			final org.deeplearning4j.nn.conf.layers.ConvolutionLayer c = layerConf();
			return OneDnn.available() && !oneDnnFailed && maskArray == null && input != null &&
				input.rank() == 4 && dataType == DataType.FLOAT && OneDnn.plain(input) && c
					.getCnn2dDataFormat() == CNN2DFormat.NCHW && convolutionMode != ConvolutionMode.Same &&
				c.getIDropout() == null && c.getWeightNoise() == null && c
					.getDilation()[0] == 1 && c.getDilation()[1] == 1 && input.size(1) == getParam(
						ConvolutionParamInitializer.WEIGHT_KEY).size(1);
		}

		/** True when the last pass ran on {@link OneDnnConv}'s primitives. */
		boolean ranOnOneDnn() {
			return oneDnn != null && !oneDnnFailed;
		}

		private OneDnnConv oneDnn() {
			if (oneDnn == null) {
				final org.deeplearning4j.nn.conf.layers.ConvolutionLayer c = layerConf();
				oneDnn = new OneDnnConv(OneDnn.Window.of(c.getKernelSize(), c.getStride(), c
					.getPadding()), hasBias());
			}
			return oneDnn;
		}

		@Override
		protected Pair<INDArray, INDArray> preOutput(final boolean training,
			final boolean forBackprop, final LayerWorkspaceMgr workspaces)
		{
			final boolean specialised = specialised();
			// the specialised backward pass needs no pre-activations after an identity activation
			final boolean cacheable = specialised ? !(layerConf()
				.getActivationFn() instanceof ActivationIdentity) : helper != null && helperCountFail == 0 &&
					maskArray == null;
			if (forBackprop && cacheable && lastZ != null && lastZInput == input) {
				final INDArray z = lastZ;
				lastZ = null;
				lastZInput = null;
				return new Pair<>(z, null);
			}
			lastZ = null;
			lastZInput = null;
			Pair<INDArray, INDArray> result = null;
			if (specialised) {
				try {
					result = new Pair<>(forward(workspaces), null);
				}
				catch (final RuntimeException e) {
					oneDnnFailed = true; // same results, DL4J's speed
				}
			}
			if (result == null) result = super.preOutput(training, forBackprop, workspaces);
			if (training && !forBackprop && cacheable) {
				lastZ = workspaces.dup(ArrayType.ACTIVATIONS, result.getFirst());
				lastZInput = input;
			}
			return result;
		}

		private INDArray forward(final LayerWorkspaceMgr workspaces) {
			final org.deeplearning4j.nn.conf.layers.ConvolutionLayer c = layerConf();
			final int[] out = ConvolutionUtils.getOutputSize(input, c.getKernelSize(), c.getStride(), c
				.getPadding(), convolutionMode, c.getDilation(), CNN2DFormat.NCHW);
			final INDArray weights = getParam(ConvolutionParamInitializer.WEIGHT_KEY);
			final INDArray z = workspaces.createUninitialized(ArrayType.ACTIVATIONS, dataType,
				new long[] { input.size(0), weights.size(0), out[0], out[1] }, 'c');
			// the activation works on z in place: only an identity leaves z as computed
			oneDnn().forward(input, weights, hasBias() ? getParam(ConvolutionParamInitializer.BIAS_KEY)
				: null, z, singleConsumer && c.getActivationFn() instanceof ActivationIdentity);
			return z;
		}

		@Override
		public Pair<Gradient, INDArray> backpropGradient(final INDArray epsilon,
			final LayerWorkspaceMgr workspaces)
		{
			if (!specialised()) return super.backpropGradient(epsilon, workspaces);
			assertInputSet(true);
			final INDArray weightGradient = gradientViews.get(ConvolutionParamInitializer.WEIGHT_KEY);
			final INDArray biasGradient = hasBias() ? gradientViews.get(
				ConvolutionParamInitializer.BIAS_KEY) : null;
			INDArray epsilonNext = null;
			try {
				final INDArray delta = delta(epsilon.castTo(dataType), workspaces);
				if (inputGradientNeeded) epsilonNext = workspaces.createUninitialized(
					ArrayType.ACTIVATION_GRAD, dataType, input.shape(), 'c');
				oneDnn().backward(input, delta, getParam(ConvolutionParamInitializer.WEIGHT_KEY),
					weightGradient, biasGradient, epsilonNext, singleConsumer);
			}
			catch (final RuntimeException e) {
				// same results, DL4J's speed (it computes the pre-activations again)
				oneDnnFailed = true;
				return super.backpropGradient(epsilon, workspaces);
			}
			final Gradient gradient = new DefaultGradient();
			if (biasGradient != null) gradient.gradientForVariable().put(
				ConvolutionParamInitializer.BIAS_KEY, biasGradient);
			gradient.gradientForVariable().put(ConvolutionParamInitializer.WEIGHT_KEY, weightGradient);
			return new Pair<>(gradient, epsilonNext);
		}

		/** The loss gradient at the pre-activations, as a plain array. */
		private INDArray delta(final INDArray epsilon, final LayerWorkspaceMgr workspaces) {
			final IActivation activation = layerConf().getActivationFn();
			INDArray delta;
			if (activation instanceof ActivationIdentity) delta = epsilon;
			else {
				final INDArray z = preOutput(true, true, workspaces).getFirst();
				if (OneDnnRelu.handles(activation) && OneDnn.plain(z) && OneDnn.plain(epsilon)) {
					delta = workspaces.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, z.shape(),
						'c');
					relu().backward(z, epsilon, delta);
				}
				else delta = activation.backprop(z, epsilon).getFirst();
			}
			return OneDnn.plain(delta) ? delta : delta.dup('c');
		}

		private OneDnnRelu relu() {
			if (relu == null) relu = OneDnnRelu.of(layerConf().getActivationFn());
			return relu;
		}

		@Override
		public void clear() {
			super.clear();
			lastZ = null;
			lastZInput = null;
		}
	}

	/**
	 * DL4J's SubsamplingLayer, max-pooling through {@link OneDnnPool}'s kept oneDNN primitives:
	 * the backward pass uses the positions of the maxima found in the forward pass instead of
	 * searching every window again. Other pooling kinds, masks, NHWC, "Same" mode, dilation and
	 * other data types run DL4J's code, as does everything after oneDNN refused a shape.
	 */
	static final class Pooling extends SubsamplingLayer {

		private OneDnnPool oneDnn;

		private boolean oneDnnFailed;

		Pooling(final NeuralNetConfiguration conf, final DataType dataType) {
			super(conf, dataType);
		}

		private boolean specialised() {
			final org.deeplearning4j.nn.conf.layers.SubsamplingLayer c = layerConf();
			return OneDnn.available() && !oneDnnFailed && maskArray == null && input != null && input
				.rank() == 4 && dataType == DataType.FLOAT && OneDnn.plain(input) && c
					.getPoolingType() == PoolingType.MAX && c
						.getCnn2dDataFormat() == CNN2DFormat.NCHW && convolutionMode != ConvolutionMode.Same &&
				c.getDilation()[0] == 1 && c.getDilation()[1] == 1;
		}

		/** True when the last pass ran on {@link OneDnnPool}'s primitives. */
		boolean ranOnOneDnn() {
			return oneDnn != null && !oneDnnFailed;
		}

		private OneDnnPool oneDnn() {
			if (oneDnn == null) {
				final org.deeplearning4j.nn.conf.layers.SubsamplingLayer c = layerConf();
				oneDnn = new OneDnnPool(OneDnn.Window.of(c.getKernelSize(), c.getStride(), c
					.getPadding()));
			}
			return oneDnn;
		}

		@Override
		public INDArray activate(final boolean training, final LayerWorkspaceMgr workspaces) {
			if (!specialised()) return super.activate(training, workspaces);
			final INDArray output = workspaces.createUninitialized(ArrayType.ACTIVATIONS, dataType,
				outputShape(), 'c');
			return forward(output) ? output : super.activate(training, workspaces);
		}

		private long[] outputShape() {
			final org.deeplearning4j.nn.conf.layers.SubsamplingLayer c = layerConf();
			final int[] out = ConvolutionUtils.getOutputSize(input, c.getKernelSize(), c.getStride(), c
				.getPadding(), convolutionMode, c.getDilation(), CNN2DFormat.NCHW);
			return new long[] { input.size(0), input.size(1), out[0], out[1] };
		}

		/** Pools the input into {@code output}; false when oneDNN refused. */
		private boolean forward(final INDArray output) {
			try {
				oneDnn().forward(input, output);
				return true;
			}
			catch (final RuntimeException e) {
				oneDnnFailed = true; // same results, DL4J's speed
				return false;
			}
		}

		@Override
		public Pair<Gradient, INDArray> backpropGradient(final INDArray epsilon,
			final LayerWorkspaceMgr workspaces)
		{
			if (!specialised()) return super.backpropGradient(epsilon, workspaces);
			assertInputSet(true);
			final INDArray dy = OneDnn.plain(epsilon) ? epsilon : epsilon.castTo(dataType).dup('c');
			final INDArray dx = workspaces.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType,
				input.shape(), 'c');
			try {
				// the maxima are those of the last forward pass over this very input, else found now
				if (!oneDnn().backward(input, dy, dx)) {
					if (!forward(Nd4j.createUninitialized(dataType, outputShape(), 'c')))
						return super.backpropGradient(epsilon, workspaces);
					oneDnn().backward(input, dy, dx);
				}
			}
			catch (final RuntimeException e) {
				oneDnnFailed = true;
				return super.backpropGradient(epsilon, workspaces);
			}
			return new Pair<>(new DefaultGradient(), dx);
		}

		@Override
		public void clear() {
			super.clear();
			if (oneDnn != null) oneDnn.forget();
		}
	}

	/**
	 * DL4J's ActivationLayer with a plain ReLU or ReLU6, through {@link OneDnnRelu}'s kept
	 * primitives: no copy of the input in either pass. Other activations, dropout and non-plain arrays run
	 * DL4J's code, as does everything after oneDNN refused a shape.
	 */
	static final class Activation extends ActivationLayer {

		private OneDnnRelu relu;

		private boolean oneDnnFailed;

		private boolean ran;

		/**
		 * True when training may write the output over the input: {@link FastLayers#install} sets
		 * it where the input is the output of a layer before that needs only its own input in the
		 * backward pass (BatchNorm), as PyTorch's {@code ReLU(inplace=True)}. The backward pass then
		 * reads the output, which selects the same positions (x &gt; 0 exactly where y &gt; 0;
		 * ReLU6: 0 &lt; x &lt; 6 exactly where 0 &lt; y &lt; 6). In {@code bncnn} at 128 x 128, batch
		 * 64, this keeps 235 MB fewer activations; inference never overwrites (feature maps).
		 */
		boolean overwriteInput;

		Activation(final NeuralNetConfiguration conf, final DataType dataType) {
			super(conf, dataType);
		}

		private boolean specialised() {
			return OneDnn.available() && !oneDnnFailed && input != null && (input.rank() == 2 || input
				.rank() == 4) && OneDnn.plain(input) && OneDnnRelu.handles(layerConf()
					.getActivationFn()) && layerConf().getIDropout() == null;
		}

		private OneDnnRelu relu() {
			if (relu == null) relu = OneDnnRelu.of(layerConf().getActivationFn());
			return relu;
		}

		/** True when the last pass ran on {@link OneDnnRelu}'s primitives. */
		boolean ranOnOneDnn() {
			return ran && !oneDnnFailed;
		}

		@Override
		public INDArray activate(final boolean training, final LayerWorkspaceMgr workspaces) {
			if (!specialised()) return super.activate(training, workspaces);
			assertInputSet(false);
			final INDArray output = training && overwriteInput ? input : workspaces.createUninitialized(
				ArrayType.ACTIVATIONS, dataType, input.shape(), 'c');
			try {
				relu().forward(input, output);
				ran = true;
				return output;
			}
			catch (final RuntimeException e) {
				oneDnnFailed = true; // same results, DL4J's speed
				return super.activate(training, workspaces);
			}
		}

		@Override
		public Pair<Gradient, INDArray> backpropGradient(final INDArray epsilon,
			final LayerWorkspaceMgr workspaces)
		{
			if (!specialised()) return super.backpropGradient(epsilon, workspaces);
			assertInputSet(true);
			final INDArray dy = OneDnn.plain(epsilon) ? epsilon : epsilon.castTo(dataType).dup('c');
			final INDArray dx = workspaces.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType,
				input.shape(), 'c');
			try {
				relu().backward(input, dy, dx);
			}
			catch (final RuntimeException e) {
				oneDnnFailed = true;
				return super.backpropGradient(epsilon, workspaces);
			}
			return new Pair<>(new DefaultGradient(), dx);
		}
	}

	/**
	 * The first layer when it is one of these convolutions without an input preprocessor, whose
	 * input gradient training can skip; else null.
	 */
	static Convolution firstConvolution(final MultiLayerNetwork network) {
		return network.getnLayers() > 0 && network.getLayer(0) instanceof Convolution conv && network
			.getLayerWiseConfigurations().getInputPreProcess(0) == null ? conv : null;
	}
}
