package io.deepclass.core.onnx;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.NoOp;

import io.deepclass.core.onnx.OnnxImporter.Context;

/**
 * The ONNX operators DeepClass imports, each mapped to DL4J layers or vertices: convolutions
 * (with strides, padding, dilation, groups, depthwise), BatchNormalization, activations (Relu,
 * LeakyRelu, Sigmoid, Clip as ReLU6, HardSigmoid, HardSwish), pooling (Max, also with
 * ceil_mode, Average, GlobalAverage), Add, Mul, Concat, Flatten, Gemm and MatMul, Softmax,
 * Identity and Dropout (inference). docs/sharing-models.md's list of
 * supported operators is this registry's key set.
 */
final class OnnxOperators {

	/** Adds what one ONNX node computes to the graph being built. */
	@FunctionalInterface
	interface Mapper {

		void map(Context c);
	}

	static final Map<String, Mapper> MAPPERS = new TreeMap<>();

	static {
		MAPPERS.put("Conv", OnnxOperators::conv);
		MAPPERS.put("BatchNormalization", OnnxOperators::batchNorm);
		MAPPERS.put("Relu", c -> activation(c, Activation.RELU.getActivationFunction()));
		MAPPERS.put("Sigmoid", c -> activation(c, Activation.SIGMOID.getActivationFunction()));
		MAPPERS.put("LeakyRelu", c -> activation(c, new ActivationLReLU(c.real("alpha", 0.01))));
		MAPPERS.put("Clip", OnnxOperators::clip);
		MAPPERS.put("Softmax", OnnxOperators::softmax);
		MAPPERS.put("MaxPool", c -> pool(c, PoolingType.MAX));
		MAPPERS.put("AveragePool", c -> pool(c, PoolingType.AVG));
		MAPPERS.put("GlobalAveragePool", c -> c.layer(new GlobalPoolingLayer.Builder(PoolingType.AVG)
			.collapseDimensions(false).build(), c.input(0)));
		MAPPERS.put("GlobalMaxPool", c -> c.layer(new GlobalPoolingLayer.Builder(PoolingType.MAX)
			.collapseDimensions(false).build(), c.input(0)));
		MAPPERS.put("Add", c -> {
			if (c.isWeight(0) || c.isWeight(1)) constant(c);
			else c.vertex(new ElementWiseVertex(ElementWiseVertex.Op.Add), c.input(0), c.input(1));
		});
		MAPPERS.put("Sub", OnnxOperators::constant);
		MAPPERS.put("Div", OnnxOperators::constant);
		MAPPERS.put("Concat", OnnxOperators::concat);
		MAPPERS.put("Flatten", OnnxOperators::flatten);
		MAPPERS.put("Gemm", OnnxOperators::gemm);
		MAPPERS.put("MatMul", OnnxOperators::gemm);
		MAPPERS.put("Identity", OnnxOperators::identity);
		MAPPERS.put("Pad", OnnxOperators::pad);
		MAPPERS.put("Reshape", OnnxOperators::reshape);
		MAPPERS.put("Dropout", Context::alias);
		MAPPERS.put("HardSigmoid", c -> activation(c, new OnnxExtras.HardSigmoid(c.real("alpha", 0.2),
			c.real("beta", 0.5))));
		MAPPERS.put("HardSwish", c -> activation(c, new OnnxExtras.HardSwish()));
		MAPPERS.put("Mul", OnnxOperators::mul);
	}

	/** Operators whose output is never negative, whatever their input. */
	private static final Set<String> NON_NEGATIVE = Set.of("Relu", "Sigmoid", "Softmax",
		"HardSigmoid");

	/** Operators whose output is never negative when none of their computed inputs is. */
	private static final Set<String> KEEP_NON_NEGATIVE = Set.of("MaxPool", "AveragePool",
		"GlobalAveragePool", "GlobalMaxPool", "Concat", "Add", "Mul", "Identity", "Dropout",
		"Flatten", "Reshape", "Pad");

	/**
	 * Whether the node's output is provably never negative (after a ReLU, say), which makes zero
	 * padding before a max-pooling the same as ONNX's padding with minus infinity.
	 */
	static boolean nonNegative(final Context c) {
		final String op = c.node.getOpType();
		if (NON_NEGATIVE.contains(op)) return true;
		if (op.equals("Clip")) return clipBounds(c)[0] >= 0;
		if (!KEEP_NON_NEGATIVE.contains(op)) return false;
		for (int k = 0; k < c.node.getInputCount(); k++)
			if (!c.isWeight(k) && !c.node.getInput(k).isEmpty() && !c.nonNegative.contains(c.node
				.getInput(k))) return false;
		return true;
	}

	private OnnxOperators() {}

	/** Identity of a graph tensor is that tensor; of a weight (PyTorch shares weights so), that weight. */
	private static void identity(final Context c) {
		if (c.isWeight(0)) c.model.tensors.put(c.node.getOutput(0), c.weight(0));
		else c.alias();
	}

	private static void conv(final Context c) {
		final INDArray w = c.weight(1);
		final INDArray b = c.weight(2);
		final long group = c.integer("group", 1);
		final long[] kernel = c.ints("kernel_shape", w.size(2), w.size(3));
		final long[] strides = c.ints("strides", 1, 1);
		final long[] dilations = c.ints("dilations", 1, 1);
		final String in = padded(c, c.ints("pads", 0, 0, 0, 0));
		final long[] sym = symmetric(c.ints("pads", 0, 0, 0, 0));
		final long[] pads = sym != null ? sym : new long[] { 0, 0 };
		final long outChannels = w.size(0), inPerGroup = w.size(1);
		final String layer;
		if (group == 1) {
			layer = c.layer(new ConvolutionLayer.Builder(i(kernel[0]), i(kernel[1])).nOut(outChannels)
				.stride(i(strides[0]), i(strides[1])).padding(i(pads[0]), i(pads[1])).dilation(i(
					dilations[0]), i(dilations[1])).convolutionMode(ConvolutionMode.Truncate).hasBias(b !=
						null).activation(Activation.IDENTITY).weightInit(WeightInit.ZERO).build(), in);
			c.param(layer, "W", w);
		}
		else if (inPerGroup == 1) {
			// depthwise: every input channel its own filters (DL4J keeps them as kH x kW x C x m)
			final long multiplier = outChannels / group;
			layer = c.layer(new DepthwiseConvolution2D.Builder(i(kernel[0]), i(kernel[1])).nIn(group)
				.depthMultiplier(i(multiplier)).stride(i(strides[0]), i(strides[1])).padding(i(pads[0]),
					i(pads[1])).dilation(i(dilations[0]), i(dilations[1])).convolutionMode(
						ConvolutionMode.Truncate).hasBias(b != null).activation(Activation.IDENTITY)
				.weightInit(WeightInit.ZERO).build(), in);
			c.param(layer, "W", w.reshape('c', group, multiplier, kernel[0], kernel[1]).permute(2, 3, 0,
				1).dup('c'));
		}
		else {
			grouped(c, in, w, b, group, kernel, strides, pads, dilations);
			return;
		}
		if (b != null) c.param(layer, "b", b);
	}

	/**
	 * A convolution whose groups each see several channels (ResNeXt, ShuffleNet, RegNet): one
	 * DL4J convolution per group on its slice of the channels, their outputs concatenated.
	 */
	private static void grouped(final Context c, final String in, final INDArray w, final INDArray b,
		final long group, final long[] kernel, final long[] strides, final long[] pads,
		final long[] dilations)
	{
		final long outPerGroup = w.size(0) / group, inPerGroup = w.size(1);
		final String[] parts = new String[(int) group];
		for (int g = 0; g < group; g++) {
			final String slice = c.extraVertex("in" + g, new OnnxExtras.ChannelSlice(i(g * inPerGroup), i((g + 1) *
				inPerGroup - 1)), in);
			parts[g] = c.extra("group" + g, new ConvolutionLayer.Builder(i(kernel[0]), i(kernel[1]))
				.nIn(inPerGroup).nOut(outPerGroup).stride(i(strides[0]), i(strides[1])).padding(i(pads[0]),
					i(pads[1])).dilation(i(dilations[0]), i(dilations[1])).convolutionMode(
						ConvolutionMode.Truncate).hasBias(b != null).activation(Activation.IDENTITY)
				.weightInit(WeightInit.ZERO).build(), slice);
			final var rows = NDArrayIndex.interval(g * outPerGroup, (g + 1) * outPerGroup);
			c.param(parts[g], "W", w.get(rows, NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex
				.all()).dup('c'));
			if (b != null) c.param(parts[g], "b", b.get(rows).dup('c'));
		}
		c.vertex(new MergeVertex(), parts);
	}

	private static void batchNorm(final Context c) {
		final String layer = c.layer(new BatchNormalization.Builder().eps(c.real("epsilon", 1e-5))
			.useLogStd(false).build(), c.input(0));
		c.param(layer, "gamma", c.weight(1));
		c.param(layer, "beta", c.weight(2));
		c.param(layer, "mean", c.weight(3));
		c.param(layer, "var", c.weight(4));
	}

	private static void activation(final Context c, final IActivation function) {
		c.layer(new ActivationLayer.Builder().activation(function).build(), c.input(0));
	}

	/** Clip(0, 6) is ReLU6 (MobileNet), Clip(0, inf) ReLU. */
	/** Clip's minimum and maximum, from its inputs (opset 11 on) or attributes. */
	private static double[] clipBounds(final Context c) {
		final double min = c.node.getInputCount() > 1 && !c.node.getInput(1).isEmpty() ? c.weight(1)
			.getDouble(0) : c.real("min", Double.NEGATIVE_INFINITY);
		final double max = c.node.getInputCount() > 2 && !c.node.getInput(2).isEmpty() ? c.weight(2)
			.getDouble(0) : c.real("max", Double.POSITIVE_INFINITY);
		return new double[] { min, max };
	}

	private static void clip(final Context c) {
		final double[] bounds = clipBounds(c);
		final double min = bounds[0], max = bounds[1];
		if (min == 0 && max == 6) activation(c, Activation.RELU6.getActivationFunction());
		else if (min == 0 && (Double.isInfinite(max) || max > 3e38)) activation(c, Activation.RELU
			.getActivationFunction());
		else throw c.unsupported("Clip to [" + min + ", " + max + "]; DeepClass maps [0, 6] (ReLU6) " +
			"and [0, inf) (ReLU)");
	}

	private static void softmax(final Context c) {
		final long axis = c.integer("axis", c.model.opset >= 13 ? -1 : 1);
		if (axis != 1 && axis != -1) throw c.unsupported("softmax over axis " + axis +
			"; DeepClass maps softmax over the classes (axis 1 of N x classes)");
		activation(c, Activation.SOFTMAX.getActivationFunction());
	}

	private static void pool(final Context c, final PoolingType type) {
		final long[] kernel = c.ints("kernel_shape");
		final long[] strides = c.ints("strides", kernel);
		final long[] pads = c.ints("pads", 0, 0, 0, 0);
		if (c.integer("ceil_mode", 0) != 0) {
			ceilMaxPool(c, type, kernel, strides, pads);
			return;
		}
		final long[] sym = symmetric(pads);
		final boolean asymmetric = sym == null;
		final String in = asymmetric ? padded(c, pads) : c.input(0);
		final long[] use = asymmetric ? new long[] { 0, 0 } : sym;
		final SubsamplingLayer.Builder builder = pooling(type, kernel, strides).padding(i(use[0]), i(
			use[1]));
		if (type == PoolingType.AVG) builder.avgPoolIncludePadInDivisor(c.integer("count_include_pad",
			0) != 0);
		c.layer(builder.build(), in);
	}

	private static SubsamplingLayer.Builder pooling(final PoolingType type, final long[] kernel,
		final long[] strides)
	{
		return new SubsamplingLayer.Builder(type).kernelSize(i(kernel[0]), i(kernel[1])).stride(i(
			strides[0]), i(strides[1])).convolutionMode(ConvolutionMode.Truncate);
	}

	/**
	 * Max-pooling with ceil_mode=1 (SqueezeNet): the last window may hang over the bottom and right
	 * edges. Padding those edges with stride - 1 zeros makes DL4J's floor rounding give the same
	 * windows; a zero changes no window's maximum when the input is never negative (after a ReLU)
	 * and every window keeps an image pixel (kernel >= stride + pad), which is what is checked.
	 */
	private static void ceilMaxPool(final Context c, final PoolingType type, final long[] kernel,
		final long[] strides, final long[] pads)
	{
		final long[] p = pads.length == 4 ? pads : new long[4];
		if (type != PoolingType.MAX) throw c.unsupported("average pooling with ceil_mode=1; DeepClass " +
			"maps ceil_mode=1 for max-pooling");
		if (!c.nonNegative.contains(c.node.getInput(0))) throw c.unsupported("ceil_mode=1 on an " +
			"input that may be negative; DeepClass maps it after a ReLU (or another non-negative " +
			"operator)");
		for (int d = 0; d < 2; d++)
			if (kernel[d] < strides[d] + Math.max(p[d], p[d + 2])) throw c.unsupported("ceil_mode=1 " +
				"with a kernel smaller than stride plus padding; DeepClass maps kernel >= stride + pad");
		final String in = c.extra("pad", new ZeroPaddingLayer.Builder(i(p[0]), i(p[2] + strides[0] -
			1), i(p[1]), i(p[3] + strides[1] - 1)).build(), c.input(0));
		c.layer(pooling(type, kernel, strides).padding(0, 0).build(), in);
	}

	/**
	 * Mul of two computed tensors (squeeze-and-excitation's channel weights times the feature
	 * maps, SiLU's x times sigmoid x): a product that broadcasts as ONNX does.
	 */
	private static void mul(final Context c) {
		if (c.isWeight(0) || c.isWeight(1)) constant(c);
		else c.vertex(new OnnxExtras.BroadcastProduct(), c.input(0), c.input(1));
	}

	/**
	 * Add, Sub, Mul or Div of feature maps and a per-channel constant (1 x C x 1 x 1 or C x 1 x 1;
	 * a model's own standardisation, as DeepClass's exports have): a fixed per-channel scale and
	 * shift, as a 1x1 depthwise convolution that fine-tuning leaves alone.
	 */
	private static void constant(final Context c) {
		final String op = c.node.getOpType();
		final int k = c.isWeight(1) ? 1 : 0;
		final INDArray value = c.weight(k);
		final long[] shape = value.shape();
		final boolean perChannel = shape.length == 4 && shape[0] == 1 && shape[2] == 1 && shape[3] ==
			1 || shape.length == 3 && shape[1] == 1 && shape[2] == 1;
		if (!perChannel) throw c.unsupported(op + " with a constant of shape " + Arrays.toString(shape) + "; DeepClass maps per-channel constants (1 x C x 1 x 1) and products " +
			"of two computed tensors");
		if (op.equals("Div") && k == 0) throw c.unsupported("a constant divided by feature maps");
		final INDArray v = value.reshape(-1).castTo(DataType.FLOAT);
		final long channels = v.length();
		final INDArray scale, shift;
		switch (op) {
			case "Add" -> {
				scale = Nd4j.ones(channels);
				shift = v.dup();
			}
			case "Sub" -> { // x - v, or v - x
				scale = Nd4j.ones(channels).muli(k == 1 ? 1 : -1);
				shift = k == 1 ? v.neg() : v.dup();
			}
			case "Mul" -> {
				scale = v.dup();
				shift = Nd4j.zeros(channels);
			}
			default -> { // Div
				scale = v.rdiv(1);
				shift = Nd4j.zeros(channels);
			}
		}
		final String layer = c.layer(new FrozenLayerWithBackprop(
			new DepthwiseConvolution2D.Builder(1, 1).nIn(channels).depthMultiplier(1).hasBias(true)
				.activation(Activation.IDENTITY).convolutionMode(ConvolutionMode.Truncate).weightInit(
					WeightInit.ZERO).biasInit(0).updater(new NoOp()).build()),
			c.input(1 - k));
		c.param(layer, "W", scale);
		c.param(layer, "b", shift);
	}

	private static void concat(final Context c) {
		final long axis = c.integer("axis", 1);
		if (axis != 1) throw c.unsupported("concatenation along axis " + axis + "; DeepClass maps " +
			"channel concatenation (axis 1)");
		final String[] inputs = new String[c.node.getInputCount()];
		for (int k = 0; k < inputs.length; k++)
			inputs[k] = c.input(k);
		c.vertex(new MergeVertex(), inputs);
	}

	private static void flatten(final Context c) {
		if (c.integer("axis", 1) != 1) throw c.unsupported("Flatten with axis " + c.integer("axis",
			1) + "; DeepClass maps axis 1 (N x everything else)");
		c.alias(); // DL4J flattens in C, H, W order before a dense layer, as ONNX does
	}

	/** Gemm (x W^T + b with transB=1, PyTorch's Linear) or MatMul with a weight: a dense layer. */
	private static void gemm(final Context c) {
		final boolean isGemm = c.node.getOpType().equals("Gemm");
		if (isGemm && (c.real("alpha", 1) != 1 || c.real("beta", 1) != 1 || c.integer("transA",
			0) != 0))
			throw c.unsupported("Gemm with alpha, beta or transA; DeepClass maps x W^T + b and x W + b");
		if (!c.isWeight(1)) throw c.unsupported("a product of two computed tensors; DeepClass maps " +
			"products with a stored weight matrix");
		final INDArray w = c.weight(1);
		final INDArray weights = isGemm && c.integer("transB", 0) != 0 ? w.transpose().dup('c') : w;
		final INDArray b = isGemm ? c.weight(2) : null;
		final String layer = c.layer(new DenseLayer.Builder().nOut(weights.size(1)).hasBias(b != null)
			.activation(Activation.IDENTITY).weightInit(WeightInit.ZERO).build(), c.input(0));
		c.param(layer, "W", weights);
		if (b != null) c.param(layer, "b", b);
	}

	/**
	 * Reshape to N x everything (as before a classifier: [N, -1], [-1, C] or [0, C]) is a
	 * flatten, which DL4J does before a dense layer.
	 */
	private static void reshape(final Context c) {
		final long[] shape = c.isWeight(1) ? c.weight(1).toLongVector() : c.ints("shape");
		if (shape.length != 2) throw c.unsupported("Reshape to " + Arrays.toString(shape) +
			"; DeepClass maps Reshape to N x features (2 dimensions) before a classifier");
		c.alias();
	}

	/** Zero padding of height and width (constant mode, value 0). */
	private static void pad(final Context c) {
		if (!c.text("mode", "constant").equals("constant")) throw c.unsupported("padding mode '" + c
			.text("mode", "") + "'; DeepClass maps constant (zero) padding");
		final long[] pads = c.model.opset >= 11 ? c.weight(1).toLongVector() : c.ints("pads");
		final INDArray value = c.model.opset >= 11 ? c.weight(2) : null;
		if (value != null && value.getDouble(0) != 0 || c.real("value", 0) != 0)
			throw c.unsupported("padding with a value other than 0");
		if (pads.length != 8 || pads[0] != 0 || pads[1] != 0 || pads[4] != 0 || pads[5] != 0)
			throw c.unsupported("padding of the batch or channel axis; DeepClass maps height and width");
		if (pads[2] == 0 && pads[3] == 0 && pads[6] == 0 && pads[7] == 0) c.alias();
		else c.layer(new ZeroPaddingLayer.Builder(i(pads[2]), i(pads[6]), i(pads[3]), i(pads[7]))
			.build(), c.input(0));
	}

	/** Pads as (height, width) when ONNX's begin and end pads are equal, else null. */
	private static long[] symmetric(final long[] pads) {
		if (pads.length != 4) return new long[] { 0, 0 };
		return pads[0] == pads[2] && pads[1] == pads[3] ? new long[] { pads[0], pads[1] } : null;
	}

	/** The node's input, behind a zero-padding layer when its pads are not symmetric. */
	private static String padded(final Context c, final long[] pads) {
		if (pads.length != 4 || symmetric(pads) != null) return c.input(0);
		return c.extra("pad", new ZeroPaddingLayer.Builder(i(pads[0]), i(pads[2]), i(pads[1]), i(
			pads[3])).build(), c.input(0));
	}

	private static int i(final long v) {
		return Math.toIntExact(v);
	}
}
