package io.deepclass.core.export;

import java.util.Arrays;
import java.util.Map;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU6;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import io.deepclass.core.DeepClassException;
import io.deepclass.core.onnx.OnnxExtras;
import onnx.OnnxMl;

/**
 * DL4J layers and activations as ONNX nodes: one mapper per layer class and per activation
 * class, found in a registry by the exact class (separable, transposed and 1D convolutions and
 * 1D pooling extend the 2D classes and must not be written as them). A layer or activation
 * without a mapper stops the export with a message naming it.
 */
final class OnnxLayers {

	/** Writes one layer's nodes after {@code x}; returns the name of its output. */
	@FunctionalInterface
	private interface LayerMapper<L extends Layer> {

		String map(OnnxLayers out, L layer, Map<String, INDArray> params, String name, String x);
	}

	/** Writes one activation's nodes after {@code x}; returns the name of its output. */
	@FunctionalInterface
	private interface ActivationMapper<A extends IActivation> {

		String map(OnnxLayers out, A activation, String name, String x);
	}

	private static final Map<Class<?>, LayerMapper<?>> LAYERS = Map.ofEntries( //
		layer(ConvolutionLayer.class, (o, c, p, n, x) -> o.activation(c.getActivationFn(), o.conv(c,
			p, n, x), n)), //
		layer(DepthwiseConvolution2D.class, (o, d, p, n, x) -> o.activation(d.getActivationFn(), o
			.depthwise(d, p, n, x), n)), //
		layer(SubsamplingLayer.class, (o, s, p, n, x) -> o.pool(s, n, x)), //
		layer(BatchNormalization.class, (o, b, p, n, x) -> o.batchNorm(b, p, n, x)), //
		layer(DenseLayer.class, (o, d, p, n, x) -> {
			if (d.hasLayerNorm()) throw unsupported("a dense layer with layer normalisation", n);
			return o.dense(d, p, n, x);
		}), //
		layer(OutputLayer.class, (o, d, p, n, x) -> o.dense(d, p, n, x)), //
		layer(ActivationLayer.class, (o, a, p, n, x) -> {
			final String y = o.activation(a.getActivationFn(), x, n);
			return y.equals(x) ? o.w.node("Identity", n, x) : y;
		}), //
		layer(DropoutLayer.class, (o, d, p, n, x) -> o.w.node("Identity", n, x)), //
		layer(GlobalPoolingLayer.class, (o, g, p, n, x) -> o.globalPool(g, n, x)), //
		layer(ZeroPaddingLayer.class, (o, z, p, n, x) -> {
			final int[] pad = z.getPadding(); // top, bottom, left, right
			return o.w.node("Pad", n, x, o.w.longs(n + "_pads", 0, 0, pad[0], pad[2], 0, 0, pad[1],
				pad[3]));
		}), //
		layer(FrozenLayer.class, (o, f, p, n, x) -> o.layer(f.getLayer(), p, n, x)), //
		layer(FrozenLayerWithBackprop.class, (o, f, p, n, x) -> o.layer(f.getUnderlying(), p, n,
			x)));

	private static final Map<Class<?>, ActivationMapper<?>> ACTIVATIONS = Map.ofEntries( //
		activation(ActivationIdentity.class, (o, a, n, x) -> x), //
		activation(ActivationReLU.class, (o, a, n, x) -> {
			if (!a.equals(new ActivationReLU())) throw unsupported(
				"a ReLU with a maximum, threshold or negative slope", n);
			return o.w.node("Relu", n + "_relu", x);
		}), //
		activation(ActivationSoftmax.class, (o, a, n, x) -> o.w.node("Softmax", n + "_softmax",
			new OnnxMl.AttributeProto[] { OnnxWriter.integer("axis", 1) }, x)), //
		activation(ActivationSigmoid.class, (o, a, n, x) -> o.w.node("Sigmoid", n + "_sigmoid", x)), //
		activation(ActivationTanH.class, (o, a, n, x) -> o.w.node("Tanh", n + "_tanh", x)), //
		activation(ActivationLReLU.class, (o, a, n, x) -> o.w.node("LeakyRelu", n + "_leakyrelu",
			new OnnxMl.AttributeProto[] { OnnxWriter.real("alpha", a.getAlpha()) }, x)), //
		activation(ActivationReLU6.class, (o, a, n, x) -> o.w.node("Clip", n + "_relu6", x, o.w
			.weight(n + "_min", new float[] { 0 }), o.w.weight(n + "_max", new float[] { 6 }))), //
		activation(OnnxExtras.HardSigmoid.class, (o, a, n, x) -> o.w.node("HardSigmoid", n +
			"_hardsigmoid", new OnnxMl.AttributeProto[] { OnnxWriter.real("alpha", a.getAlpha()),
				OnnxWriter.real("beta", a.getBeta()) }, x)), //
		activation(OnnxExtras.HardSwish.class, (o, a, n, x) -> o.w.node("Mul", n + "_hardswish", x, o.w
			.node("HardSigmoid", n + "_hardsigmoid", new OnnxMl.AttributeProto[] { OnnxWriter.real(
				"alpha", 1.0 / 6), OnnxWriter.real("beta", 0.5) }, x))));

	private static <L extends Layer> Map.Entry<Class<?>, LayerMapper<?>> layer(final Class<L> type,
		final LayerMapper<L> mapper)
	{
		return Map.entry(type, mapper);
	}

	private static <A extends IActivation> Map.Entry<Class<?>, ActivationMapper<?>> activation(
		final Class<A> type, final ActivationMapper<A> mapper)
	{
		return Map.entry(type, mapper);
	}

	private final OnnxWriter w;

	OnnxLayers(final OnnxWriter w) {
		this.w = w;
	}

	/** The nodes of {@code layer} (with its parameters) applied to {@code x}. */
	@SuppressWarnings("unchecked")
	String layer(final Layer layer, final Map<String, INDArray> params, final String name,
		final String x)
	{
		final LayerMapper<Layer> mapper = (LayerMapper<Layer>) LAYERS.get(layer.getClass());
		if (mapper == null) throw unsupported(layer.getClass().getSimpleName(), name);
		return mapper.map(this, layer, params, name, x);
	}

	@SuppressWarnings("unchecked")
	private String activation(final IActivation a, final String x, final String name) {
		if (a == null) return x;
		final ActivationMapper<IActivation> mapper = (ActivationMapper<IActivation>) ACTIVATIONS.get(a
			.getClass());
		if (mapper == null) throw unsupported("activation " + a, name);
		return mapper.map(this, a, name, x);
	}

	private String dense(final BaseLayer dense, final Map<String, INDArray> params,
		final String name, final String x)
	{
		final String y = params.containsKey("b") ? w.node("Gemm", name, x, w.weight(name + "_W",
			params.get("W")), w.weight(name + "_b", params.get("b").reshape(-1))) : w.node("MatMul",
				name, x, w.weight(name + "_W", params.get("W")));
		return activation(dense.getActivationFn(), y, name);
	}

	private String globalPool(final GlobalPoolingLayer g, final String name, final String x) {
		final String op = switch (g.getPoolingType()) {
			case AVG -> "GlobalAveragePool";
			case MAX -> "GlobalMaxPool";
			default -> throw unsupported(g.getPoolingType() + " global pooling", name);
		};
		final String y = w.node(op, name, x);
		return g.isCollapseDimensions() ? w.node("Flatten", name + "_flat",
			new OnnxMl.AttributeProto[] { OnnxWriter.integer("axis", 1) }, y) : y;
	}

	private String conv(final ConvolutionLayer c, final Map<String, INDArray> params,
		final String name, final String x)
	{
		final String[] inputs = params.containsKey("b") ? new String[] { x, w.weight(name + "_W",
			params.get("W")), w.weight(name + "_b", params.get("b").reshape(-1)) } : new String[] { x, w
				.weight(name + "_W", params.get("W")) };
		return w.node("Conv", name, convAttributes(c, 1), inputs);
	}

	/** DL4J keeps depthwise kernels as kH x kW x C x multiplier; ONNX as (C x m) x 1 x kH x kW. */
	private String depthwise(final DepthwiseConvolution2D d, final Map<String, INDArray> params,
		final String name, final String x)
	{
		final INDArray k = params.get("W");
		final long channels = k.size(2), multiplier = k.size(3);
		final INDArray onnx = k.permute(2, 3, 0, 1).dup('c').reshape('c', channels * multiplier, 1, k
			.size(0), k.size(1));
		final String[] inputs = params.containsKey("b") ? new String[] { x, w.weight(name + "_W", onnx),
			w.weight(name + "_b", params.get("b").reshape(-1)) } : new String[] { x, w.weight(name + "_W",
				onnx) };
		return w.node("Conv", name, convAttributes(d, channels), inputs);
	}

	private static OnnxMl.AttributeProto[] convAttributes(final ConvolutionLayer c,
		final long group)
	{
		if (c.getCnn2dDataFormat() == CNN2DFormat.NHWC) throw unsupported("channels-last (NHWC) " +
			"convolution", c.getLayerName());
		if (c.getConvolutionMode() == ConvolutionMode.Same || c.getConvolutionMode() ==
			ConvolutionMode.Causal) throw unsupported("convolution mode " + c.getConvolutionMode(), c
				.getLayerName());
		final int[] k = c.getKernelSize(), s = c.getStride(), p = c.getPadding(), d = c.getDilation();
		return new OnnxMl.AttributeProto[] { OnnxWriter.ints("kernel_shape", k[0], k[1]), OnnxWriter
			.ints("strides", s[0], s[1]), OnnxWriter.ints("pads", p[0], p[1], p[0], p[1]), OnnxWriter
				.ints("dilations", d[0], d[1]), OnnxWriter.integer("group", group) };
	}

	private String pool(final SubsamplingLayer s, final String name, final String x) {
		if (s.getConvolutionMode() == ConvolutionMode.Same) throw unsupported("pooling in Same mode",
			name);
		if (s.getCnn2dDataFormat() == CNN2DFormat.NHWC || s.getDilation()[0] != 1 || s
			.getDilation()[1] != 1) throw unsupported("channels-last or dilated pooling", name);
		final int[] k = s.getKernelSize(), st = s.getStride(), p = s.getPadding();
		final OnnxMl.AttributeProto[] common = { OnnxWriter.ints("kernel_shape", k[0], k[1]),
			OnnxWriter.ints("strides", st[0], st[1]), OnnxWriter.ints("pads", p[0], p[1], p[0], p[1]) };
		if (s.getPoolingType() == PoolingType.MAX) return w.node("MaxPool", name, common, x);
		if (s.getPoolingType() == PoolingType.AVG) {
			final OnnxMl.AttributeProto[] avg = Arrays.copyOf(common, 4);
			avg[3] = OnnxWriter.integer("count_include_pad", s.isAvgPoolIncludePadInDivisor() ? 1 : 0);
			return w.node("AveragePool", name, avg, x);
		}
		throw unsupported(s.getPoolingType() + " pooling", name);
	}

	/**
	 * BatchNormalization with its running statistics. DL4J divides by sqrt(var + eps), also with
	 * log-std parameters (its default), whose var is the stored std squared (measured: layer by
	 * layer against ONNX Runtime).
	 */
	private String batchNorm(final BatchNormalization b, final Map<String, INDArray> params,
		final String name, final String x)
	{
		if (b.getCnn2DFormat() == CNN2DFormat.NHWC) throw unsupported("channels-last BatchNorm",
			name);
		final INDArray var;
		if (params.containsKey("var")) var = params.get("var");
		else {
			final INDArray std = Transforms.exp(params.get("log10stdev").castTo(DataType.DOUBLE).mul(Math
				.log(10)), false);
			var = std.mul(std).castTo(DataType.FLOAT);
		}
		final long n = var.length();
		final INDArray gamma = params.containsKey("gamma") ? params.get("gamma") : Nd4j.valueArrayOf(n,
			b.getGamma());
		final INDArray beta = params.containsKey("beta") ? params.get("beta") : Nd4j.valueArrayOf(n, b
			.getBeta());
		return w.node("BatchNormalization", name, new OnnxMl.AttributeProto[] { OnnxWriter.real(
			"epsilon", b.getEps()) }, x, w.weight(name + "_gamma", gamma.reshape(-1)), w.weight(name +
				"_beta", beta.reshape(-1)), w.weight(name + "_mean", params.get("mean").reshape(-1)), w
					.weight(name + "_var", var.reshape(-1)));
	}

	static DeepClassException unsupported(final String what, final String where) {
		return new DeepClassException("Export Model: " + what + (where.isEmpty() ? "" : " (layer '" +
			where + "')") + " has no ONNX export yet; DeepClass exports its own architectures and " +
			"networks imported from ONNX.");
	}
}
