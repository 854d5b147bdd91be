package io.deepclass.core.export;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.FrozenVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.graph.SubsetVertex;
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
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU6;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

import io.deepclass.core.DeepClassException;
import io.deepclass.core.Versions;
import io.deepclass.core.bundle.ModelBundle;
import io.deepclass.core.bundle.ModelFiles;
import io.deepclass.core.bundle.ModelInfo;
import io.deepclass.core.data.Dataset;
import io.deepclass.core.data.ImageShape;
import io.deepclass.core.data.Normalization;
import io.deepclass.core.model.Network;
import io.deepclass.core.onnx.OnnxExtras;
import onnx.OnnxMl;

/**
 * Writes a DeepClass model as an ONNX file (opset 13) that ONNX Runtime and other tools run: the
 * network in inference mode (dropout gone, BatchNorm with its running statistics), its output
 * the class probabilities. The model's per-channel standardisation (dataset mean/std, or
 * ImageNet's after scaling) is inside the graph; what depends on each image (percentile or
 * bit-depth scaling, resizing for pretrained backbones) is stated as preprocessing in the
 * file's metadata ({@link #PREPROCESSING}), with the class names and the model card.
 */
public final class OnnxExporter {

	/** The ONNX opset written. */
	public static final int OPSET = 13;

	/** Metadata keys. */
	public static final String CLASSES = "deepclass.classes", PREPROCESSING =
		"deepclass.preprocessing", MODEL_CARD = "deepclass.model_card";

	/** Names of the graph's input and output. */
	public static final String INPUT = "input", OUTPUT = "probabilities";

	private final OnnxWriter w = new OnnxWriter();

	private OnnxExporter() {}

	/** The model as an ONNX model proto. */
	public static OnnxMl.ModelProto export(final ModelBundle bundle) {
		return new OnnxExporter().model(bundle);
	}

	/** Writes the model to {@code file} (through a temporary file: no partial file on failure). */
	public static void write(final ModelBundle bundle, final Path file) throws IOException {
		final OnnxMl.ModelProto model = export(bundle);
		io.deepclass.core.TemporaryFiles.writeAtomically(file, ".part", model::writeTo);
	}

	/**
	 * The exported graph's input for {@code images} (already of the model's input shape): their
	 * pixels after the per-image step of the model's normalisation, N x C x H x W in one array.
	 */
	public static float[] input(final ModelInfo info, final Dataset images) {
		final Normalization scaling = info.normalizationValues().perImage();
		final ImageShape shape = images.shape();
		final float[] pixels = new float[Math.multiplyExact(images.size(), shape.size())];
		final int[] depths = new int[images.size()];
		for (int i = 0; i < images.size(); i++) {
			images.images().copyTo(i, pixels, i * shape.size());
			depths[i] = images.bitDepth(i);
		}
		scaling.apply(pixels, 0, images.size(), shape, depths);
		return pixels;
	}

	/**
	 * What each image needs before the graph, in words: the per-image step of the model's
	 * normalisation, and resizing for a pretrained backbone.
	 */
	public static String preprocessing(final ModelInfo info) {
		final Normalization n = info.normalizationValues();
		final String scaling = switch (n.method()) {
			case PERCENTILE -> String.format(java.util.Locale.ROOT, "each image and channel scaled " +
				"to its own percentiles: (x - p%s) / (p%s - p%s), numpy's linear interpolation",
				number(n.lowPercentile()), number(n.highPercentile()), number(n.lowPercentile()));
			case BIT_DEPTH -> "values divided by the stored bit depth's maximum: 255 (8-bit, RGB), " +
				"65535 (16-bit), 1 (32-bit)";
			case DATASET, NONE -> "none: raw pixel values";
		};
		final ImageShape shape = info.inputShape();
		return scaling + "; input " + shape.channels() + " x " + shape.height() + " x " + shape
			.width() + " (channels x height x width)" + (info.input().resizes() ? ", images resized " +
				"to it (bilinear), gray repeated to every channel" : "") + "; the per-channel mean/std " +
			"standardisation is inside the graph";
	}

	private static String number(final double v) {
		return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
	}

	private OnnxMl.ModelProto model(final ModelBundle bundle) {
		final ModelInfo info = bundle.info();
		final ImageShape shape = info.inputShape();
		w.graph.setName("deepclass").addInput(OnnxWriter.tensor(INPUT, shape.channels(), shape
			.height(), shape.width()));
		String x = standardisation(info.normalizationValues(), shape.channels(), INPUT);
		final Network network = bundle.network();
		final String out = network instanceof Network.Sequential s ? sequential(s.model(), x) : graph(
			((Network.Graph) network).model(), x);
		// the last node's output is the graph's output
		final int last = w.graph.getNodeCount() - 1;
		if (last < 0 || !w.graph.getNode(last).getOutput(0).equals(out))
			throw new IllegalStateException("the network's output is not the last node");
		final OnnxMl.NodeProto.Builder node = w.graph.getNodeBuilder(last);
		node.setOutput(0, OUTPUT);
		w.graph.addOutput(OnnxWriter.tensor(OUTPUT, info.classNames().size()));
		return OnnxMl.ModelProto.newBuilder().setIrVersion(7).setProducerName("DeepClass")
			.setProducerVersion(String.valueOf(Versions.deepclass())).setDomain("io.deepclass")
			.setDocString(info.architecture() + ": class probabilities for " + String.join(", ", info
				.classNames())).addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setVersion(OPSET))
			.setGraph(w.graph).addMetadataProps(meta(CLASSES, new com.google.gson.Gson().toJson(info
				.classNames()))).addMetadataProps(meta(PREPROCESSING, preprocessing(info)))
			.addMetadataProps(meta(MODEL_CARD, ModelFiles.toJson(info))).build();
	}

	private static OnnxMl.StringStringEntryProto meta(final String key, final String value) {
		return OnnxMl.StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
	}

	/** (x - mean) / std per channel, when the model's normalisation has it. */
	private String standardisation(final Normalization n, final int channels, final String x) {
		final float[] mean = n.mean(), std = n.std();
		boolean needed = false;
		for (int c = 0; c < mean.length; c++)
			needed |= mean[c] != 0 || std[c] != 1;
		if (!needed) return x;
		if (mean.length != channels) throw new DeepClassException("the model's normalisation has " +
			mean.length + " channels, its input " + channels + ".");
		final float[] inverse = new float[std.length];
		for (int c = 0; c < std.length; c++)
			inverse[c] = 1f / std[c];
		// as DeepClass computes it: (x - mean) * (1 / std)
		final String centred = w.node("Sub", "centred", x, w.weight("mean", mean, 1, channels, 1, 1));
		return w.node("Mul", "standardised", centred, w.weight("inverse_std", inverse, 1, channels, 1,
			1));
	}

	private String sequential(final MultiLayerNetwork network, final String input) {
		String x = input;
		for (int i = 0; i < network.getnLayers(); i++) {
			x = preprocessor(network.getLayerWiseConfigurations().getInputPreProcess(i), x);
			x = layer(network.getLayerWiseConfigurations().getConf(i).getLayer(), network.getLayer(i)
				.paramTable(), "layer" + i, x);
		}
		return x;
	}

	private String graph(final ComputationGraph graph, final String input) {
		final var conf = graph.getConfiguration();
		if (conf.getNetworkInputs().size() != 1 || conf.getNetworkOutputs().size() != 1)
			throw new DeepClassException("only networks with one input and one output can be exported.");
		final Map<String, String> tensors = new HashMap<>();
		tensors.put(conf.getNetworkInputs().get(0), input);
		for (final String name : conf.getTopologicalOrderStr()) {
			if (tensors.containsKey(name)) continue;
			final List<String> from = conf.getVertexInputs().get(name);
			final String[] in = from.stream().map(tensors::get).toArray(String[]::new);
			var vertex = conf.getVertices().get(name);
			while (vertex instanceof FrozenVertex frozen) // a features model's frozen sums and merges
				vertex = frozen.getUnderlying();
			final String out;
			if (vertex instanceof LayerVertex lv) {
				final String x = preprocessor(lv.getPreProcessor(), in[0]);
				out = layer(lv.getLayerConf().getLayer(), graph.getLayer(name).paramTable(), name, x);
			}
			else if (vertex instanceof ElementWiseVertex e) out = elementWise(e.getOp(), name, in);
			else if (vertex instanceof MergeVertex) out = w.node("Concat", name,
				new OnnxMl.AttributeProto[] { OnnxWriter.integer("axis", 1) }, in);
			else if (vertex instanceof SubsetVertex s) out = w.node("Slice", name, in[0], w.longs(name +
				"_starts", s.getFrom()), w.longs(name + "_ends", s.getTo() + 1), w.longs(name + "_axes",
					1));
			else if (vertex instanceof OnnxExtras.BroadcastProduct) out = w.node("Mul", name, in);
			else if (vertex instanceof PreprocessorVertex p) out = preprocessor(p.getPreProcessor(), in[0]);
			else throw unsupported(vertex.getClass().getSimpleName(), name);
			tensors.put(name, out);
		}
		return tensors.get(conf.getNetworkOutputs().get(0));
	}

	/** ONNX's Add, Mul and Sub take two inputs: more are summed (Sum) or multiplied in a chain. */
	private String elementWise(final ElementWiseVertex.Op op, final String name, final String[] in) {
		if (op == ElementWiseVertex.Op.Add) return w.node(in.length == 2 ? "Add" : "Sum", name, in);
		if (op == ElementWiseVertex.Op.Subtract && in.length == 2) return w.node("Sub", name, in);
		if (op != ElementWiseVertex.Op.Product) throw unsupported("element-wise " + op + " of " +
			in.length + " inputs", name);
		String product = in[0];
		for (int i = 1; i < in.length; i++)
			product = w.node("Mul", i == in.length - 1 ? name : name + "_" + i, product, in[i]);
		return product;
	}

	private String preprocessor(final InputPreProcessor p, final String x) {
		if (p == null) return x;
		if (p instanceof CnnToFeedForwardPreProcessor c && c.getFormat() == CNN2DFormat.NHWC)
			throw unsupported("channels-last (NHWC) flattening", "");
		if (p instanceof CnnToFeedForwardPreProcessor) return w.node("Flatten", "flatten",
			new OnnxMl.AttributeProto[] { OnnxWriter.integer("axis", 1) }, x);
		throw unsupported("input preprocessor " + p.getClass().getSimpleName(), "");
	}

	private String layer(final Layer layer, final Map<String, INDArray> params, final String name,
		final String x)
	{
		if (layer instanceof FrozenLayerWithBackprop f) return layer(f.getUnderlying(), params, name, x);
		if (layer instanceof FrozenLayer f) return layer(f.getLayer(), params, name, x);
		// exact classes: separable, transposed and 1D convolutions and 1D pooling extend these
		if (layer.getClass() == DepthwiseConvolution2D.class) return activation(
			((DepthwiseConvolution2D) layer).getActivationFn(), depthwise((DepthwiseConvolution2D) layer,
				params, name, x), name);
		if (layer.getClass() == ConvolutionLayer.class) return activation(((ConvolutionLayer) layer)
			.getActivationFn(), conv((ConvolutionLayer) layer, params, name, x), name);
		if (layer.getClass() == SubsamplingLayer.class) return pool((SubsamplingLayer) layer, name, x);
		if (layer instanceof BatchNormalization b) {
			if (b.getCnn2DFormat() == CNN2DFormat.NHWC) throw unsupported("channels-last BatchNorm",
				name);
			return batchNorm(b, params, name, x);
		}
		if (layer instanceof DenseLayer d && d.hasLayerNorm()) throw unsupported(
			"a dense layer with layer normalisation", name);
		if (layer instanceof DenseLayer || layer instanceof OutputLayer) {
			final BaseLayer dense = (BaseLayer) layer;
			final boolean bias = params.containsKey("b");
			final String y = bias ? w.node("Gemm", name, x, w.weight(name + "_W", params.get("W")), w
				.weight(name + "_b", params.get("b").reshape(-1))) : w.node("MatMul", name, x, w.weight(name +
					"_W", params.get("W")));
			return activation(dense.getActivationFn(), y, name);
		}
		if (layer instanceof ActivationLayer a) {
			final String y = activation(a.getActivationFn(), x, name);
			return y.equals(x) ? w.node("Identity", name, x) : y;
		}
		if (layer instanceof DropoutLayer) return w.node("Identity", name, x);
		if (layer instanceof GlobalPoolingLayer g) {
			final String op = switch (g.getPoolingType()) {
				case AVG -> "GlobalAveragePool";
				case MAX -> "GlobalMaxPool";
				default -> throw unsupported(g.getPoolingType() + " global pooling", name);
			};
			final String y = w.node(op, name, x);
			return g.isCollapseDimensions() ? w.node("Flatten", name + "_flat",
				new OnnxMl.AttributeProto[] { OnnxWriter.integer("axis", 1) }, y) : y;
		}
		if (layer instanceof ZeroPaddingLayer z) {
			final int[] p = z.getPadding(); // top, bottom, left, right
			return w.node("Pad", name, x, w.longs(name + "_pads", 0, 0, p[0], p[2], 0, 0, p[1], p[3]));
		}
		throw unsupported(layer.getClass().getSimpleName(), name);
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

	private OnnxMl.AttributeProto[] convAttributes(final ConvolutionLayer c, final long group) {
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
			final OnnxMl.AttributeProto[] avg = java.util.Arrays.copyOf(common, 4);
			avg[3] = OnnxWriter.integer("count_include_pad", s.isAvgPoolIncludePadInDivisor() ? 1 : 0);
			return w.node("AveragePool", name, avg, x);
		}
		throw unsupported(s.getPoolingType() + " pooling", name);
	}

	/**
	 * BatchNormalization with its running statistics; where DL4J keeps log10 of the standard
	 * deviation, var = std^2 (DL4J too divides by sqrt(std^2 + eps)).
	 */
	private String batchNorm(final BatchNormalization b, final Map<String, INDArray> params,
		final String name, final String x)
	{
		// DL4J divides by sqrt(var + eps), also with log-std parameters (its default), whose
		// var is the stored std squared (measured: layer by layer against ONNX Runtime)
		final double eps = b.getEps();
		final INDArray var;
		if (params.containsKey("var")) var = params.get("var");
		else {
			final INDArray std = Transforms.exp(params.get("log10stdev").castTo(
				org.nd4j.linalg.api.buffer.DataType.DOUBLE).mul(Math.log(10)), false);
			var = std.mul(std).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT);
		}
		final long n = var.length();
		final INDArray gamma = params.containsKey("gamma") ? params.get("gamma") : org.nd4j.linalg.factory.Nd4j
			.valueArrayOf(n, b.getGamma());
		final INDArray beta = params.containsKey("beta") ? params.get("beta") : org.nd4j.linalg.factory.Nd4j
			.valueArrayOf(n, b.getBeta());
		return w.node("BatchNormalization", name, new OnnxMl.AttributeProto[] { OnnxWriter.real(
			"epsilon", eps) }, x, w.weight(name + "_gamma", gamma.reshape(-1)), w.weight(name + "_beta",
				beta.reshape(-1)), w.weight(name + "_mean", params.get("mean").reshape(-1)), w.weight(name +
					"_var", var.reshape(-1)));
	}

	private String activation(final IActivation a, final String x, final String name) {
		if (a == null || a instanceof ActivationIdentity) return x;
		if (a instanceof ActivationReLU && !a.equals(new ActivationReLU())) throw unsupported(
			"a ReLU with a maximum, threshold or negative slope", name);
		if (a instanceof ActivationReLU) return w.node("Relu", name + "_relu", x);
		if (a instanceof ActivationSoftmax) return w.node("Softmax", name + "_softmax",
			new OnnxMl.AttributeProto[] { OnnxWriter.integer("axis", 1) }, x);
		if (a instanceof ActivationSigmoid) return w.node("Sigmoid", name + "_sigmoid", x);
		if (a instanceof ActivationTanH) return w.node("Tanh", name + "_tanh", x);
		if (a instanceof ActivationLReLU l) return w.node("LeakyRelu", name + "_leakyrelu",
			new OnnxMl.AttributeProto[] { OnnxWriter.real("alpha", l.getAlpha()) }, x);
		if (a instanceof ActivationReLU6) return w.node("Clip", name + "_relu6", x, w.weight(name +
			"_min", new float[] { 0 }), w.weight(name + "_max", new float[] { 6 }));
		if (a instanceof OnnxExtras.HardSigmoid h) return w.node("HardSigmoid", name + "_hardsigmoid",
			new OnnxMl.AttributeProto[] { OnnxWriter.real("alpha", h.getAlpha()), OnnxWriter.real("beta",
				h.getBeta()) }, x);
		if (a instanceof OnnxExtras.HardSwish) return w.node("Mul", name + "_hardswish", x, w.node(
			"HardSigmoid", name + "_hardsigmoid", new OnnxMl.AttributeProto[] { OnnxWriter.real("alpha",
				1.0 / 6), OnnxWriter.real("beta", 0.5) }, x));
		throw unsupported("activation " + a, name);
	}

	private static DeepClassException unsupported(final String what, final String where) {
		return new DeepClassException("Export Model: " + what + (where.isEmpty() ? "" : " (layer '" +
			where + "')") + " has no ONNX export yet; DeepClass exports its own architectures and " +
			"networks imported from ONNX.");
	}
}
