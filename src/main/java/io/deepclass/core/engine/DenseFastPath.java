package io.deepclass.core.engine;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.bytedeco.javacpp.FloatPointer;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.layers.OutputLayer;
import org.deeplearning4j.nn.layers.feedforward.dense.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.updater.MultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.deeplearning4j.optimize.solvers.BaseOptimizer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Training steps and inference for fully connected classifiers (the linear model and the MLPs:
 * dense layers with ReLU or no activation, a softmax output with cross-entropy loss) on the CPU
 * backend, in a handful of native calls.
 *
 * <p>Why: on these small networks DL4J's {@code fit} costs 0.6-0.9 ms per batch of 64 (linear,
 * this project's 2-core machine), where its matrix products take about 0.06 ms; the rest is
 * per-operation overhead of a few dozen ND4J calls (shape buffers, workspaces, JNI). PyTorch's
 * whole step takes 0.14 ms. Here each layer costs its matrix products (ND4J BLAS calls into
 * preallocated arrays), and the work on the few thousand activations between them (bias,
 * ReLU, softmax, loss, the bias gradient) is done in one pass each on the host, where these
 * arrays live on the CPU backend.
 *
 * <p>The maths is DL4J's: gradients go into the network's own gradient view and DL4J's own
 * updater block applies them (learning rate, momentum, Adam, schedules; the division by the batch
 * size is folded into the loss gradient),
 * then {@code params -= update}, the iteration count and the score are set as {@code fit} sets
 * them. Parameters, optimiser state and model files stay plain DL4J. {@link #of} returns null
 * for anything else (convolutions, dropout, regularisation, other losses, listeners, another
 * backend), which then runs DL4J's {@code fit}.
 */
final class DenseFastPath {

	/**
	 * Hidden layers with more activations than this per batch add their bias and apply ReLU
	 * with two ND4J operations, smaller ones in one pass on the host: about 35 us per ND4J
	 * operation whatever the size, against about 1 ns per value on the host with the C1 JIT
	 * (measured on this project's 2-core machine).
	 */
	private static final int HOST_LIMIT = 32768;

	/** DL4J's clipping of the softmax output in the cross-entropy score. */
	private static final double CLIP = 1e-10;

	private final MultiLayerNetwork network;

	/** widths[0] inputs, widths[l] outputs of layer l (1..L). */
	private final int[] widths;

	/** relu[l]: layer l (1..L-1) applies ReLU (else no activation). */
	private final boolean[] relu;

	private final INDArray[] weights;

	private final FloatPointer[] biases;

	private final INDArray[] biasArrays;

	private INDArray gradientsView;

	/** The same as a vector. */
	private INDArray gradientsFlat;

	private INDArray[] weightGradients;

	private FloatPointer[] biasGradients;

	private Scratch scratch;

	private DenseFastPath(final MultiLayerNetwork network, final int[] widths,
		final boolean[] relu)
	{
		this.network = network;
		this.widths = widths;
		this.relu = relu;
		final int depth = widths.length - 1;
		weights = new INDArray[depth + 1];
		biases = new FloatPointer[depth + 1];
		biasArrays = new INDArray[depth + 1];
		for (int l = 1; l <= depth; l++) {
			final Layer layer = network.getLayer(l - 1);
			weights[l] = layer.getParam(DefaultParamInitializer.WEIGHT_KEY);
			biasArrays[l] = layer.getParam(DefaultParamInitializer.BIAS_KEY);
			biases[l] = host(biasArrays[l]);
		}
	}

	/**
	 * The fast path for this network, or null when it is not a plain fully connected FLOAT
	 * classifier on the CPU backend.
	 */
	static DenseFastPath of(final MultiLayerNetwork network) {
		try {
			if (!Nd4j.getEnvironment().isCPU() || !network.getListeners().isEmpty()) return null;
			final Layer[] layers = network.getLayers();
			final int depth = layers.length;
			final int[] widths = new int[depth + 1];
			final boolean[] relu = new boolean[depth + 1];
			for (int l = 1; l <= depth; l++) {
				final Layer layer = layers[l - 1];
				if (!(layer.conf().getLayer() instanceof FeedForwardLayer conf) || !plain(layer, conf))
					return null;
				final boolean output = l == depth;
				if (output != (layer instanceof OutputLayer)) return null;
				if (!output && !(layer instanceof DenseLayer))
					return null;
				final IActivation activation = conf.getActivationFn();
				if (output) {
					final var outConf = (BaseOutputLayer) conf;
					if (!(activation instanceof ActivationSoftmax) || outConf.getLossFn()
						.getClass() != LossMCXENT.class || ((LossMCXENT) outConf.getLossFn())
							.getWeights() != null) return null;
				}
				else if (activation.equals(new ActivationReLU())) relu[l] = true;
				else if (!(activation instanceof ActivationIdentity)) return null;
				if (l > 1 && conf.getNIn() != widths[l - 1]) return null;
				if (l == 1) widths[0] = Math.toIntExact(conf.getNIn());
				widths[l] = Math.toIntExact(conf.getNOut());
			}
			for (int l = 1; l < depth; l++)
				if (network.getLayerWiseConfigurations().getInputPreProcess(l) != null) return null;
			final InputPreProcessor first = network.getLayerWiseConfigurations().getInputPreProcess(0);
			if (first != null && !(first instanceof CnnToFeedForwardPreProcessor cnn && cnn
				.getFormat() == CNN2DFormat.NCHW)) return null;
			return new DenseFastPath(network, widths, relu);
		}
		catch (final RuntimeException e) {
			return null; // a configuration these checks do not know: DL4J's own code runs it
		}
	}

	/** FLOAT parameters with a bias, and nothing that changes the maths of a plain layer. */
	private static boolean plain(final Layer layer, final FeedForwardLayer conf) {
		final Map<String, INDArray> params = layer.paramTable();
		if (params.size() != 2 || !params.containsKey(DefaultParamInitializer.BIAS_KEY) || !params
			.containsKey(DefaultParamInitializer.WEIGHT_KEY) || params.get(
				DefaultParamInitializer.WEIGHT_KEY).dataType() != DataType.FLOAT) return false;
		final GradientNormalization clipping = conf.getGradientNormalization();
		return conf.getIDropout() == null && conf.getWeightNoise() == null && isEmpty(conf
			.getRegularization()) && isEmpty(conf.getRegularizationBias()) && isEmpty(conf
				.getConstraints()) && (clipping == null || clipping == GradientNormalization.None) &&
			!hasLayerNorm(conf);
	}

	private static boolean hasLayerNorm(final FeedForwardLayer conf) {
		return conf instanceof org.deeplearning4j.nn.conf.layers.DenseLayer dense && dense
			.hasLayerNorm();
	}

	private static boolean isEmpty(final Collection<?> c) {
		return c == null || c.isEmpty();
	}

	/**
	 * True when this batch can take the fast path: FLOAT, row-major and dense; for training
	 * ({@code labels} given) also one optimiser configuration for all parameters (see
	 * {@link #singleBlock}).
	 */
	boolean accepts(final INDArray features, final INDArray labels) {
		return rowMajorFloat(features) && features.length() == features.size(0) * (long) widths[0] &&
			(labels == null || rowMajorFloat(labels) && labels.rank() == 2 && labels.size(
				0) == features.size(0) && labels.size(1) == widths[widths.length - 1] &&
				singleBlock() != null);
	}

	private static boolean rowMajorFloat(final INDArray array) {
		return array.dataType() == DataType.FLOAT && array.ordering() == 'c' && array.size(0) > 0 &&
			array.elementWiseStride() == 1 && array.length() <= Integer.MAX_VALUE;
	}

	/**
	 * One training step on a batch, as {@code MultiLayerNetwork.fit} would do it.
	 *
	 * @return the batch's mean cross-entropy loss (also the network's score)
	 */
	synchronized double fit(final INDArray features, final INDArray labels) {
		final int depth = widths.length - 1;
		final int n = (int) features.size(0);
		final Scratch s = scratch(n);
		if (network.getGradientsViewArray() == null) network.initGradientsView();
		if (network.getGradientsViewArray() != gradientsView) gradientViews();
		final INDArray in = forward(features, s, true);
		host(labels).get(s.labels, 0, n * widths[depth]);
		// DL4J sums the loss gradient over the batch and divides by its size in the updater;
		// here the division is done in the same pass as the softmax gradient
		final double scale = network.conf().isMiniBatch() ? 1.0 / n : 1.0;

		// softmax output, loss, and the loss gradient at the pre-activations: p - y
		final int classes = widths[depth];
		final float[] out = s.host[depth];
		double loss = 0;
		for (int i = 0; i < n; i++) {
			final int row = i * classes;
			for (int c = 0; c < classes; c++) {
				final double p = out[row + c];
				final float y = s.labels[row + c];
				if (y != 0) loss -= y * Math.log(Math.min(Math.max(p, CLIP), 1 - CLIP));
				out[row + c] = (float) ((p - y) * scale);
			}
		}
		loss /= n;
		s.outPointers[depth].put(out, 0, n * classes);

		for (int l = depth; l >= 1; l--) {
			final INDArray delta = l == depth ? s.out[depth] : s.delta[l];
			final float[] deltaHost = l == depth ? s.host[depth] : s.deltaHost[l];
			final INDArray below = l == 1 ? in : s.out[l - 1];
			// dW = below^T delta, written as dW^T = delta^T below into the column-major view
			Nd4j.gemm(delta, below, weightGradients[l].transpose(), true, false, 1.0, 0.0);
			columnSums(deltaHost, n, widths[l], s.sums);
			biasGradients[l].put(s.sums, 0, widths[l]);
			if (l > 1) {
				Nd4j.gemm(delta, weights[l], s.delta[l - 1], false, true, 1.0, 0.0);
				final int size = n * widths[l - 1];
				final float[] eps = s.deltaHost[l - 1];
				s.deltaPointers[l - 1].get(eps, 0, size);
				if (relu[l - 1]) {
					final float[] activation = s.host[l - 1];
					for (int i = 0; i < size; i++)
						if (activation[i] <= 0) eps[i] = 0;
					s.deltaPointers[l - 1].put(eps, 0, size);
				}
			}
		}

		singleBlock().getGradientUpdater().applyUpdater(gradientsFlat, network.getIterationCount(),
			network.getEpochCount());
		final INDArray params = network.params();
		params.subi(params.rank() == 1 ? gradientsFlat : gradientsView);
		BaseOptimizer.incrementIterationCount(network, 1);
		network.setScore(loss);
		return loss;
	}

	/**
	 * DL4J's updater block when one covers all parameters (one optimiser configuration for all,
	 * the usual case), else null (the network then trains with DL4J's fit). Its gradient updater
	 * is what DL4J's updater would run; the steps around it (splitting the gradient by layer,
	 * clipping, regularisation) do nothing for the layers {@link #of} accepts, so they are
	 * skipped.
	 */
	private UpdaterBlock singleBlock() {
		if (!(network.getUpdater() instanceof MultiLayerUpdater updater)) return null;
		final List<UpdaterBlock> blocks = updater.getUpdaterBlocks();
		if (blocks.size() != 1) return null;
		final UpdaterBlock block = blocks.get(0);
		return block.getParamOffsetStart() == 0 && block.getParamOffsetEnd() == network.numParams()
			? block : null;
	}

	/** Class probabilities for a batch, as {@code output(features, false)} gives them. */
	synchronized INDArray output(final INDArray features) {
		final int depth = widths.length - 1;
		final int n = (int) features.size(0);
		final Scratch s = scratch(n);
		forward(features, s, false);
		final INDArray probabilities = Nd4j.createUninitialized(DataType.FLOAT, n, widths[depth]);
		host(probabilities).put(s.host[depth], 0, n * widths[depth]);
		return probabilities;
	}

	/**
	 * Fills s.out[l] with the activations of every layer, and s.host[l] where the host computes
	 * them or the backward pass needs them; the softmax output is on the host only.
	 *
	 * @return the features as a batch x inputs matrix
	 */
	private INDArray forward(final INDArray features, final Scratch s, final boolean training) {
		final int depth = widths.length - 1;
		final int n = (int) features.size(0);
		final INDArray flat = features.rank() == 2 ? features : features.reshape('c', n, widths[0]);
		INDArray in = flat;
		for (int l = 1; l <= depth; l++) {
			final int width = widths[l];
			final int size = n * width;
			Nd4j.gemm(in, weights[l], s.out[l], false, false, 1.0, 0.0);
			final float[] z = s.host[l];
			if (l < depth && size > HOST_LIMIT) {
				s.out[l].addiRowVector(biasArrays[l]);
				if (relu[l]) Transforms.relu(s.out[l], false);
				// the backward pass's ReLU mask reads the activations on the host
				if (training && relu[l]) s.outPointers[l].get(z, 0, size);
			}
			else {
				s.outPointers[l].get(z, 0, size);
				biases[l].get(s.sums, 0, width);
				for (int i = 0; i < n; i++) {
					final int row = i * width;
					for (int j = 0; j < width; j++)
						z[row + j] += s.sums[j];
				}
				if (l == depth) softmax(z, n, width);
				else {
					if (relu[l]) for (int i = 0; i < size; i++)
						if (z[i] < 0) z[i] = 0; // NaN stays NaN, so divergence shows in the loss
					s.outPointers[l].put(z, 0, size);
				}
			}
			in = s.out[l];
		}
		return flat;
	}

	private static void softmax(final float[] z, final int n, final int width) {
		for (int i = 0; i < n; i++) {
			final int row = i * width;
			float max = Float.NEGATIVE_INFINITY;
			for (int j = 0; j < width; j++)
				max = Math.max(max, z[row + j]);
			double sum = 0;
			for (int j = 0; j < width; j++) {
				final float e = (float) Math.exp(z[row + j] - max);
				z[row + j] = e;
				sum += e;
			}
			final float scale = (float) (1 / sum);
			for (int j = 0; j < width; j++)
				z[row + j] *= scale;
		}
	}

	private static void columnSums(final float[] values, final int n, final int width,
		final float[] sums)
	{
		Arrays.fill(sums, 0, width, 0f);
		for (int i = 0; i < n; i++) {
			final int row = i * width;
			for (int j = 0; j < width; j++)
				sums[j] += values[row + j];
		}
	}

	/** The network's gradient views, per layer and as one vector. */
	private void gradientViews() {
		gradientsView = network.getGradientsViewArray();
		gradientsFlat = gradientsView.reshape(gradientsView.length());
		final int depth = widths.length - 1;
		weightGradients = new INDArray[depth + 1];
		biasGradients = new FloatPointer[depth + 1];
		for (int l = 1; l <= depth; l++) {
			final Layer layer = network.getLayer(l - 1);
			final Map<String, INDArray> views = DefaultParamInitializer.getInstance()
				.getGradientsFromFlattened(layer.conf(), layer.getGradientsViewArray());
			weightGradients[l] = views.get(DefaultParamInitializer.WEIGHT_KEY);
			biasGradients[l] = host(views.get(DefaultParamInitializer.BIAS_KEY));
		}
	}

	/** The host memory of a dense FLOAT array or view on the CPU backend, from its first value. */
	private static FloatPointer host(final INDArray array) {
		return new FloatPointer(array.data().addressPointer());
	}

	private Scratch scratch(final int n) {
		if (scratch == null || scratch.n != n) scratch = new Scratch(n, widths);
		return scratch;
	}

	/** Arrays for one batch size, native and host copies, reused from step to step. */
	private static final class Scratch {

		final int n;

		final INDArray[] out;

		final FloatPointer[] outPointers;

		final float[][] host;

		final INDArray[] delta;

		final FloatPointer[] deltaPointers;

		final float[][] deltaHost;

		final float[] sums;

		final float[] labels;

		Scratch(final int n, final int[] widths) {
			this.n = n;
			final int depth = widths.length - 1;
			out = new INDArray[depth + 1];
			outPointers = new FloatPointer[depth + 1];
			host = new float[depth + 1][];
			delta = new INDArray[depth + 1];
			deltaPointers = new FloatPointer[depth + 1];
			deltaHost = new float[depth + 1][];
			int widest = 0;
			for (int l = 1; l <= depth; l++) {
				out[l] = Nd4j.createUninitialized(DataType.FLOAT, n, widths[l]);
				outPointers[l] = host(out[l]);
				host[l] = new float[n * widths[l]];
				if (l < depth) {
					delta[l] = Nd4j.createUninitialized(DataType.FLOAT, n, widths[l]);
					deltaPointers[l] = host(delta[l]);
					deltaHost[l] = new float[n * widths[l]];
				}
				widest = Math.max(widest, widths[l]);
			}
			sums = new float[widest];
			labels = new float[n * widths[depth]];
		}
	}
}
