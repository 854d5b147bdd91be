package io.deepclass.core.onnx;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.nd4j.linalg.api.ndarray.INDArray;

import io.deepclass.core.onnx.OnnxImporter.Context;

import onnx.OnnxMl;

/**
 * What an untrusted ONNX graph must satisfy before DL4J is asked to build or allocate anything:
 * a bounded number of nodes, each reading only values computed before it (no cycles, nothing
 * from nowhere), the inputs and weight shapes its operator needs, window attributes (kernels,
 * strides, dilations, pads) within sane ranges, and, once the DL4J configuration exists,
 * parameters that match the file's weights and activations that fit in memory.
 */
final class OnnxChecks {

	/** Most nodes: DenseNet-201 or EfficientNet-B7 exported without folding have a few thousand. */
	static final int MAX_NODES = 20_000;

	/** Largest kernel, stride, dilation or padding: backbones use up to 11 (AlexNet), pools 7-64. */
	static final long MAX_WINDOW = 1024;

	/** Largest input side and channel count: classifiers take 224-600 px, 1-4 channels. */
	static final long MAX_SIDE = 8192, MAX_CHANNELS = 1024;

	/**
	 * Most activation values of one image (all layers together, as a forward pass keeps them):
	 * 2^28 floats are 1 GiB; VGG-16 at 224 x 224 px makes 15 million.
	 */
	static final long MAX_ACTIVATIONS = 1L << 28;

	private static final int MAX_NAME = 80;

	private OnnxChecks() {}

	/** A name from the file as it may appear in a message: at most 80 characters. */
	static String name(final String name) {
		return name.length() <= MAX_NAME ? name : name.substring(0, MAX_NAME) + "...";
	}

	/** The declared (or requested) input size. */
	static void input(final String file, final long channels, final long height, final long width,
		final String fix)
	{
		if (channels > MAX_CHANNELS || height > MAX_SIDE || width > MAX_SIDE)
			throw new OnnxException.Unsupported("'" + file + "': its input is " + channels + " x " +
				height + " x " + width + "; DeepClass imports image networks with at most " +
				MAX_CHANNELS + " channels and " + MAX_SIDE + " x " + MAX_SIDE + " pixels: " + fix + ".");
	}

	/**
	 * Every node reads only the input, weights or values of earlier nodes (ONNX requires this
	 * order; a cycle cannot satisfy it), writes values no one else writes, and something
	 * computes the output.
	 */
	static void graph(final OnnxModel model, final String file) {
		final Set<String> known = new HashSet<>(model.tensors.keySet());
		known.add(model.input);
		final Map<String, OnnxMl.NodeProto> writer = new HashMap<>();
		for (final OnnxMl.NodeProto node : model.nodes) {
			if (node.getOutputCount() == 0 || node.getOutput(0).isEmpty()) throw new OnnxException
				.Invalid(at(file, node) + "has no output; the file is damaged: export it again.");
			for (final String out : node.getOutputList())
				if (!out.isEmpty() && (writer.putIfAbsent(out, node) != null || known.contains(out)))
					throw new OnnxException.Invalid(at(file, node) + "writes '" + name(out) + "', which " +
						"another node, the input or a weight already is; the file is damaged: export it again.");
		}
		for (final OnnxMl.NodeProto node : model.nodes) {
			for (final String in : node.getInputList())
				if (!in.isEmpty() && !known.contains(in)) throw new OnnxException.Invalid(at(file, node) +
					"reads '" + name(in) + "', " + (writer.containsKey(in) ? "which node '" + name(writer.get(
						in).getName()) + "' computes only later: the graph has a cycle or is not in the " +
						"order ONNX requires" : "which no node computes and which is neither the input nor a " +
							"weight") + "; the file is damaged: export it again.");
			known.addAll(node.getOutputList());
		}
		if (!known.contains(model.output)) throw new OnnxException.Invalid("'" + file + "': its " +
			"output '" + name(model.output) + "' is computed by no node; the file is damaged: export " +
			"it again.");
	}

	private static String at(final String file, final OnnxMl.NodeProto node) {
		return "'" + file + "': node '" + name(node.getName()) + "' (" + name(node.getOpType()) + ") ";
	}

	/** The inputs each operator cannot do without (their mappers read them unconditionally). */
	private static int minInputs(final String op, final long opset) {
		return switch (op) {
			case "BatchNormalization" -> 5;
			case "Conv", "Gemm", "MatMul", "Add", "Sub", "Mul", "Div" -> 2;
			case "Reshape" -> opset >= 5 ? 2 : 1;
			case "Pad" -> opset >= 11 ? 2 : 1;
			default -> 1;
		};
	}

	/** The node's inputs, weight shapes and attributes, before its mapper uses them. */
	static void node(final Context c) {
		final OnnxMl.NodeProto node = c.node;
		final String op = node.getOpType();
		final int needed = minInputs(op, c.model.opset);
		if (node.getInputCount() < needed || node.getInputList().subList(0, needed).contains(""))
			throw c.invalid("it has " + node.getInputCount() + " inputs; " + op + " needs " + needed);
		switch (op) {
			case "Conv" -> conv(c);
			case "MaxPool", "AveragePool" -> {
				if (c.ints("kernel_shape").length != 2) throw c.invalid("its kernel_shape is " + Arrays
					.toString(c.ints("kernel_shape")) + "; pooling needs a height and a width");
				window(c);
			}
			case "BatchNormalization" -> {
				final long channels = rank(c, 1, 1).length();
				for (int k = 2; k <= 4; k++)
					if (rank(c, k, 1).length() != channels) throw c.invalid("its scale, bias, mean and " +
						"variance differ in length");
			}
			case "Gemm", "MatMul" -> {
				if (!c.isWeight(1)) return; // its mapper names what is not mapped
				final INDArray w = rank(c, 1, 2);
				final INDArray b = op.equals("Gemm") ? c.weight(2) : null;
				final long out = c.integer("transB", 0) != 0 ? w.size(0) : w.size(1);
				if (b != null && b.length() != out) throw c.invalid("its bias has " + b.length() +
					" values for " + out + " outputs");
			}
			case "Pad" -> {
				final long[] pads = c.model.opset >= 11 ? c.weight(1).toLongVector() : c.ints("pads");
				for (final long p : pads)
					if (p < 0 || p > MAX_WINDOW) throw c.unsupported("padding by " + p + "; DeepClass " +
						"maps padding by 0 to " + MAX_WINDOW + " pixels (no cropping)");
			}
			case "Clip" -> {
				for (int k = 1; k < Math.min(3, node.getInputCount()); k++)
					if (!node.getInput(k).isEmpty() && c.weight(k).length() != 1) throw c.invalid("its " +
						"bound " + k + " has " + c.weight(k).length() + " values instead of one");
			}
			default -> {}
		}
	}

	private static void conv(final Context c) {
		final INDArray w = rank(c, 1, 4);
		final INDArray b = c.weight(2);
		if (b != null && (b.rank() != 1 || b.length() != w.size(0))) throw c.invalid("its bias has " +
			"shape " + Arrays.toString(b.shape()) + " for " + w.size(0) + " filters");
		final long[] kernel = c.ints("kernel_shape", w.size(2), w.size(3));
		if (kernel.length != 2 || kernel[0] != w.size(2) || kernel[1] != w.size(3))
			throw c.invalid("its kernel_shape " + Arrays.toString(kernel) + " is not its weight's " +
				w.size(2) + " x " + w.size(3));
		final long group = c.integer("group", 1);
		if (group < 1 || group > w.size(0) || w.size(0) % group != 0) throw c.invalid("it has " +
			"group=" + group + " for " + w.size(0) + " filters; group must divide the filter count");
		window(c);
	}

	/** Kernel, strides and dilations 1 to 1024 along height and width, pads 0 to 1024 on 4 sides. */
	private static void window(final Context c) {
		final String autoPad = c.text("auto_pad", "NOTSET");
		if (!autoPad.equals("NOTSET") && !autoPad.equals("VALID")) throw c.unsupported("auto_pad=" +
			name(autoPad) + "; DeepClass maps explicit pads (export with PyTorch, which writes them)");
		for (final String a : List.of("kernel_shape", "strides", "dilations", "pads")) {
			final long[] v = a.equals("pads") ? c.ints(a, 0, 0, 0, 0) : c.ints(a, 1, 1);
			final long min = a.equals("pads") ? 0 : 1;
			if (v.length != (a.equals("pads") ? 4 : 2)) throw c.invalid("its " + a + " has " + v.length +
				" values; an image operator has " + (a.equals("pads") ? 4 : 2));
			for (final long x : v)
				if (x < min || x > MAX_WINDOW) throw c.unsupported(a + " " + Arrays.toString(v) + "; " +
					"DeepClass maps " + a + " from " + min + " to " + MAX_WINDOW);
		}
	}

	/** The node's weight input {@code k}, which must have {@code rank} dimensions. */
	private static INDArray rank(final Context c, final int k, final int rank) {
		final INDArray w = c.weight(k);
		if (w.rank() != rank) throw c.invalid("its weight '" + name(c.node.getInput(k)) + "' has " +
			"shape " + Arrays.toString(w.shape()) + "; " + c.node.getOpType() + " takes " + rank +
			" dimensions there");
		return w;
	}

	/**
	 * Before DL4J allocates anything: each layer's parameter count is what the file holds for it
	 * (so a huge declared input cannot make a huge dense layer), and one image's activations fit.
	 */
	static void budget(final ComputationGraphConfiguration conf, final InputType input,
		final List<Context.Param> params, final String file)
	{
		final Map<String, Long> held = new HashMap<>();
		for (final Context.Param p : params)
			held.merge(p.layer(), p.value().length(), Long::sum);
		for (final Map.Entry<String, GraphVertex> v : conf.getVertices().entrySet()) {
			if (!(v.getValue() instanceof LayerVertex lv)) continue;
			final Layer layer = lv.getLayerConf().getLayer();
			final long needed = layer.initializer().numParams(layer);
			if (needed != held.getOrDefault(v.getKey(), 0L)) throw new OnnxException.Unsupported("'" +
				file + "': the weights of '" + name(v.getKey()) + "' have " + held.getOrDefault(v.getKey(),
					0L) + " values, DL4J's layer for its input " + needed + "; the input size or the " +
				"weights are wrong: export the network again.");
		}
		final Map<String, InputType> types = conf.getLayerActivationTypes(input);
		for (final Map.Entry<String, GraphVertex> v : conf.getVertices().entrySet()) {
			if (!(v.getValue() instanceof LayerVertex lv)) continue;
			Layer layer = lv.getLayerConf().getLayer();
			if (layer instanceof BaseWrapperLayer w) layer = w.getUnderlying();
			final InputType in = types.get(conf.getVertexInputs().get(v.getKey()).get(0));
			final long expected = in instanceof InputType.InputTypeConvolutional cnn &&
				!(layer instanceof DenseLayer) ? cnn.getChannels() : in.arrayElementsPerExample();
			if (layer instanceof FeedForwardLayer f && f.getNIn() != expected) throw new OnnxException
				.Unsupported("'" + file + "': the layer '" + name(v.getKey()) + "' takes " + f.getNIn() +
					" inputs but receives " + expected + "; its weights do not fit the graph: export the " +
					"network again.");
		}
		long total = 0;
		for (final InputType t : types.values())
			total += t.arrayElementsPerExample();
		if (total > MAX_ACTIVATIONS) throw new OnnxException.Unsupported("'" + file + "': one image " +
			"makes " + String.format(Locale.ROOT, "%,d", total) + " activation values (" +
			OnnxFile.mb(4 * total) + "), more than DeepClass's " + OnnxFile.mb(4 * MAX_ACTIVATIONS) +
			"; choose a smaller input size (input_size) or network.");
	}
}
