package io.deepclass.core.export;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.FrozenVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.graph.SubsetVertex;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import com.google.gson.Gson;

import io.deepclass.core.DeepClassException;
import io.deepclass.core.TemporaryFiles;
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

	private final OnnxLayers layers = new OnnxLayers(w);

	private OnnxExporter() {}

	/** The model as an ONNX model proto. */
	public static OnnxMl.ModelProto export(final ModelBundle bundle) {
		return new OnnxExporter().model(bundle);
	}

	/** Writes the model to {@code file} (through a temporary file: no partial file on failure). */
	public static void write(final ModelBundle bundle, final Path file) throws IOException {
		final OnnxMl.ModelProto model = export(bundle);
		TemporaryFiles.writeAtomically(file, ".part", model::writeTo);
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
			case PERCENTILE -> String.format(Locale.ROOT, "each image and channel scaled " +
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
			.setGraph(w.graph).addMetadataProps(meta(CLASSES, new Gson().toJson(info
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
			x = layers.layer(network.getLayerWiseConfigurations().getConf(i).getLayer(), network
				.getLayer(i).paramTable(), "layer" + i, x);
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
			final String[] in = conf.getVertexInputs().get(name).stream().map(tensors::get).toArray(
				String[]::new);
			tensors.put(name, vertex(conf.getVertices().get(name), name, in, graph));
		}
		return tensors.get(conf.getNetworkOutputs().get(0));
	}

	/** Writes one graph vertex's nodes; returns the name of its output. */
	@FunctionalInterface
	private interface VertexMapper<V extends GraphVertex> {

		String map(OnnxExporter out, V vertex, String name, String[] in, ComputationGraph graph);
	}

	/** The mapper of each vertex class, by exact class. */
	private static final Map<Class<?>, VertexMapper<?>> VERTICES = Map.ofEntries( //
		vertex(LayerVertex.class, (o, v, n, in, g) -> o.layers.layer(v.getLayerConf().getLayer(), g
			.getLayer(n).paramTable(), n, o.preprocessor(v.getPreProcessor(), in[0]))), //
		vertex(ElementWiseVertex.class, (o, v, n, in, g) -> o.elementWise(v.getOp(), n, in)), //
		vertex(MergeVertex.class, (o, v, n, in, g) -> o.w.node("Concat", n,
			new OnnxMl.AttributeProto[] { OnnxWriter.integer("axis", 1) }, in)), //
		vertex(SubsetVertex.class, OnnxExporter::slice), //
		vertex(OnnxExtras.ChannelSlice.class, OnnxExporter::slice), //
		vertex(OnnxExtras.BroadcastProduct.class, (o, v, n, in, g) -> o.w.node("Mul", n, in)), //
		vertex(PreprocessorVertex.class, (o, v, n, in, g) -> o.preprocessor(v.getPreProcessor(),
			in[0])), //
		// a features model's frozen sums and merges
		vertex(FrozenVertex.class, (o, v, n, in, g) -> o.vertex(v.getUnderlying(), n, in, g)));

	private static <V extends GraphVertex> Map.Entry<Class<?>, VertexMapper<?>> vertex(
		final Class<V> type, final VertexMapper<V> mapper)
	{
		return Map.entry(type, mapper);
	}

	@SuppressWarnings("unchecked")
	private String vertex(final GraphVertex vertex, final String name, final String[] in,
		final ComputationGraph graph)
	{
		final VertexMapper<GraphVertex> mapper = (VertexMapper<GraphVertex>) VERTICES.get(vertex
			.getClass());
		if (mapper == null) throw OnnxLayers.unsupported(vertex.getClass().getSimpleName(), name);
		return mapper.map(this, vertex, name, in, graph);
	}

	private String slice(final SubsetVertex s, final String name, final String[] in,
		final ComputationGraph graph)
	{
		return w.node("Slice", name, in[0], w.longs(name + "_starts", s.getFrom()), w.longs(name +
			"_ends", s.getTo() + 1), w.longs(name + "_axes", 1));
	}

	/** ONNX's Add, Mul and Sub take two inputs: more are summed (Sum) or multiplied in a chain. */
	private String elementWise(final ElementWiseVertex.Op op, final String name, final String[] in) {
		if (op == ElementWiseVertex.Op.Add) return w.node(in.length == 2 ? "Add" : "Sum", name, in);
		if (op == ElementWiseVertex.Op.Subtract && in.length == 2) return w.node("Sub", name, in);
		if (op != ElementWiseVertex.Op.Product) throw OnnxLayers.unsupported("element-wise " + op + " of " +
			in.length + " inputs", name);
		String product = in[0];
		for (int i = 1; i < in.length; i++)
			product = w.node("Mul", i == in.length - 1 ? name : name + "_" + i, product, in[i]);
		return product;
	}

	private String preprocessor(final InputPreProcessor p, final String x) {
		if (p == null) return x;
		if (p instanceof CnnToFeedForwardPreProcessor c && c.getFormat() == CNN2DFormat.NHWC)
			throw OnnxLayers.unsupported("channels-last (NHWC) flattening", "");
		if (p instanceof CnnToFeedForwardPreProcessor) return w.node("Flatten", "flatten",
			new OnnxMl.AttributeProto[] { OnnxWriter.integer("axis", 1) }, x);
		throw OnnxLayers.unsupported("input preprocessor " + p.getClass().getSimpleName(), "");
	}
}
