package io.deepclass.core.engine;

import java.util.ArrayList;
import java.util.List;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.VertexIndices;
import org.deeplearning4j.nn.graph.vertex.impl.LayerVertex;
import org.deeplearning4j.nn.layers.wrapper.BaseWrapperLayer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * How a {@link ComputationGraph} (an imported backbone, a transfer-learning network) trains and
 * predicts fast on this machine: {@link FastLayers} installed in its layer vertices, frozen ones
 * included, and convolutions fed by the input images skipping the input gradient {@code fit}
 * would discard. The graph stays plain DL4J (configuration, parameters, model files); the
 * counterpart of {@link FastSequential}.
 */
public final class FastGraph {

	private final ComputationGraph model;

	/** Convolutions reading the network input itself, whose input gradient training skips. */
	private final List<OneDnnLayers.Convolution> inputConvolutions;

	private FastGraph(final ComputationGraph model, final boolean cpuBackend) {
		this.model = model;
		// the fast layers read and write host memory and call oneDNN: the CPU backend's
		if (cpuBackend) {
			FastLayers.install(model);
			markSingleConsumers(model);
		}
		inputConvolutions = cpuBackend ? inputConvolutions(model) : List.of();
	}

	/**
	 * Tells the fast convolutions whose output goes to one vertex alone, which may then hand
	 * their output and take its gradient in oneDNN's blocked layout ({@link BlockedHandoff}).
	 */
	private static void markSingleConsumers(final ComputationGraph graph) {
		if (graph.getVertices() == null) return;
		for (final GraphVertex vertex : graph.getVertices()) {
			if (!(vertex instanceof LayerVertex layerVertex) || !layerVertex.hasLayer()) continue;
			Layer layer = layerVertex.getLayer();
			if (layer instanceof BaseWrapperLayer wrapper)
				layer = wrapper.getUnderlying();
			final boolean single = vertex.getOutputVertices() != null && vertex
				.getOutputVertices().length == 1 && !vertex.isOutputVertex();
			if (layer instanceof OneDnnLayers.Convolution conv) conv.singleConsumer = single;
			if (layer instanceof OneDnnDepthwise depthwise) depthwise.singleConsumer = single;
		}
	}

	/**
	 * Installs the fast layers in {@code model} on the CPU backend (again after a graph's layers
	 * changed, e.g. frozen: layers already installed stay), and returns the way to train and run
	 * it; on the CUDA backend the graph runs DL4J's own layers.
	 */
	public static FastGraph install(final ComputationGraph model) {
		return install(model, Nd4j.getEnvironment().isCPU());
	}

	/** As {@link #install(ComputationGraph)}, with the backend given (tests). */
	static FastGraph install(final ComputationGraph model, final boolean cpuBackend) {
		return new FastGraph(model, cpuBackend);
	}

	/**
	 * Loads oneDNN's JavaCPP library and engine now, as the first fast layer would (not when
	 * switched off, {@code -Ddeepclass.onednn=false}, nor off the CPU backend); true when it
	 * is there. Needs ND4J loaded; no other thread may call into JavaCPP meanwhile (a library
	 * loading beside such calls crashed the JVM).
	 */
	public static boolean loadOneDnn() {
		return OneDnn.available();
	}

	/**
	 * Frees the buffers this thread's fast layers keep between calls (oneDNN's blocked copies of
	 * inputs, outputs and weights; for a large network at a large size, hundreds of MB), for a
	 * thread that ends: they are native memory, which nothing else frees.
	 */
	public static void releaseThreadBuffers() {
		ThreadBuffers.release();
	}

	/** One optimisation step, as {@code model.fit(new DataSet(features, labels))}. */
	public void fit(final INDArray features, final INDArray labels) {
		// DL4J's fit discards the gradient at the input images: the first layers skip it
		for (final OneDnnLayers.Convolution conv : inputConvolutions)
			conv.inputGradientNeeded = false;
		try {
			model.fit(new DataSet(features, labels));
		}
		finally {
			for (final OneDnnLayers.Convolution conv : inputConvolutions)
				conv.inputGradientNeeded = true;
		}
	}

	/** Inference-mode output, as {@code model.outputSingle(false, features)}. */
	public INDArray output(final INDArray features) {
		return model.outputSingle(false, features);
	}

	/**
	 * The fast convolutions whose only input is a network input that feeds nothing else (DL4J adds
	 * up the gradients of an input read twice), without a preprocessor: the gradient they would
	 * pass on goes nowhere in training.
	 */
	static List<OneDnnLayers.Convolution> inputConvolutions(final ComputationGraph graph) {
		final List<OneDnnLayers.Convolution> found = new ArrayList<>();
		if (graph.getVertices() == null) return found;
		for (final GraphVertex vertex : graph.getVertices()) {
			if (!(vertex instanceof LayerVertex layerVertex) || !layerVertex.hasLayer() || !(layerVertex
				.getLayer() instanceof OneDnnLayers.Convolution conv) || layerVertex
					.getLayerPreProcessor() != null) continue;
			final VertexIndices[] inputs = vertex.getInputVertices();
			if (inputs == null || inputs.length != 1) continue;
			final GraphVertex input = graph.getVertices()[inputs[0].getVertexIndex()];
			if (input.isInputVertex() && input.getOutputVertices() != null && input
				.getOutputVertices().length == 1) found.add(conv);
		}
		return found;
	}
}
