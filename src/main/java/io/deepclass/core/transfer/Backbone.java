package io.deepclass.core.transfer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.workspace.ND4JWorkspaceException;

import com.google.gson.JsonParser;

import io.deepclass.core.DeepClassException;
import io.deepclass.core.data.ArrayImageStore;
import io.deepclass.core.data.Batches;
import io.deepclass.core.data.Dataset;
import io.deepclass.core.data.ImageShape;
import io.deepclass.core.data.Normalization;
import io.deepclass.core.engine.FastGraph;
import io.deepclass.core.onnx.OnnxException;
import io.deepclass.core.onnx.OnnxImporter;

/**
 * A pretrained network without its classifier: the imported graph, the vertex it is cut at
 * (whose output are the features), the number of features, and the input it takes. The cut is
 * found at the last global pooling layer, else before the first fully connected layer, or named
 * by the user.
 */
public record Backbone(ComputationGraph graph, String cut, long features, ImageShape input,
	String name, Map<String, String> metadata)
{

	/** The model card DeepClass's ONNX exports carry (io.deepclass.core.export.OnnxExporter). */
	static final String DEEPCLASS_MODEL_CARD = "deepclass.model_card";

	/**
	 * For a network DeepClass exported: the normalisation it was trained with (its per-channel
	 * standardisation is inside the graph, so only the per-image step remains to be done before
	 * it); null for any other network, which gets ImageNet's standardisation.
	 */
	public Normalization exportedNormalization() {
		final String card = metadata == null ? null : metadata.get(DEEPCLASS_MODEL_CARD);
		if (card == null) return null;
		try {
			final var norm = JsonParser.parseString(card).getAsJsonObject().getAsJsonObject(
				"normalization");
			final Normalization.Method method = norm == null || !norm.has("method")
				? Normalization.Method.DATASET : Normalization.Method.parse(norm.get("method").getAsString());
			final float[] zero = new float[input.channels()], one = new float[input.channels()];
			Arrays.fill(one, 1);
			return new Normalization(method, zero, one, norm == null || !norm.has("lowPercentile") ? 0
				: norm.get("lowPercentile").getAsDouble(), norm == null || !norm.has("highPercentile") ? 0
					: norm.get("highPercentile").getAsDouble());
		}
		catch (final RuntimeException e) {
			throw new DeepClassException("'" + name + "' says it is a DeepClass export but its model " +
				"card is damaged (" + e.getMessage() + "); export it again.", e);
		}
	}

	/** Imports {@code onnx} and cuts it at {@code cutAt} (null or blank: found automatically). */
	public static Backbone load(final Path onnx, final String cutAt) throws IOException {
		return load(onnx, cutAt, 0);
	}

	/** As above, for square inputs of {@code size} pixels (0: the size the file declares). */
	public static Backbone load(final Path onnx, final String cutAt, final int size)
		throws IOException
	{
		final OnnxImporter.Imported imported;
		try {
			imported = OnnxImporter.importNetwork(onnx, size);
		}
		catch (final OnnxException.Unsupported e) {
			throw size > 0 ? new DeepClassException(e.getMessage() + " At input_size=" + size + " the " +
				"network may not fit together: use its own size (input_size=0).", e) : e;
		}
		final ComputationGraph graph = imported.graph();
		final ComputationGraphConfiguration conf = graph.getConfiguration();
		final String cut = cutAt == null || cutAt.isBlank() ? findCut(conf, onnx) : cutAt.trim();
		if (!conf.getVertices().containsKey(cut)) {
			// the last few (near the classifier, where one cuts): a file may have thousands
			final List<String> order = conf.getTopologicalOrderStr();
			final List<String> last = order.subList(Math.max(0, order.size() - 30), order.size());
			throw new DeepClassException("'" + onnx.getFileName() + "' has no node '" + cut + "' to cut " +
				"at; its " + (last.size() < order.size() ? "last " + last.size() + " of " + order.size() +
					" " : "") + "nodes are " + String.join(", ", last) + ".");
		}
		final ImageShape input = imported.input();
		final long features = outputType(conf, input, cut).arrayElementsPerExample();
		final String name = onnx.getFileName().toString().replaceFirst("\\.onnx$", "");
		FastGraph.install(graph); // before any thread reads it: installing replaces its layers
		return new Backbone(graph, cut, features, input, name, imported.metadata());
	}

	/**
	 * The features of a batch of images (N x C x H x W, as {@link #input}): the output of the cut
	 * vertex, in inference mode, on the imported graph itself (on its fast layers).
	 *
	 * <p>Computed by DL4J's {@code output} for that vertex, not by {@code feedForward}, for two
	 * reasons. Speed and memory: {@code feedForward} keeps every layer's activation in new arrays
	 * for every batch (resnet18 at 128 px, batch 32: 260-450 ms against 220-240 ms, and gigabytes
	 * of native memory between collections). Correctness: in {@code feedForward} an activation
	 * layer may overwrite its input in place while another vertex still reads it (SiLU as x *
	 * sigmoid(x) got sigmoid(x)^2; the excite fixture's features were off by 0.24). DL4J's
	 * {@code output} for a vertex inside the graph throws a workspace exception for some vertices;
	 * {@code feedForward} then gives the features.
	 *
	 * <p>One thread at a time: DL4J's graph keeps a call's inputs in its layers. Another thread
	 * may read the graph's configuration and weights meanwhile, as {@link TransferTraining} does.
	 */
	public INDArray features(final INDArray images) {
		try {
			return graph.output(List.of(cut), false, new INDArray[] { images }, null)[0];
		}
		catch (final ND4JWorkspaceException e) {
			// DL4J left a workspace open: close them all, take the slower path
			Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
		}
		return graph.feedForward(images, false).get(cut);
	}

	/**
	 * The backbone's features of every image of {@code images}, in batches of {@code batchSize}
	 * (the next batch gathered while this one runs, {@link Batches#probabilities}), as one array
	 * of N x C x H x W values with their C x H x W shape; null when {@code cancel} said so first.
	 * {@code done} hears how many images are done after each batch. The one loop for the
	 * features strategy ({@link TransferTraining}) and the cells panel.
	 */
	public Features featuresOf(final Dataset images, final Normalization normalization,
		final int batchSize, final IntConsumer done, final BooleanSupplier cancel)
	{
		final ImageShape[] shape = { null };
		final float[][] rows = Batches.probabilities(batch -> {
			final INDArray f = features(batch.dup()); // DL4J keeps its input: not Batches' own array
			if (shape[0] == null) shape[0] = f.rank() == 4 ? new ImageShape((int) f.size(1), (int) f
				.size(2), (int) f.size(3)) : new ImageShape((int) f.size(1), 1, 1);
			return f.reshape(f.size(0), f.length() / f.size(0));
		}, images, normalization, batchSize, cancel, done);
		if (rows.length > 0 && rows[rows.length - 1] == null) return null;
		final ImageShape featureShape = shape[0] != null ? shape[0] : new ImageShape((int) features,
			1, 1);
		final int d = featureShape.size();
		final float[] values = new float[rows.length * d];
		for (int i = 0; i < rows.length; i++)
			System.arraycopy(rows[i], 0, values, i * d, d);
		return new Features(values, featureShape);
	}

	/** The features of N images: N x {@code shape} values, image after image. */
	public record Features(float[] values, ImageShape shape) {

		/** As a dataset with the images' labels, class names and sources. */
		public Dataset dataset(final Dataset images) {
			final String[] sources = new String[images.size()];
			for (int i = 0; i < sources.length; i++)
				sources[i] = images.source(i);
			return new Dataset(shape, images.classNames(), new ArrayImageStore(values, shape.size()),
				images.labels().clone(), sources);
		}
	}

	/**
	 * What vertex {@code name} of {@code conf} puts out for images of {@code input}, from the
	 * configuration alone: no forward pass, whose first run costs a fifth of a second. On a copy:
	 * DL4J's answer sets layers' input sizes and preprocessors on the way.
	 */
	static InputType outputType(final ComputationGraphConfiguration conf, final ImageShape input,
		final String name)
	{
		return conf.clone().getLayerActivationTypes(InputType.convolutional(input.height(), input
			.width(), input.channels())).get(name);
	}

	/** The last global pooling layer, else the input of the first fully connected layer. */
	static String findCut(final ComputationGraphConfiguration conf, final Path file) {
		final List<String> order = conf.getTopologicalOrderStr();
		String pooling = null;
		for (final String name : order)
			if (layer(conf, name) instanceof GlobalPoolingLayer) pooling = name;
		if (pooling != null) return pooling;
		final Map<String, List<String>> inputs = conf.getVertexInputs();
		for (final String name : order)
			if (layer(conf, name) instanceof DenseLayer) return inputs.get(name).get(0);
		throw new DeepClassException("'" + file.getFileName() + "' has neither a global pooling nor a " +
			"fully connected layer to cut its classifier off at; name the node to cut at (cut_at).");
	}

	private static Object layer(final ComputationGraphConfiguration conf, final String name) {
		final GraphVertex vertex = conf.getVertices().get(name);
		return vertex instanceof LayerVertex lv ? lv.getLayerConf().getLayer() : null;
	}
}
