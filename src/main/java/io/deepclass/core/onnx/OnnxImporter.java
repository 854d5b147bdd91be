package io.deepclass.core.onnx;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

import io.deepclass.core.data.ImageShape;

import onnx.OnnxMl;

/**
 * Turns an ONNX classification network into a DL4J {@link ComputationGraph} with the same
 * weights, so that DeepClass trains, saves, classifies with and looks inside it like its own
 * networks. One mapper per ONNX operator ({@link OnnxOperators}) adds the DL4J layer or vertex;
 * weights come from the file's initializers and are copied in after the graph is built. An
 * operator or attribute without a mapper stops the import with a message that names it, the
 * node, and what is supported.
 */
public final class OnnxImporter {

	/** Unmapped operators named in one message. */
	private static final int MAX_LISTED = 20;

	private OnnxImporter() {}

	/** An imported network and the image input it takes (channels, height, width). */
	/**
	 * An imported network, the input shape it takes, and the file's metadata (DeepClass's own
	 * exports state their preprocessing and classes there).
	 */
	public record Imported(ComputationGraph graph, ImageShape input,
		Map<String, String> metadata)
	{}

	/** The network in {@code file}, initialised with its weights, in inference mode. */
	public static ComputationGraph importGraph(final Path file) throws IOException {
		return importNetwork(file).graph();
	}

	/** As {@link #importGraph}, with the input shape the file declares. */
	public static Imported importNetwork(final Path file) throws IOException {
		return importNetwork(file, 0);
	}

	/**
	 * As {@link #importNetwork(Path)}, for square inputs of {@code size} pixels instead of the
	 * declared size (0: as declared): fully convolutional backbones with global pooling take any
	 * size, and smaller ones are much faster on a CPU.
	 */
	public static Imported importNetwork(final Path file, final int size) throws IOException {
		final OnnxModel model = OnnxModel.read(file).withSize(size);
		final Context context = new Context(model, file.getFileName().toString());
		// every operator without a mapper at once, before any other message about the graph
		final Set<String> unknown = new LinkedHashSet<>();
		for (final OnnxMl.NodeProto node : model.nodes)
			if (!OnnxOperators.MAPPERS.containsKey(node.getOpType())) unknown.add(OnnxChecks.name(node
				.getOpType()) + " (node '" + OnnxChecks.name(node.getName()) + "')");
		if (!unknown.isEmpty())
			throw new OnnxException.Unsupported("'" + context.file + "' uses ONNX operators DeepClass " +
				"does not import: " + String.join(", ", unknown.stream().limit(MAX_LISTED).toList()) + (
					unknown.size() > MAX_LISTED ? " and " + (unknown.size() - MAX_LISTED) + " more" : "") +
				". Supported: " + String.join(", ", new TreeSet<>(OnnxOperators.MAPPERS.keySet())) + ".");
		OnnxChecks.graph(model, context.file);
		for (final OnnxMl.NodeProto node : model.nodes) {
			context.node = node;
			try {
				OnnxChecks.node(context);
				OnnxOperators.MAPPERS.get(node.getOpType()).map(context);
				if (OnnxOperators.nonNegative(context)) context.nonNegative.add(node.getOutput(0));
			}
			catch (final OnnxException e) {
				throw e;
			}
			catch (final RuntimeException e) { // what the checks missed: still one line, no trace
				throw context.invalid("cannot be mapped (" + e + ")");
			}
		}
		final String out = context.producer(model.output);
		context.builder.setOutputs(out);
		final InputType input = InputType.convolutional(model.height, model.width, model.channels);
		context.builder.setInputTypes(input);
		ComputationGraphConfiguration conf = build(context);
		// a Flatten at the very end (SqueezeNet's N x classes x 1 x 1): DL4J flattens only before a
		// dense layer, so it is made explicit for the output to be N x classes as declared
		final InputType last = conf.getLayerActivationTypes(input).get(out);
		if (model.outputRank == 2 && last instanceof InputType.InputTypeConvolutional c) {
			String flat = out + "_flat";
			while (!context.names.add(flat))
				flat += "_";
			context.builder.addVertex(flat, new PreprocessorVertex(
				new CnnToFeedForwardPreProcessor(c.getHeight(), c
					.getWidth(), c.getChannels())), out);
			context.builder.setOutputs(flat);
			conf = build(context);
		}
		OnnxChecks.budget(conf, input, context.params, context.file);
		final ComputationGraph graph = new ComputationGraph(conf);
		graph.init();
		for (final Context.Param p : context.params) {
			final INDArray target = graph.getLayer(p.layer()).getParam(p.key());
			if (target.length() != p.value().length())
				throw new OnnxException.Unsupported("'" + context.file + "': the weights of '" + p
					.layer() + "' (" + p.key() + ") have " + p.value().length() + " values, DL4J's layer " +
					target.length() + ".");
			target.assign(p.value().reshape('c', target.shape()));
		}
		return new Imported(graph, new ImageShape((int) model.channels,
			(int) model.height, (int) model.width), Map.copyOf(model.metadata));
	}

	private static ComputationGraphConfiguration build(final Context context) {
		try {
			return context.builder.build();
		}
		catch (final RuntimeException e) {
			throw new OnnxException.Unsupported("'" + context.file + "' cannot be built as a DL4J " +
				"graph: " + e.getMessage());
		}
	}

	/** What the mappers see and add to: the node, its attributes and inputs, the graph so far. */
	static final class Context {

		record Param(String layer, String key, INDArray value) {}

		final OnnxModel model;

		final String file;

		final GraphBuilder builder = new NeuralNetConfiguration.Builder().graphBuilder();

		final List<Param> params = new ArrayList<>();

		/** ONNX tensor name -> the DL4J vertex that holds it. */
		private final Map<String, String> vertices = new HashMap<>();

		OnnxMl.NodeProto node;

		/** DL4J names given, and the next number to try for each base name. */
		private final Set<String> names = new HashSet<>(Set.of("input"));

		private final Map<String, Integer> taken = new HashMap<>();

		/** Longest DL4J name taken from a node's name. */
		private static final int MAX_NAME = 200;

		/** ONNX tensors that are never negative (for ceil-mode max-pooling). */
		final Set<String> nonNegative = new HashSet<>();

		Context(final OnnxModel model, final String file) {
			this.model = model;
			this.file = file;
			builder.addInputs("input");
			vertices.put(model.input, "input");
		}

		/** The DL4J vertex for the node's i-th input. */
		String input(final int i) {
			return producer(node.getInput(i));
		}

		String producer(final String tensor) {
			final String vertex = vertices.get(tensor);
			if (vertex == null) throw unsupported("its input '" + OnnxChecks.name(tensor) + "' is a " +
				"constant or comes from nowhere; DeepClass maps only graph tensors here");
			return vertex;
		}

		/** A weight given as the node's i-th input, or null when the input is absent. */
		INDArray weight(final int i) {
			if (node.getInputCount() <= i || node.getInput(i).isEmpty()) return null;
			final INDArray w = model.tensors.get(node.getInput(i));
			if (w == null) throw unsupported("its input " + i + " ('" + OnnxChecks.name(node.getInput(
				i)) + "') is computed, not a stored weight");
			return w;
		}

		boolean isWeight(final int i) {
			return model.tensors.containsKey(node.getInput(i));
		}

		/** Adds a layer named after the node's output, fed by the given vertices. */
		String layer(final Layer layer, final String... inputs) {
			final String name = uniqueName("");
			builder.addLayer(name, layer, inputs);
			vertices.put(node.getOutput(0), name);
			return name;
		}

		String vertex(final GraphVertex vertex, final String... inputs) {
			final String name = uniqueName("");
			builder.addVertex(name, vertex, inputs);
			vertices.put(node.getOutput(0), name);
			return name;
		}

		/** A layer placed before the node's own (padding): its own name. */
		String extra(final String suffix, final Layer layer, final String input) {
			final String name = uniqueName("_" + suffix);
			builder.addLayer(name, layer, input);
			return name;
		}

		/** A vertex placed before the node's own (a slice of its input): its own name. */
		String extraVertex(final String suffix, final GraphVertex vertex, final String... inputs) {
			final String name = uniqueName("_" + suffix);
			builder.addVertex(name, vertex, inputs);
			return name;
		}

		/** The node's output is its first input (Flatten, Identity, Dropout at inference). */
		void alias() {
			vertices.put(node.getOutput(0), input(0));
		}

		void param(final String layer, final String key, final INDArray value) {
			params.add(new Param(layer, key, value));
		}

		/**
		 * A DL4J name from the node's (or, unnamed, its operator and output), numbered when taken:
		 * a set and a counter per name keep this constant time when thousands of nodes share one.
		 */
		private String uniqueName(final String suffix) {
			final String own = node.getName().isEmpty() ? node.getOpType() + "_" + node.getOutput(0)
				: node.getName();
			final String base = own.substring(0, Math.min(own.length(), MAX_NAME)).replaceAll(
				"[^A-Za-z0-9_.-]", "_") + suffix;
			String name = base;
			for (int k = taken.getOrDefault(base, 2); !names.add(name); k++) {
				name = base + "_" + k;
				taken.put(base, k + 1);
			}
			return name;
		}

		long[] ints(final String attribute, final long... fallback) {
			for (final OnnxMl.AttributeProto a : node.getAttributeList())
				if (a.getName().equals(attribute)) return a.getIntsList().stream().mapToLong(
					Long::longValue).toArray();
			return fallback;
		}

		long integer(final String attribute, final long fallback) {
			for (final OnnxMl.AttributeProto a : node.getAttributeList())
				if (a.getName().equals(attribute)) return a.getI();
			return fallback;
		}

		double real(final String attribute, final double fallback) {
			for (final OnnxMl.AttributeProto a : node.getAttributeList())
				if (a.getName().equals(attribute)) return a.getF();
			return fallback;
		}

		String text(final String attribute, final String fallback) {
			for (final OnnxMl.AttributeProto a : node.getAttributeList())
				if (a.getName().equals(attribute)) return a.getS().toStringUtf8();
			return fallback;
		}

		OnnxException.Unsupported unsupported(final String what) {
			return new OnnxException.Unsupported(where() + what + ".");
		}

		/** A broken node: the file is damaged (or made so). */
		OnnxException.Invalid invalid(final String what) {
			return new OnnxException.Invalid(where() + what + "; the file is damaged: export it again.");
		}

		private String where() {
			return "'" + file + "': node '" + OnnxChecks.name(node.getName()) + "' (" + OnnxChecks.name(
				node.getOpType()) + "): ";
		}
	}
}
