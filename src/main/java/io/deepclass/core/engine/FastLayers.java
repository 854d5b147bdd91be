package io.deepclass.core.engine;

import java.lang.reflect.Field;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.impl.LayerVertex;
import org.deeplearning4j.nn.layers.AbstractLayer;
import org.deeplearning4j.nn.layers.ActivationLayer;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.layers.FrozenLayer;
import org.deeplearning4j.nn.layers.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.layers.OutputLayer;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.convolution.DepthwiseConvolution2DLayer;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.deeplearning4j.nn.layers.feedforward.dense.DenseLayer;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNBatchNormHelper;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.layers.normalization.BatchNormalizationHelper;
import org.deeplearning4j.nn.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
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
 * <p>Convolution, max-pooling and ReLU layers are {@link OneDnnLayers}: on oneDNN primitives kept
 * between steps where oneDNN is available.
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
			"depthwise convolution, max-pooling, ReLU, ReLU6)" : "no (DL4J's layer code: oneDNN's JavaCPP build did not load" +
				(Boolean.parseBoolean(System.getProperty(OneDnn.PROPERTY, "true")) ? " on this platform " +
					"or backend)" : ", -D" + OneDnn.PROPERTY + "=false)");
	}

	/**
	 * Replaces the network's DenseLayer, OutputLayer, ConvolutionLayer, SubsamplingLayer and
	 * ActivationLayer implementations in place and gives its BatchNormalization layers the
	 * {@link FastBatchNorm} helper. A ReLU right after a BatchNorm layer trains in place
	 * ({@link OneDnnLayers.Activation#overwriteInput}): there the BatchNorm output is read by
	 * nothing else.
	 */
	public static void install(final MultiLayerNetwork network) {
		final Layer[] layers = network.getLayers();
		if (layers == null) return;
		for (int i = 0; i < layers.length; i++)
			layers[i] = fast(layers[i]);
		for (int i = 1; i < layers.length; i++)
			if (layers[i] instanceof OneDnnLayers.Activation activation && layers[i -
				1] instanceof BatchNormalization && network.getLayerWiseConfigurations().getInputPreProcess(
					i) == null) activation.overwriteInput = true;
	}

	/**
	 * As {@link #install(MultiLayerNetwork)} for a graph (imported backbones): the layers of its
	 * layer vertices, also inside the FrozenLayer and FrozenLayerWithBackprop wrappers that
	 * transfer learning puts around the backbone's layers (a frozen layer runs its inner layer
	 * in inference mode, and passes gradients through it when it is FrozenLayerWithBackprop).
	 */
	public static void install(final ComputationGraph graph) {
		final Layer[] layers = graph.getLayers();
		if (layers == null || graph.getVertices() == null) return;
		for (final GraphVertex vertex : graph.getVertices()) {
			if (!(vertex instanceof LayerVertex layerVertex) || !layerVertex.hasLayer()) continue;
			final Layer layer = layerVertex.getLayer();
			if (isFrozenWrapper(layer)) {
				final BaseWrapperLayer wrapper = (BaseWrapperLayer) layer;
				wrapper.setUnderlying(fast(wrapper.getUnderlying()));
				continue;
			}
			final Layer replaced = fast(layer);
			if (replaced == layer) continue;
			layerVertex.setLayer(replaced);
			for (int i = 0; i < layers.length; i++)
				if (layers[i] == layer) layers[i] = replaced;
		}
	}

	private static boolean isFrozenWrapper(final Layer layer) {
		return layer.getClass() == FrozenLayer.class || layer
			.getClass() == FrozenLayerWithBackprop.class;
	}

	/**
	 * The fast implementation of {@code layer} with its state, or {@code layer} itself (a
	 * BatchNormalization layer gets its helper in place).
	 */
	private static Layer fast(final Layer layer) {
		if (layer.getClass() == DenseLayer.class)
			return copyState((BaseLayer<?>) layer, new Dense(layer.conf(), dataType(layer)));
		if (layer.getClass() == OutputLayer.class)
			return copyState((BaseLayer<?>) layer, new Output(layer.conf(), dataType(layer)));
		if (layer.getClass() == ConvolutionLayer.class)
			return copyState((BaseLayer<?>) layer, new OneDnnLayers.Convolution(layer.conf(), dataType(
				layer)));
		if (layer.getClass() == DepthwiseConvolution2DLayer.class) return copyState((BaseLayer<?>) layer,
			new OneDnnDepthwise(layer.conf(), dataType(layer)));
		if (layer.getClass() == SubsamplingLayer.class) return copyLayerState(
			(AbstractLayer<?>) layer, new OneDnnLayers.Pooling(layer.conf(), dataType(layer)));
		if (layer.getClass() == ActivationLayer.class)
			return copyLayerState((AbstractLayer<?>) layer, new OneDnnLayers.Activation(layer.conf(),
				dataType(layer)));
		if (layer instanceof BatchNormalization batchNorm) installHelper(batchNorm);
		return layer;
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
			if (!isFast(layer)) return false;
		return true;
	}

	/** As {@link #installed(MultiLayerNetwork)}, for a graph's layers, frozen ones included. */
	public static boolean installed(final ComputationGraph graph) {
		for (final Layer layer : graph.getLayers())
			if (!isFast(isFrozenWrapper(layer) ? ((BaseWrapperLayer) layer).getUnderlying() : layer))
				return false;
		return true;
	}

	private static boolean isFast(final Layer layer) {
		return !REPLACED.contains(layer.getClass()) && !(layer instanceof BatchNormalization &&
			!hasFastHelper(layer));
	}

	/** The DL4J layer classes {@link #install} replaces. */
	private static final Set<Class<?>> REPLACED = Set.of(
		DenseLayer.class,
		OutputLayer.class,
		ConvolutionLayer.class,
		DepthwiseConvolution2DLayer.class, SubsamplingLayer.class,
		ActivationLayer.class);

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
	static final class Dense extends DenseLayer {

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
	static final class Output extends OutputLayer {

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
}
