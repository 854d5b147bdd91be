package io.deepclass.core.model;

import java.lang.reflect.Field;
import java.util.Map;
import java.util.function.Function;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.AbstractLayer;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNBatchNormHelper;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.layers.normalization.BatchNormalizationHelper;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Faster implementations of DL4J's fully connected, convolution, max-pooling and ReLU layers:
 * the same maths with fewer and better-shaped native calls.
 *
 * <p>Fully connected layers. DL4J 1.0.0-M2.1 multiplies {@code input.mmuli(W, out)} into a
 * row-major {@code out}, which ND4J computes into a temporary column-major array and then copies
 * with a transposing loop; measured for a 64x784 by 784x512 product on this project's 2-core
 * machine: 800-1500 us that way, 180-210 us as one {@code Nd4j.gemm} straight into {@code out}. The
 * backward pass's input gradient has the same detour (410 us against 190 us). On {@code mlp512}
 * these two made up about half of each training step. The weight gradient goes straight into
 * the parameter-gradient view, laid out so ND4J takes its fast path.
 *
 * <p>Every layer (convolution with oneDNN included) computed its forward pass a second time in
 * the backward pass, because the activation function overwrites the pre-activations in place;
 * these keep a copy of the training pass's pre-activations instead (DL4J's own cache for this,
 * {@code CacheMode}, is never invalidated, so an inference pass followed by a backward pass,
 * as in input-gradient saliency, would reuse stale values).
 *
 * <p>Convolution, max-pooling and ReLU layers run on oneDNN primitives kept between steps
 * ({@link OneDnnConv}, {@link OneDnnPool}, {@link OneDnnRelu}) where oneDNN is available.
 *
 * <p>{@link #install} swaps these in for the exact DL4J classes after a network is built or
 * loaded; configurations, parameters and model files stay plain DL4J. Cases they do not
 * specialise (layer norm, masks) run DL4J's own code.
 */
public final class FastLayers {

	private FastLayers() {}

	/**
	 * For the System Check: whether convolution, max-pooling and ReLU layers run on kept oneDNN
	 * primitives, with oneDNN's version, or why not.
	 */
	public static String oneDnnPrimitives() {
		final String version = OneDnn.version();
		return version != null ? "yes (oneDNN " + version + " through JavaCPP: convolution, " +
			"max-pooling, ReLU)" : "no (DL4J's layer code: oneDNN's JavaCPP build did not load" +
				(Boolean.parseBoolean(System.getProperty(OneDnn.PROPERTY, "true")) ? " on this platform " +
					"or backend)" : ", -D" + OneDnn.PROPERTY + "=false)");
	}

	/**
	 * Replaces the network's DenseLayer, OutputLayer, ConvolutionLayer, SubsamplingLayer and
	 * ActivationLayer implementations in place and gives its BatchNormalization layers the
	 * {@link FastBatchNorm} helper.
	 */
	public static void install(final MultiLayerNetwork network) {
		final Layer[] layers = network.getLayers();
		if (layers == null) return;
		for (int i = 0; i < layers.length; i++) {
			final Layer layer = layers[i];
			if (layer.getClass() == org.deeplearning4j.nn.layers.feedforward.dense.DenseLayer.class)
				layers[i] = copyState((BaseLayer<?>) layer, new Dense(layer.conf(), dataType(layer)));
			else if (layer.getClass() == org.deeplearning4j.nn.layers.OutputLayer.class)
				layers[i] = copyState((BaseLayer<?>) layer, new Output(layer.conf(), dataType(layer)));
			else if (layer.getClass() == org.deeplearning4j.nn.layers.convolution.ConvolutionLayer.class)
				layers[i] = copyState((BaseLayer<?>) layer, new Convolution(layer.conf(), dataType(
					layer)));
			else if (layer.getClass() == SubsamplingLayer.class)
				layers[i] = copyLayerState((AbstractLayer<?>) layer, new Pooling(layer.conf(), dataType(
					layer)));
			else if (layer.getClass() == org.deeplearning4j.nn.layers.ActivationLayer.class)
				layers[i] = copyLayerState((AbstractLayer<?>) layer, new Activation(layer.conf(),
					dataType(layer)));
			else if (layer instanceof BatchNormalization batchNorm) installHelper(batchNorm);
		}
	}

	/**
	 * Gives a BatchNormalization layer the {@link FastBatchNorm} helper in place of oneDNN's (or
	 * of none). DL4J keeps a layer's helper in a package-private field chosen in the constructor,
	 * so it is set by reflection; a CUDA build's cuDNN helper is left alone, and when the field
	 * cannot be reached the layer keeps DL4J's own choice.
	 */
	private static void installHelper(final BatchNormalization layer) {
		if (layer.layerConf().isLockGammaBeta()) return;
		try {
			final Field field = BatchNormalization.class.getDeclaredField("helper");
			field.setAccessible(true);
			final Object current = field.get(layer);
			if (current == null || current instanceof MKLDNNBatchNormHelper) field.set(layer,
				new FastBatchNorm((BatchNormalizationHelper) current));
		}
		catch (final ReflectiveOperationException | RuntimeException e) {
			// DL4J's own implementation stays: slower, same results
		}
	}

	private static boolean hasFastHelper(final Layer layer) {
		return layer instanceof BatchNormalization batchNorm && (batchNorm.getHelper() instanceof
			FastBatchNorm || batchNorm.layerConf().isLockGammaBeta());
	}

	/**
	 * True when every fully connected, convolution, pooling, activation and batch-norm layer is
	 * one of these.
	 */
	public static boolean installed(final MultiLayerNetwork network) {
		for (final Layer layer : network.getLayers())
			if (REPLACED.contains(layer.getClass()) || layer instanceof BatchNormalization &&
				!hasFastHelper(layer)) return false;
		return true;
	}

	/** The DL4J layer classes {@link #install} replaces. */
	private static final java.util.Set<Class<?>> REPLACED = java.util.Set.of(
		org.deeplearning4j.nn.layers.feedforward.dense.DenseLayer.class,
		org.deeplearning4j.nn.layers.OutputLayer.class,
		org.deeplearning4j.nn.layers.convolution.ConvolutionLayer.class, SubsamplingLayer.class,
		org.deeplearning4j.nn.layers.ActivationLayer.class);

	private static DataType dataType(final Layer layer) {
		return layer.params() != null ? layer.params().dataType() : Nd4j.dataType();
	}

	/** The state every layer has: listeners, position, counters, input handling. */
	private static <L extends AbstractLayer<?>> L copyLayerState(final AbstractLayer<?> from,
		final L to)
	{
		to.setListeners(from.getListeners());
		to.setIndex(from.getIndex());
		to.setIterationCount(from.getIterationCount());
		to.setEpochCount(from.getEpochCount());
		to.allowInputModification(from.isInputModificationAllowed());
		return to;
	}

	private static <L extends BaseLayer<?>> L copyState(final BaseLayer<?> from, final L to) {
		copyLayerState(from, to);
		to.setParamsViewArray(from.params());
		to.setParamTable(from.paramTable());
		if (from.getGradientsViewArray() != null)
			to.setBackpropGradientsViewArray(from.getGradientsViewArray());
		return to;
	}

	/**
	 * out = input x W (+ b), one matrix product straight into a row-major activation array;
	 * returned as (pre-activations, pre-norm) the way DL4J's layers do.
	 */
	private static Pair<INDArray, INDArray> affine(final INDArray input,
		final Function<String, INDArray> params, final boolean hasBias,
		final LayerWorkspaceMgr workspaces)
	{
		final INDArray weights = params.apply(DefaultParamInitializer.WEIGHT_KEY);
		final INDArray out = workspaces.createUninitialized(ArrayType.ACTIVATIONS, weights.dataType(),
			input.size(0), weights.size(1));
		Nd4j.gemm(input, weights, out, false, false, 1.0, 0.0);
		if (hasBias) out.addiRowVector(params.apply(DefaultParamInitializer.BIAS_KEY));
		return new Pair<>(out, out);
	}

	/**
	 * Fills the layer's bias and weight gradient views from {@code delta} (the loss gradient at the
	 * pre-activations) and returns the gradient for the layer below, before dropout's backward
	 * pass. The entries go into {@code gradient} in DL4J's order for the layer kind.
	 */
	private static INDArray backward(final INDArray input, final INDArray delta,
		final INDArray weights, final Map<String, INDArray> gradientViews, final boolean hasBias,
		final boolean biasFirst, final Gradient gradient, final LayerWorkspaceMgr workspaces)
	{
		final INDArray weightGradient = gradientViews.get(DefaultParamInitializer.WEIGHT_KEY);
		final INDArray biasGradient = hasBias ? gradientViews.get(DefaultParamInitializer.BIAS_KEY)
			: null;
		if (biasGradient != null) delta.sum(biasGradient, 0);
		// dW = input^T delta, written as (dW)^T = delta^T input: the column-major gradient view
		// transposed is a row-major block, the product ND4J computes fastest
		Nd4j.gemm(delta, input.castTo(weightGradient.dataType()), weightGradient.transpose(), true,
			false, 1.0, 0.0);
		if (biasGradient != null && biasFirst)
			gradient.gradientForVariable().put(DefaultParamInitializer.BIAS_KEY, biasGradient);
		gradient.gradientForVariable().put(DefaultParamInitializer.WEIGHT_KEY, weightGradient);
		if (biasGradient != null && !biasFirst)
			gradient.gradientForVariable().put(DefaultParamInitializer.BIAS_KEY, biasGradient);
		final INDArray epsilonNext = workspaces.createUninitialized(ArrayType.ACTIVATION_GRAD, delta
			.dataType(), new long[] { delta.size(0), weights.size(0) }, 'c');
		Nd4j.gemm(delta, weights, epsilonNext, false, true, 1.0, 0.0);
		return epsilonNext;
	}

	/** DL4J's DenseLayer with direct matrix products forward and backward. */
	static final class Dense extends org.deeplearning4j.nn.layers.feedforward.dense.DenseLayer {

		Dense(final NeuralNetConfiguration conf, final DataType dataType) {
			super(conf, dataType);
		}

		/** Pre-activations of the last training forward pass, and the input they came from. */
		private INDArray lastZ;

		private INDArray lastZInput;

		private boolean specialised() {
			return !hasLayerNorm() && maskArray == null && input != null && input.rank() == 2;
		}

		/**
		 * Keeps a copy of the pre-activations of a training pass: DL4J computes them again in the
		 * backward pass (the activation function overwrites them in place), a second matrix
		 * product per layer and step for what a copy of batch x outputs values gives.
		 */
		@Override
		public INDArray activate(final boolean training, final LayerWorkspaceMgr workspaces) {
			lastZ = null;
			lastZInput = null;
			if (!training || !specialised()) return super.activate(training, workspaces);
			final INDArray z = preOutput(true, workspaces);
			lastZ = workspaces.dup(ArrayType.ACTIVATIONS, z);
			lastZInput = input;
			return layerConf().getActivationFn().getActivation(z, true);
		}

		@Override
		public void clear() {
			super.clear();
			lastZ = null;
			lastZInput = null;
		}

		@Override
		protected Pair<INDArray, INDArray> preOutputWithPreNorm(final boolean training,
			final boolean forBackprop, final LayerWorkspaceMgr workspaces)
		{
			if (!specialised() || input.columns() != getParam(DefaultParamInitializer.WEIGHT_KEY)
				.rows()) return super.preOutputWithPreNorm(training, forBackprop, workspaces);
			assertInputSet(forBackprop);
			applyDropOutIfNecessary(training, workspaces);
			return affine(input.castTo(dataType), key -> getParamWithNoise(key, training, workspaces),
				hasBias(), workspaces);
		}

		@Override
		public Pair<Gradient, INDArray> backpropGradient(final INDArray epsilon,
			final LayerWorkspaceMgr workspaces)
		{
			if (!specialised()) return super.backpropGradient(epsilon, workspaces);
			assertInputSet(true);
			final INDArray z = lastZ != null && lastZInput == input ? lastZ : preOutputWithPreNorm(true,
				true, workspaces).getFirst();
			lastZ = null;
			lastZInput = null;
			final INDArray delta = layerConf().getActivationFn().backprop(z, epsilon).getFirst();
			final Gradient gradient = new DefaultGradient();
			final INDArray epsilonNext = backward(input, delta, getParamWithNoise(
				DefaultParamInitializer.WEIGHT_KEY, true, workspaces), gradientViews, hasBias(), true,
				gradient, workspaces);
			weightNoiseParams.clear();
			return new Pair<>(gradient, backpropDropOutIfPresent(epsilonNext));
		}
	}

	/** DL4J's OutputLayer with direct matrix products forward and backward. */
	static final class Output extends org.deeplearning4j.nn.layers.OutputLayer {

		Output(final NeuralNetConfiguration conf, final DataType dataType) {
			super(conf, dataType);
		}

		private boolean specialised() {
			return !hasLayerNorm() && maskArray == null && input != null && input.rank() == 2 && input
				.columns() == getParam(DefaultParamInitializer.WEIGHT_KEY).rows();
		}

		@Override
		public Pair<Gradient, INDArray> backpropGradient(final INDArray epsilon,
			final LayerWorkspaceMgr workspaces)
		{
			if (!specialised()) return super.backpropGradient(epsilon, workspaces);
			assertInputSet(true);
			final INDArray delta = layerConf().getLossFn().computeGradient(getLabels2d(workspaces,
				ArrayType.BP_WORKING_MEM), preOutput2d(true, workspaces), layerConf().getActivationFn(),
				null);
			final Gradient gradient = new DefaultGradient();
			final INDArray epsilonNext = backward(input, delta, getParamWithNoise(
				DefaultParamInitializer.WEIGHT_KEY, true, workspaces), gradientViews, hasBias(), false,
				gradient, workspaces);
			return new Pair<>(gradient, backpropDropOutIfPresent(epsilonNext));
		}

		@Override
		protected Pair<INDArray, INDArray> preOutputWithPreNorm(final boolean training,
			final boolean forBackprop, final LayerWorkspaceMgr workspaces)
		{
			if (!specialised()) return super.preOutputWithPreNorm(training, forBackprop, workspaces);
			assertInputSet(forBackprop);
			applyDropOutIfNecessary(training, workspaces);
			return affine(input.castTo(dataType), key -> getParamWithNoise(key, training, workspaces),
				hasBias(), workspaces);
		}
	}

	/**
	 * DL4J's ConvolutionLayer computed by {@link OneDnnConv}'s kept oneDNN primitives, keeping the
	 * pre-activations of a training pass for the backward pass. The first layer skips the input
	 * gradient while {@link Network.Sequential#fit} trains (see {@link #inputGradientNeeded}).
	 * Cases these do not specialise (no oneDNN, masks, dropout or weight noise on the layer,
	 * "Same" mode, dilation, no bias, NHWC, other data types) run DL4J's code; with DL4J's own
	 * oneDNN helper the pre-activations are still kept instead of computed a second time.
	 */
	static final class Convolution extends org.deeplearning4j.nn.layers.convolution.ConvolutionLayer {

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

		Convolution(final NeuralNetConfiguration conf, final DataType dataType) {
			super(conf, dataType);
		}

		private boolean specialised() {
			final org.deeplearning4j.nn.conf.layers.ConvolutionLayer c = layerConf();
			return OneDnn.available() && !oneDnnFailed && maskArray == null && input != null &&
				input.rank() == 4 && dataType == DataType.FLOAT && OneDnn.plain(input) && c
					.getCnn2dDataFormat() == CNN2DFormat.NCHW && convolutionMode != ConvolutionMode.Same &&
				hasBias() && c.getIDropout() == null && c.getWeightNoise() == null && c
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
					.getPadding()));
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
			oneDnn().forward(input, weights, getParam(ConvolutionParamInitializer.BIAS_KEY), z);
			return z;
		}

		@Override
		public Pair<Gradient, INDArray> backpropGradient(final INDArray epsilon,
			final LayerWorkspaceMgr workspaces)
		{
			if (!specialised()) return super.backpropGradient(epsilon, workspaces);
			assertInputSet(true);
			final INDArray weightGradient = gradientViews.get(ConvolutionParamInitializer.WEIGHT_KEY);
			final INDArray biasGradient = gradientViews.get(ConvolutionParamInitializer.BIAS_KEY);
			INDArray epsilonNext = null;
			try {
				final INDArray delta = delta(epsilon.castTo(dataType), workspaces);
				oneDnn().backwardWeights(input, delta, weightGradient, biasGradient);
				if (inputGradientNeeded) {
					epsilonNext = workspaces.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, input
						.shape(), 'c');
					oneDnn().backwardData(delta, getParam(ConvolutionParamInitializer.WEIGHT_KEY),
						epsilonNext);
				}
			}
			catch (final RuntimeException e) {
				// same results, DL4J's speed (it computes the pre-activations again)
				oneDnnFailed = true;
				return super.backpropGradient(epsilon, workspaces);
			}
			final Gradient gradient = new DefaultGradient();
			gradient.gradientForVariable().put(ConvolutionParamInitializer.BIAS_KEY, biasGradient);
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
				if (OneDnnRelu.isPlainRelu(activation) && OneDnn.plain(z) && OneDnn.plain(epsilon)) {
					delta = workspaces.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, z.shape(),
						'c');
					relu().backward(z, epsilon, delta);
				}
				else delta = activation.backprop(z, epsilon).getFirst();
			}
			return OneDnn.plain(delta) ? delta : delta.dup('c');
		}

		private OneDnnRelu relu() {
			if (relu == null) relu = new OneDnnRelu();
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
					.getPoolingType() == org.deeplearning4j.nn.conf.layers.PoolingType.MAX && c
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
	 * DL4J's ActivationLayer with a plain ReLU, through {@link OneDnnRelu}'s kept primitives: no
	 * copy of the input in either pass. Other activations, dropout and non-plain arrays run
	 * DL4J's code, as does everything after oneDNN refused a shape.
	 */
	static final class Activation extends org.deeplearning4j.nn.layers.ActivationLayer {

		private final OneDnnRelu relu = new OneDnnRelu();

		private boolean oneDnnFailed;

		private boolean ran;

		Activation(final NeuralNetConfiguration conf, final DataType dataType) {
			super(conf, dataType);
		}

		private boolean specialised() {
			return OneDnn.available() && !oneDnnFailed && input != null && (input.rank() == 2 || input
				.rank() == 4) && OneDnn.plain(input) && OneDnnRelu.isPlainRelu(layerConf()
					.getActivationFn()) && layerConf().getIDropout() == null;
		}

		/** True when the last pass ran on {@link OneDnnRelu}'s primitives. */
		boolean ranOnOneDnn() {
			return ran && !oneDnnFailed;
		}

		@Override
		public INDArray activate(final boolean training, final LayerWorkspaceMgr workspaces) {
			if (!specialised()) return super.activate(training, workspaces);
			assertInputSet(false);
			final INDArray output = workspaces.createUninitialized(ArrayType.ACTIVATIONS, dataType,
				input.shape(), 'c');
			try {
				relu.forward(input, output);
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
				relu.backward(input, dy, dx);
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
