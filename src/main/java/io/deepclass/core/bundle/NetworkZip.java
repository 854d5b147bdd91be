package io.deepclass.core.bundle;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import io.deepclass.core.data.ImageShape;
import io.deepclass.core.model.Network;

/**
 * Writes and reads the network of a model file: a DL4J network zip ({@code network.zip}), with
 * the entries DL4J's {@code ModelSerializer} writes, so DL4J restores it too. Written here, not
 * by {@code ModelSerializer}, which deflates the parameters: for a ResNet-18 backbone (45 MB of
 * floats) that took 1.5 s of a 2.7 s save and made the file 8 % smaller. Not read back with
 * {@code ModelSerializer}: its restore methods read any {@code preprocessor.bin} with Java
 * deserialisation, hold every entry in memory, and allocate what the array headers declare. Here
 * only the entries DeepClass writes are read, the configuration is checked before DL4J's Jackson
 * sees it ({@link ConfigurationJson}), the arrays are read with their sizes checked
 * ({@link ArrayEntry}), and the network's activations for one image are counted from the
 * configuration before it runs.
 */
final class NetworkZip {

	static final String CONFIGURATION = "configuration.json";

	static final String COEFFICIENTS = "coefficients.bin";

	static final String UPDATER_STATE = "updaterState.bin";

	/** What {@code ModelSerializer.writeModel(network, out, true)} writes for DeepClass's networks. */
	static final List<String> ENTRIES = List.of(CONFIGURATION, COEFFICIENTS, UPDATER_STATE);

	/**
	 * The most activation values one image may make, all layers together: 1 GB of floats, about
	 * 15 times what VGG-16 makes for a 224 x 224 image.
	 */
	static final long MAX_ACTIVATIONS = 1L << 28;

	private NetworkZip() {}

	/**
	 * Writes {@code network} as {@code ModelSerializer.writeModel(network, out, true)} does (its
	 * configuration, parameters and optimiser state) but with the arrays stored uncompressed.
	 * Closes {@code out}.
	 */
	static void write(final Network network, final OutputStream out) throws IOException {
		final String json;
		if (network.model() instanceof MultiLayerNetwork sequential) json = sequential
			.getLayerWiseConfigurations().toJson();
		else if (network.model() instanceof ComputationGraph graph) json = graph.getConfiguration()
			.toJson();
		else throw new IllegalArgumentException("unsupported network " + network.kind());
		try (ZipOutputStream zip = new ZipOutputStream(out)) {
			zip.putNextEntry(new ZipEntry(CONFIGURATION));
			zip.write(json.getBytes(StandardCharsets.UTF_8));
			zip.setLevel(Deflater.NO_COMPRESSION);
			writeArray(zip, COEFFICIENTS, network.params());
			final INDArray updaterState = network.updaterState();
			if (updaterState != null && updaterState.length() > 0) writeArray(zip, UPDATER_STATE,
				updaterState);
		}
	}

	private static void writeArray(final ZipOutputStream zip, final String name,
		final INDArray array) throws IOException
	{
		zip.putNextEntry(new ZipEntry(name));
		final DataOutputStream data = new DataOutputStream(new BufferedOutputStream(zip, 1 << 16));
		Nd4j.write(array, data);
		data.flush();
	}

	/**
	 * The network in the zip file {@code zipFile}, whose entries' sizes and checksums were
	 * checked.
	 *
	 * @param modelFile the model file, for messages
	 * @throws ModelFormatException when the zip has an entry DeepClass never writes
	 * @throws IllegalArgumentException saying what is wrong with the network otherwise
	 */
	static Network read(final Path zipFile, final ModelInfo info, final Path modelFile)
		throws IOException
	{
		try (ZipFile zip = new ZipFile(zipFile.toFile())) {
			final Set<String> names = new HashSet<>();
			for (final ZipEntry e : Collections.list(zip.entries()))
				if (!ENTRIES.contains(e.getName()) || !names.add(e.getName()))
					throw ModelFiles.foreignEntry(modelFile, ModelFiles.NETWORK_ENTRY + "/" + e.getName());
			final String json = configuration(zip);
			ConfigurationJson.check(json);
			final INDArray params = array(zip, COEFFICIENTS, true);
			final INDArray updaterState = array(zip, UPDATER_STATE, false);
			final InputType input = inputType(info.inputShape());
			return switch (info.networkKind()) {
				case "MultiLayerNetwork" -> sequential(json, params, updaterState, input);
				case "ComputationGraph" -> graph(json, params, updaterState, input);
				default -> throw new IllegalArgumentException("its network kind '" + ConfigurationJson
					.printable(info.networkKind()) + "' is unknown");
			};
		}
	}

	private static String configuration(final ZipFile zip) throws IOException {
		final ZipEntry entry = zip.getEntry(CONFIGURATION);
		if (entry == null) throw new IllegalArgumentException("its network has no configuration");
		final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (InputStream in = zip.getInputStream(entry)) {
			final byte[] buffer = new byte[64 << 10];
			for (int n; (n = in.read(buffer)) >= 0;) {
				if (bytes.size() + n > ConfigurationJson.MAX_BYTES) throw new IllegalArgumentException(
					"its network configuration is larger than DeepClass reads (" +
						(ConfigurationJson.MAX_BYTES >> 20) + " MB)");
				bytes.write(buffer, 0, n);
			}
		}
		return bytes.toString(StandardCharsets.UTF_8);
	}

	private static INDArray array(final ZipFile zip, final String name, final boolean required)
		throws IOException
	{
		final ZipEntry entry = zip.getEntry(name);
		if (entry == null) {
			if (required) throw new IllegalArgumentException("its network has no parameters");
			return null;
		}
		try (InputStream in = zip.getInputStream(entry)) {
			// the size was measured by unpacking the entry before, so it is the real one
			return ArrayEntry.read(new BufferedInputStream(in, 1 << 16), entry.getSize(), name);
		}
	}

	private static InputType inputType(final ImageShape shape) {
		return InputType.convolutional(shape.height(), shape.width(), shape.channels());
	}

	private static Network sequential(final String json, final INDArray params,
		final INDArray updaterState, final InputType input)
	{
		final MultiLayerConfiguration conf = configuration(json, "confs", "MultiLayerNetwork",
			() -> MultiLayerConfiguration.fromJson(json));
		checkActivations(activations(() -> layerOutputs(conf, input)));
		conf.setDataType(params.dataType());
		final MultiLayerNetwork network = new MultiLayerNetwork(conf);
		fit(() -> network.init(params, false), "parameters");
		if (updaterState != null) fit(() -> network.getUpdater().setStateViewArray(network,
			updaterState, false), "optimiser state");
		return Network.of(network);
	}

	private static Network graph(final String json, final INDArray params,
		final INDArray updaterState, final InputType input)
	{
		final ComputationGraphConfiguration conf = configuration(json, "vertices",
			"ComputationGraph", () -> ComputationGraphConfiguration.fromJson(json));
		// on a copy: DL4J works the shapes out as it builds a graph, adding reshapes where needed
		checkActivations(activations(() -> conf.clone().getLayerActivationTypes(true, false, input)
			.values()));
		conf.setDataType(params.dataType());
		final ComputationGraph network = new ComputationGraph(conf);
		fit(() -> network.init(params, false), "parameters");
		if (updaterState != null) fit(() -> network.getUpdater().setStateViewArray(updaterState),
			"optimiser state");
		return Network.of(network);
	}

	/** Runs {@code step}, which gives the network its {@code what} (DL4J checks the lengths). */
	private static void fit(final Runnable step, final String what) {
		try {
			step.run();
		}
		catch (final RuntimeException e) {
			throw new IllegalArgumentException("its " + what + " do not fit its configuration (" +
				ModelFiles.firstLine(e.getMessage()) + ")", e);
		}
	}

	/**
	 * The configuration {@code parse} reads, which must have the field {@code key} that
	 * configurations of {@code kind} have (the other kind's reader fails on null fields).
	 */
	/**
	 * Each layer's output for {@code input}, as {@code getLayerActivationTypes} works them out,
	 * checking that every fully connected layer takes the values the layer before it gives: a
	 * model description declaring another input than the network takes is refused here, before
	 * a forward pass of the wrong size runs.
	 */
	private static List<InputType> layerOutputs(final MultiLayerConfiguration conf,
		final InputType input)
	{
		final List<InputType> outputs = new ArrayList<>();
		InputType type = input;
		for (int i = 0; i < conf.getConfs().size(); i++) {
			final InputPreProcessor pre = conf.getInputPreProcess(i);
			if (pre != null) type = pre.getOutputType(type);
			final Layer layer = conf.getConf(i).getLayer();
			// the layers with weights of nIn x nOut (dropout and BatchNorm extend FeedForwardLayer too)
			if ((layer instanceof DenseLayer || layer instanceof BaseOutputLayer) && type
				.getType() == InputType.Type.FF && ((FeedForwardLayer) layer).getNIn() != type
					.arrayElementsPerExample()) throw new IllegalArgumentException(
					"its network's layer " + i + " takes " + ((FeedForwardLayer) layer).getNIn() + " values, but the input its " +
						"model description declares gives it " + type.arrayElementsPerExample());
			type = layer.getOutputType(i, type);
			outputs.add(type);
			checkActivations(outputs); // as they grow: before a later layer's check reads them
		}
		return outputs;
	}

	private static <T> T configuration(final String json, final String key, final String kind,
		final Supplier<T> parse)
	{
		if (!json.contains("\"" + key + "\"")) throw new IllegalArgumentException("its network " +
			"is not a " + kind + " as its model description says");
		try {
			return parse.get();
		}
		catch (final RuntimeException | StackOverflowError e) {
			throw new IllegalArgumentException("its network configuration cannot be read (" +
				ModelFiles.firstLine(e.getMessage()) + ")", e);
		}
	}

	private static Collection<InputType> activations(
		final Supplier<Collection<InputType>> types)
	{
		try {
			return types.get();
		}
		catch (final ArrayEntry.TooLarge e) {
			throw e;
		}
		catch (final RuntimeException e) {
			throw new IllegalArgumentException("its network does not take the input its model " +
				"description declares (" + ModelFiles.firstLine(e.getMessage()) + ")", e);
		}
	}

	private static void checkActivations(final Collection<InputType> types) {
		long values = 0;
		for (final InputType t : types) {
			final long n = t.arrayElementsPerExample();
			if (n < 0 || n > MAX_ACTIVATIONS || (values += n) > MAX_ACTIVATIONS)
				throw new ArrayEntry.TooLarge("its network would make more than " + (MAX_ACTIVATIONS *
					Float.BYTES >> 30) + " GB of activations for one image, more than any classifier " +
					"DeepClass trains");
		}
	}
}
