package io.deepclass.core.inspect;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import io.deepclass.core.DeepClassException;
import io.deepclass.core.backend.NativeThreads;
import io.deepclass.core.bundle.ModelBundle;
import io.deepclass.core.data.ImageShape;
import io.deepclass.core.data.Normalization;
import io.deepclass.core.model.Network;

/**
 * Looks inside a trained model: its convolution kernels, what its convolution layers output for
 * an image, and which pixels its decision rests on (occlusion sensitivity, gradient x input).
 * Images are given as the dataset holds them (channel by channel, row by row, not normalised):
 * the model's own normalisation is applied here.
 */
public final class NetworkInspector {

	/** Convolution layers, each with the layers that follow it up to its block's output. */
	private record ConvBlock(int number, String name, Layer conv, String lastActivation) {}

	private final ModelBundle model;
	private final ImageShape shape;
	private final Normalization normalization;
	private final List<ConvBlock> blocks;

	public NetworkInspector(final ModelBundle model) {
		this.model = model;
		this.shape = model.info().inputShape();
		this.normalization = model.info().normalizationValues();
		this.blocks = blocks(model.network());
		NativeThreads.configure();
	}

	/** How many convolution layers the network has (0 for an MLP). */
	public int convolutionLayers() {
		return blocks.size();
	}

	/** The kernels of convolution layer {@code number} (from 1). */
	public ConvKernels kernels(final int number) {
		final ConvBlock block = block(number);
		final INDArray w = block.conv().getParam("W");
		final long[] s = w.shape(); // [filters, channels, kh, kw]
		return new ConvKernels(block.name(), number, (int) s[0], (int) s[1], (int) s[2], (int) s[3],
			flat(w));
	}

	/**
	 * What the block of convolution layer {@code number} (the convolution and the BatchNorm and
	 * activation layers right after it) outputs for one image.
	 */
	public FeatureMaps featureMaps(final float[] image, final int number) {
		final ConvBlock block = block(number);
		return maps(block, activations(image));
	}

	/** The feature maps of every convolution block, in order. */
	public List<FeatureMaps> allFeatureMaps(final float[] image) {
		final Map<String, INDArray> all = activations(image);
		final List<FeatureMaps> maps = new ArrayList<>();
		for (final ConvBlock block : blocks)
			maps.add(maps(block, all));
		return maps;
	}

	private static FeatureMaps maps(final ConvBlock block, final Map<String, INDArray> all) {
		final INDArray out = all.get(block.lastActivation());
		final long[] s = out.shape(); // [1, channels, h, w]
		return new FeatureMaps(block.name(), block.number(), (int) s[1], (int) s[2], (int) s[3], flat(
			out));
	}

	/** Class probabilities for one image. */
	public float[] probabilities(final float[] image) {
		return model.network().output(features(image, 1)).toFloatVector();
	}

	/**
	 * Occlusion sensitivity: a {@code patch x patch} square (all channels) slides over the image
	 * in steps of {@code stride} and is set to the training mean; each pixel gets the mean drop in
	 * the log-probability of class {@code target} over the squares that covered it. High where the
	 * network looks; negative where hiding the pixels makes the class more likely. The log keeps
	 * a signal for confident predictions, whose probability stays at 1.0 in float whatever is
	 * hidden (a Fashion-MNIST bag gave a map of zeros with plain probabilities).
	 *
	 * @param patch side of the square; 0 = a seventh of the image's smaller side (at least 2)
	 * @param stride step; 0 = half the patch
	 */
	public float[] occlusion(final float[] image, final int target, final int patch,
		final int stride)
	{
		final int h = shape.height(), w = shape.width(), c = shape.channels(), plane = h * w;
		final int p = Math.min(Math.min(h, w), patch > 0 ? patch : Math.max(2, Math.round(Math.min(
			h, w) / 7f)));
		final int step = stride > 0 ? stride : Math.max(1, p / 2);
		final int[] ys = positions(h, p, step), xs = positions(w, p, step);
		final float[] base = normalised(image);
		final double reference = logProbability(model.network().output(Nd4j.create(base, shape
			.batchShape(1), 'c')), 0, target);
		final double[] sum = new double[plane];
		final int[] count = new int[plane];
		// occluded copies go through the network in batches of at most about 16 MB
		final int total = ys.length * xs.length, batch = Math.max(1, Math.min(total, 4_000_000 /
			base.length));
		final float[] data = new float[batch * base.length];
		for (int start = 0; start < total; start += batch) {
			final int n = Math.min(batch, total - start);
			for (int i = 0; i < n; i++) {
				final int y0 = ys[(start + i) / xs.length], x0 = xs[(start + i) % xs.length];
				System.arraycopy(base, 0, data, i * base.length, base.length);
				for (int ch = 0; ch < c; ch++)
					for (int y = y0; y < y0 + p; y++)
						Arrays.fill(data, i * base.length + ch * plane + y * w + x0, i *
							base.length + ch * plane + y * w + x0 + p, 0f);
			}
			final INDArray out = model.network().output(Nd4j.create(n * base.length == data.length
				? data : Arrays.copyOf(data, n * base.length), shape.batchShape(n), 'c'));
			for (int i = 0; i < n; i++) {
				final double drop = reference - logProbability(out, i, target);
				final int y0 = ys[(start + i) / xs.length], x0 = xs[(start + i) % xs.length];
				for (int y = y0; y < y0 + p; y++)
					for (int x = x0; x < x0 + p; x++) {
						sum[y * w + x] += drop;
						count[y * w + x]++;
					}
			}
		}
		final float[] map = new float[plane];
		for (int i = 0; i < plane; i++)
			map[i] = count[i] == 0 ? 0 : (float) (sum[i] / count[i]);
		return map;
	}

	/**
	 * Gradient x input: for each pixel, the derivative of the log-probability of class
	 * {@code target} with respect to the (normalised) pixel, times the pixel, summed over
	 * channels. DL4J computes the gradient for sequential networks without BatchNorm or dropout.
	 * In DL4J 1.0.0-M2.1 the BatchNorm backward pass assumes training mode (batch statistics:
	 * with one image it gives NaN), dropout's backward pass reuses the last training mask, and
	 * graphs give no input gradient; for those the derivative is taken numerically (central
	 * differences, the perturbed images in batches).
	 */
	public float[] gradientTimesInput(final float[] image, final int target) {
		if (model.network() instanceof Network.Sequential sequential && analyticGradientIsExact(
			sequential.model())) return analyticGradientTimesInput(sequential.model(), image, target);
		return numericGradientTimesInput(image, target);
	}

	float[] analyticGradientTimesInput(final MultiLayerNetwork net, final float[] image,
		final int target)
	{
		final float[] x = normalised(image);
		final INDArray labels = Nd4j.zeros(DataType.FLOAT, 1, model.info()
			.classNames().size());
		labels.putScalar(0, target, 1f);
		final INDArray input = Nd4j.create(x, shape.batchShape(1), 'c');
		// d(loss)/d(input) with loss = -log p(target): the gradient of log p(target) is its negative
		final float[] gradient = flat(net.calculateGradients(input, labels, null, null).getSecond());
		net.clear();
		final float[] product = new float[x.length];
		for (int i = 0; i < x.length; i++)
			product[i] = -gradient[i] * x[i];
		return sumChannels(product);
	}

	float[] numericGradientTimesInput(final float[] image, final int target) {
		final float[] x = normalised(image);
		final double h = 1e-2; // in normalised units: well above float rounding, below any edge
		final int n = x.length;
		final int batch = Math.max(2, Math.min(2 * n, 4_000_000 / n) / 2 * 2);
		final float[] data = new float[batch * n];
		final float[] product = new float[n];
		for (int start = 0; start < n; start += batch / 2) {
			final int count = Math.min(batch / 2, n - start);
			for (int i = 0; i < count; i++) {
				System.arraycopy(x, 0, data, 2 * i * n, n);
				System.arraycopy(x, 0, data, (2 * i + 1) * n, n);
				data[2 * i * n + start + i] += (float) h;
				data[(2 * i + 1) * n + start + i] -= (float) h;
			}
			final INDArray out = model.network().output(Nd4j.create(2 * count == batch ? data : java
				.util.Arrays.copyOf(data, 2 * count * n), shape.batchShape(2 * count), 'c'));
			for (int i = 0; i < count; i++) {
				final double d = (logProbability(out, 2 * i, target) - logProbability(out, 2 * i + 1,
					target)) / (2 * h);
				product[start + i] = (float) (d * x[start + i]);
			}
		}
		return sumChannels(product);
	}

	/**
	 * log p(target), precise also when p rounds to 1 in float: then it is log(1 - the sum of the
	 * other probabilities), which float holds exactly enough.
	 */
	private static double logProbability(final INDArray probabilities, final int row,
		final int target)
	{
		final double p = probabilities.getDouble(row, target);
		if (p < 0.5) return Math.log(p);
		double others = 0;
		for (int j = 0; j < probabilities.size(1); j++)
			if (j != target) others += probabilities.getDouble(row, j);
		return Math.log1p(-others);
	}

	private float[] sumChannels(final float[] values) {
		final int plane = shape.height() * shape.width();
		final float[] map = new float[plane];
		for (int ch = 0; ch < shape.channels(); ch++)
			for (int i = 0; i < plane; i++)
				map[i] += values[ch * plane + i];
		return map;
	}

	/** No layer whose DL4J backward pass is wrong in inference mode: BatchNorm, dropout. */
	private static boolean analyticGradientIsExact(final MultiLayerNetwork net) {
		for (final Layer layer : net.getLayers()) {
			final var conf = layer.conf().getLayer();
			if (conf instanceof BatchNormalization || conf instanceof DropoutLayer || conf
				.getIDropout() != null) return false;
		}
		return true;
	}

	private ConvBlock block(final int number) {
		if (blocks.isEmpty())
			throw new DeepClassException("this model has no convolution layers (it is a " + model
				.info().architecture() + "); kernels and feature maps need a CNN such as lenet or " +
				"bncnn.");
		if (number < 1 || number > blocks.size())
			throw new DeepClassException("layer=" + number + " does not exist: this model has " +
				blocks.size() + " convolution layer" + (blocks.size() == 1 ? "" : "s") +
				"; choose 1 to " + blocks.size() + ".");
		return blocks.get(number - 1);
	}

	private float[] normalised(final float[] image) {
		if (image.length != shape.size())
			throw new DeepClassException("the image has " + image.length + " values but the model " +
				"expects " + shape + " images; resize it first.");
		final float[] x = image.clone();
		normalization.apply(x, 0, 1, shape);
		return x;
	}

	private INDArray features(final float[] image, final int n) {
		return Nd4j.create(normalised(image), shape.batchShape(n), 'c');
	}

	/** Activations of every layer for one image, by name ("0", "1", ... or graph vertex names). */
	private Map<String, INDArray> activations(final float[] image) {
		final INDArray x = features(image, 1);
		if (model.network() instanceof Network.Sequential s) {
			final List<INDArray> list = s.model().feedForward(x, false);
			final Map<String, INDArray> byName = new HashMap<>();
			for (int i = 1; i < list.size(); i++)
				byName.put(Integer.toString(i - 1), list.get(i));
			return byName;
		}
		return ((Network.Graph) model.network()).model().feedForward(x, false);
	}

	private static int[] positions(final int size, final int patch, final int step) {
		final List<Integer> list = new ArrayList<>();
		for (int i = 0; i + patch <= size; i += step)
			list.add(i);
		if (list.get(list.size() - 1) != size - patch) list.add(size - patch);
		return list.stream().mapToInt(Integer::intValue).toArray();
	}

	private static float[] flat(final INDArray array) {
		return Nd4j.toFlattened('c', array).toFloatVector();
	}

	/** Finds the convolution layers, in order, and where each one's block ends. */
	private static List<ConvBlock> blocks(final Network network) {
		final List<String> names = new ArrayList<>();
		final List<Layer> layers = new ArrayList<>();
		if (network instanceof Network.Sequential s) {
			final MultiLayerNetwork net = s.model();
			for (int i = 0; i < net.getnLayers(); i++) {
				names.add(Integer.toString(i));
				layers.add(net.getLayer(i));
			}
		}
		else {
			final ComputationGraph graph = ((Network.Graph) network).model();
			for (final int index : graph.topologicalSortOrder()) {
				final GraphVertex v = graph.getVertices()[index];
				if (!v.hasLayer()) continue;
				names.add(v.getVertexName());
				layers.add(v.getLayer());
			}
		}
		final List<ConvBlock> blocks = new ArrayList<>();
		for (int i = 0; i < layers.size(); i++) {
			final var conf = layers.get(i).conf().getLayer();
			if (!(conf instanceof ConvolutionLayer conv) || conf.getClass() != ConvolutionLayer.class)
				continue;
			final StringBuilder name = new StringBuilder("conv" + (blocks.size() + 1));
			appendActivation(name, conv.getActivationFn());
			int end = i;
			while (end + 1 < layers.size()) {
				final var next = layers.get(end + 1).conf().getLayer();
				if (next instanceof BatchNormalization) name.append(" + BatchNorm");
				else if (next instanceof ActivationLayer a) appendActivation(name, a.getActivationFn());
				else break;
				end++;
			}
			name.append(network instanceof Network.Sequential ? end > i ? " (layers " + i + "-" + end +
				")" : " (layer " + i + ")" : " (" + names.get(i) + ")");
			blocks.add(new ConvBlock(blocks.size() + 1, name.toString(), layers.get(i), names.get(
				end)));
		}
		return blocks;
	}

	private static void appendActivation(final StringBuilder name, final IActivation activation) {
		if (activation != null && !(activation instanceof ActivationIdentity)) name.append(" + ")
			.append(activation.toString().replace("relu", "ReLU"));
	}
}
