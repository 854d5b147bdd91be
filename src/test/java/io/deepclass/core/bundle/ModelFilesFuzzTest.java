package io.deepclass.core.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static io.deepclass.core.bundle.ZipBytes.bytes;
import static io.deepclass.core.bundle.ZipBytes.entry;
import static io.deepclass.core.bundle.ZipBytes.ordered;
import static io.deepclass.core.bundle.ZipBytes.replace;
import static io.deepclass.core.bundle.ZipBytes.zip;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;

import io.deepclass.core.TestData;
import io.deepclass.core.data.Dataset;
import io.deepclass.core.model.Network;
import io.deepclass.core.predict.Classifier;
import io.deepclass.core.train.TrainingSettings;

/**
 * Damaged and hostile model files, made from a good one with a fixed seed: flipped bytes,
 * truncations, broken and hostile JSON, missing, extra and oversized entries, foreign networks.
 * Each must load within three seconds as the intact model (or a consistent other one), or fail with
 * a {@link ModelFormatException} or {@link IOException} whose message names the file and says
 * what to do; never a hang, an OutOfMemoryError or another exception.
 */
class ModelFilesFuzzTest {

	@TempDir
	Path dir;

	private static final Dataset TRAIN = TestData.stripes(80, 12, 5);

	/** Within seconds, also on a loaded 2-core machine (the slowest case takes about 0.6 s alone). */
	private static final Duration LIMIT = Duration.ofSeconds(3);

	private static final List<String> FIXES = List.of("Train the model again or use another copy",
		"Choose a model saved by", "Update DeepClass", "train the model again",
		"Give Fiji more memory");

	private static ModelBundle model;

	private static byte[] good, json, network, otherShapeNetwork, graphNetwork, threeClassGraph;

	private static float[][] expected;

	@BeforeAll
	static void makeModels() throws IOException {
		final TrainingSettings s = TrainingSettings.defaults().withEpochs(1).withBatchSize(16);
		model = TestData.model("cnn:4,dense=8", TRAIN, null, s);
		expected = new Classifier(model).classify(TRAIN).probabilities();
		// the same bytes on every run: no dates, entries in a fixed order
		final byte[] saved = bytes(model);
		final JsonObject info = JsonParser.parseString(new String(entry(saved,
			ModelFiles.INFO_ENTRY), StandardCharsets.UTF_8)).getAsJsonObject();
		info.addProperty("created", "2024-05-18T00:00:00Z");
		json = info.toString().getBytes(StandardCharsets.UTF_8);
		network = replace(entry(saved, ModelFiles.NETWORK_ENTRY), "no entry has this name", null);
		good = withNetwork(network);
		otherShapeNetwork = entry(bytes(TestData.model("linear", TestData.stripes(20, 16, 5), null,
			s)), ModelFiles.NETWORK_ENTRY);
		graphNetwork = entry(bytes(new ModelBundle(Network.of(graph(2)), model.info())),
			ModelFiles.NETWORK_ENTRY);
		threeClassGraph = entry(bytes(new ModelBundle(Network.of(graph(3)), model.info())),
			ModelFiles.NETWORK_ENTRY);
	}

	@Test
	void damagedAndHostileFilesLoadCorrectlyOrAreExplainedWithinASecond() throws Exception {
		final Map<String, byte[]> cases = new LinkedHashMap<>();
		final Random random = new Random(20240518);
		flippedBytes(random, cases);
		truncations(random, cases);
		brokenJson(random, cases);
		hostileJson(cases);
		zipStructure(random, cases);
		foreignNetworks(cases);

		final Path intact = Files.write(dir.resolve("intact.zip"), good);
		ModelFiles.load(intact); // class loading and ND4J's start are not what the limit is about
		assertTrue(DeserializationWatch.installed(), "the tests run with " +
			"-Djdk.serialFilterFactory=" + DeserializationWatch.class.getName() + " (see the pom)");
		final Outcomes outcomes = new Outcomes();
		final List<String> deserialised = DeserializationWatch.during(() -> {
			for (final Map.Entry<String, byte[]> c : cases.entrySet())
				outcomes.add(c.getKey(), Files.write(dir.resolve(c.getKey() + ".zip"), c.getValue()));
			return null;
		});
		System.out.println("ModelFilesFuzzTest: " + cases.size() + " files (model " + Arrays
			.hashCode(good) + "), " + outcomes.loaded.size() + " loaded, " + outcomes.refusals.size() +
			" refused with a message; slowest " + outcomes.slowest + " ms (" + outcomes.slowestCase +
			")");
		assertTrue(cases.size() >= 200, "cases: " + cases.size());
		assertTrue(deserialised.isEmpty(), "Java deserialisation while loading: " + deserialised);
		final List<String> problems = outcomes.problems;
		for (final Map.Entry<String, String> promise : MUST_REFUSE.entrySet()) {
			final String message = outcomes.refusals.get(promise.getKey());
			if (message == null || !message.contains(promise.getValue())) problems.add(promise
				.getKey() + " must be refused with '" + promise.getValue() + "', got: " + (message ==
					null ? "loaded" : message));
		}
		if (!problems.isEmpty()) fail(problems.size() + " problems:\n" + String.join("\n", problems));
	}

	/**
	 * Cases that must be refused, with a part of the message: what README and the model
	 * description promise (inputs up to 2^22 values, finite normalisation, known formats), and
	 * entries DeepClass never writes.
	 */
	private static final Map<String, String> MUST_REFUSE = Map.ofEntries(
		Map.entry("json-input-46341-squared", "larger than the 4194304 values"),
		Map.entry("json-input-2049-squared", "larger than the 4194304 values"),
		Map.entry("json-input-channels-65536", "channels must be 1 to 8192"),
		Map.entry("json-norm-mean-nan", "mean is NaN"),
		Map.entry("json-norm-mean-huge", "mean is Infinity"),
		Map.entry("json-norm-std-zero", "std must be positive and finite"),
		Map.entry("json-norm-std-huge", "std must be positive and finite"),
		Map.entry("json-norm-method-unknown", "normalization must be"),
		Map.entry("json-norm-percentile-inverted", "percentiles must satisfy"),
		Map.entry("json-version-newer", "written by a newer DeepClass"),
		Map.entry("json-kind-unknown", "network kind 'SameDiff' is unknown"),
		Map.entry("json-classes-one", "at least 2 are needed"),
		Map.entry("json-classes-three", "3 classes are named"),
		Map.entry("zip-extra-entries", "that DeepClass never writes"),
		Map.entry("zip-inner-bomb", "unpacks to more than"),
		Map.entry("zip-network-bomb", "unpacks to more than"),
		Map.entry("zip-network-no-coefficients", "has no parameters"),
		Map.entry("foreign-graph-as-sequential", "its network is not a MultiLayerNetwork"));

	/** What loading each case gave. */
	private static final class Outcomes {

		final List<String> loaded = new ArrayList<>(), problems = new ArrayList<>();

		final Map<String, String> refusals = new LinkedHashMap<>();

		long slowest;

		String slowestCase;

		void add(final String name, final Path file) throws IOException {
			final long start = System.nanoTime();
			final Throwable thrown = assertTimeoutPreemptively(LIMIT, () -> outcome(file),
				() -> name + " did not load or fail within " + LIMIT);
			final long ms = (System.nanoTime() - start) / 1_000_000;
			if (ms > slowest) {
				slowest = ms;
				slowestCase = name;
			}
			if (thrown == null) loaded.add(name);
			else if (!(thrown instanceof ModelFormatException || thrown instanceof IOException))
				problems.add(name + ": " + thrown);
			else if (!thrown.getMessage().contains("'" + file.getFileName() + "'") || FIXES.stream()
				.noneMatch(thrown.getMessage()::contains) || thrown.getMessage().contains("\n"))
				problems.add(name + ": the message is not one line naming the file and the fix: " +
					thrown.getMessage());
			else refusals.put(name, thrown.getMessage());
			Files.delete(file);
		}
	}

	/** Null when {@code file} loads. */
	private static Throwable outcome(final Path file) {
		final ModelBundle loaded;
		try {
			loaded = ModelFiles.load(file);
		}
		catch (final Throwable t) {
			return t;
		}
		// damage must be found, not loaded as another model; edited JSON may make a valid other one
		final String name = file.getFileName().toString();
		if (!name.startsWith("json") && !name.startsWith("foreign")) assertArrayEquals(expected,
			new Classifier(loaded).classify(TRAIN).probabilities(), name + " loaded as another model");
		return null;
	}

	private static void flippedBytes(final Random random, final Map<String, byte[]> cases) {
		for (int i = 0; i < 80; i++) {
			final byte[] b = good.clone();
			final int flips = 1 + random.nextInt(i < 40 ? 1 : 8);
			for (int f = 0; f < flips; f++)
				b[random.nextInt(b.length)] ^= (byte) (1 + random.nextInt(255));
			cases.put("flip-" + i, b);
		}
	}

	private static void truncations(final Random random, final Map<String, byte[]> cases) {
		for (int i = 0; i < 40; i++)
			cases.put("truncated-" + i, Arrays.copyOf(good, random.nextInt(good.length)));
		cases.put("truncated-empty", new byte[0]);
	}

	private static void brokenJson(final Random random, final Map<String, byte[]> cases)
		throws IOException
	{
		final String text = new String(json, StandardCharsets.UTF_8);
		for (int i = 0; i < 15; i++)
			cases.put("json-cut-" + i, withJson(text.substring(0, random.nextInt(text.length()))));
		final String noise = "{}[]\",:0-eE.tfn\\x\u00e9\u0000";
		for (int i = 0; i < 15; i++) {
			final int at = random.nextInt(text.length());
			cases.put("json-noise-" + i, withJson(text.substring(0, at) + noise.charAt(random.nextInt(
				noise.length())) + text.substring(at)));
		}
		cases.put("json-binary", zip(ordered(ModelFiles.INFO_ENTRY, Arrays.copyOf(network, 3000),
			ModelFiles.NETWORK_ENTRY, network)));
	}

	private static void hostileJson(final Map<String, byte[]> cases) throws IOException {
		final JsonPrimitive huge = new JsonPrimitive(new java.math.BigDecimal("1e400"));
		final Map<String, Consumer<JsonObject>> edits = new LinkedHashMap<>();
		for (final String top : List.of("formatVersion", "classNames", "input", "normalization",
			"networkKind", "parameterCount", "training", "history", "metrics", "format", "created"))
		{
			edits.put(top + "-missing", o -> o.remove(top));
			edits.put(top + "-null", o -> o.add(top, JsonNull.INSTANCE));
			edits.put(top + "-huge", o -> o.add(top, huge));
			edits.put(top + "-negative", o -> o.addProperty(top, -2147483648));
			edits.put(top + "-string", o -> o.addProperty(top, "x"));
			edits.put(top + "-object", o -> o.add(top, new JsonObject()));
			edits.put(top + "-array", o -> o.add(top, array(1, 2)));
			edits.put(top + "-nested", o -> o.add(top, nested(100_000)));
		}
		for (final String dim : List.of("channels", "height", "width")) {
			for (final long v : new long[] { 0, -1, 8193, 65_536, 2_147_483_647L, 2_147_483_648L })
				edits.put("input-" + dim + "-" + v, o -> o.getAsJsonObject("input").addProperty(dim, v));
			edits.put("input-" + dim + "-fraction", o -> o.getAsJsonObject("input").addProperty(dim,
				1.5));
		}
		edits.put("input-46341-squared", o -> {
			o.getAsJsonObject("input").addProperty("height", 46_341);
			o.getAsJsonObject("input").addProperty("width", 46_341);
		});
		for (final int side : new int[] { 1024, 2049 })
			edits.put("input-" + side + "-squared", o -> {
				o.getAsJsonObject("input").addProperty("height", side);
				o.getAsJsonObject("input").addProperty("width", side);
			});
		edits.put("input-channels-3", o -> o.getAsJsonObject("input").addProperty("channels", 3));
		edits.put("input-selected-negative", o -> o.getAsJsonObject("input").add("selectedChannels",
			array(-1)));
		edits.put("input-selected-strings", o -> o.getAsJsonObject("input").add("selectedChannels",
			array("a")));
		edits.put("input-names-object", o -> o.getAsJsonObject("input").add("channelNames",
			new JsonObject()));
		for (final String field : List.of("mean", "std")) {
			edits.put("norm-" + field + "-null", o -> o.getAsJsonObject("normalization").add(field,
				JsonNull.INSTANCE));
			edits.put("norm-" + field + "-empty", o -> o.getAsJsonObject("normalization").add(field,
				new JsonArray()));
			edits.put("norm-" + field + "-long", o -> o.getAsJsonObject("normalization").add(field,
				array(1, 1, 1)));
			edits.put("norm-" + field + "-zero", o -> o.getAsJsonObject("normalization").add(field,
				array(0)));
			edits.put("norm-" + field + "-nan", o -> o.getAsJsonObject("normalization").add(field,
				array("NaN")));
			edits.put("norm-" + field + "-huge", o -> o.getAsJsonObject("normalization").add(field,
				array(huge)));
			edits.put("norm-" + field + "-nested", o -> o.getAsJsonObject("normalization").add(field,
				nested(10_000)));
		}
		edits.put("norm-method-unknown", o -> o.getAsJsonObject("normalization").addProperty(
			"method", "magic"));
		edits.put("norm-percentile-inverted", o -> {
			final JsonObject n = o.getAsJsonObject("normalization");
			n.addProperty("method", "percentile");
			n.addProperty("lowPercentile", 99);
			n.addProperty("highPercentile", 1);
		});
		edits.put("classes-one", o -> o.add("classNames", array("only")));
		edits.put("classes-three", o -> o.add("classNames", array("a", "b", "c")));
		edits.put("classes-nulls", o -> o.add("classNames", array(JsonNull.INSTANCE,
			JsonNull.INSTANCE)));
		edits.put("classes-numbers", o -> o.add("classNames", array(1, 2)));
		edits.put("classes-million", o -> {
			final JsonArray names = new JsonArray();
			for (int i = 0; i < 1_000_000; i++)
				names.add("class " + i);
			o.add("classNames", names);
		});
		edits.put("kind-graph", o -> o.addProperty("networkKind", "ComputationGraph"));
		edits.put("kind-unknown", o -> o.addProperty("networkKind", "SameDiff"));
		edits.put("version-newer", o -> o.addProperty("formatVersion", 2));
		edits.put("extra-field-nested", o -> o.add("surprise", nested(1_000_000)));
		edits.put("extra-field-long-string", o -> o.addProperty("surprise", "x".repeat(40_000_000)));
		edits.put("history-nulls", o -> o.add("history", array(JsonNull.INSTANCE)));
		final String original = new String(json, StandardCharsets.UTF_8);
		for (final Map.Entry<String, Consumer<JsonObject>> edit : edits.entrySet()) {
			final JsonObject o = JsonParser.parseString(original).getAsJsonObject();
			edit.getValue().accept(o);
			cases.put("json-" + edit.getKey(), withJson(withNestedArrays(o.toString())));
		}
		for (final String other : List.of("[]", "null", "42", "\"deepclass-model\"", "{}", ""))
			cases.put("json-top-" + (other.isEmpty() ? "empty" : other.replaceAll("\\W", "_")),
				withJson(other));
		cases.put("json-nested-top", withJson("[".repeat(1_000_000) + "]".repeat(1_000_000)));
	}

	private static void zipStructure(final Random random, final Map<String, byte[]> cases)
		throws IOException
	{
		cases.put("zip-empty", zip(ordered()));
		cases.put("zip-no-info", zip(ordered(ModelFiles.NETWORK_ENTRY, network)));
		cases.put("zip-no-network", zip(ordered(ModelFiles.INFO_ENTRY, json)));
		final Map<String, byte[]> extra = ordered(ModelFiles.INFO_ENTRY, json,
			ModelFiles.NETWORK_ENTRY, network);
		extra.put("../../escape.txt", new byte[10]);
		extra.put("README.txt", "hello".getBytes(StandardCharsets.UTF_8));
		for (int i = 0; i < 1000; i++)
			extra.put("extra/" + i, new byte[] { (byte) i });
		cases.put("zip-extra-entries", zip(extra));
		cases.put("zip-info-bomb", zip(ordered(ModelFiles.INFO_ENTRY, bomb((byte) ' ', 200 << 20),
			ModelFiles.NETWORK_ENTRY, network)));
		cases.put("zip-network-bomb", zip(ordered(ModelFiles.INFO_ENTRY, json,
			ModelFiles.NETWORK_ENTRY, bomb((byte) 0, 200 << 20))));
		cases.put("zip-inner-bomb", zip(ordered(ModelFiles.INFO_ENTRY, json,
			ModelFiles.NETWORK_ENTRY, zip(ordered("configuration.json", entry(network,
				"configuration.json"), "coefficients.bin", bomb((byte) 0, 200 << 20))))));
		for (final String name : List.of(ModelFiles.INFO_ENTRY, ModelFiles.NETWORK_ENTRY))
			for (final long size : new long[] { 0, 1, 0xFFFFFFFEL }) {
				cases.put("zip-declared-size-" + name + "-" + size, declaredSize(good, name, size, 24));
				cases.put("zip-declared-compressed-" + name + "-" + size, declaredSize(good, name, size,
					20));
			}
		cases.put("zip-network-garbage", withNetwork(randomBytes(random, 5000)));
		cases.put("zip-network-empty", withNetwork(new byte[0]));
		cases.put("zip-network-text", withNetwork("not a network".getBytes(StandardCharsets.UTF_8)));
		cases.put("zip-network-itself", withNetwork(good));
		cases.put("zip-network-no-coefficients", withNetwork(zip(ordered("configuration.json", entry(
			network, "configuration.json")))));
		cases.put("zip-network-no-configuration", withNetwork(zip(ordered("coefficients.bin", entry(
			network, "coefficients.bin")))));
		cases.put("zip-network-broken-configuration", withNetwork(replace(network,
			"configuration.json", "{\"confs\": [".getBytes(StandardCharsets.UTF_8))));
		final byte[] coefficients = entry(network, "coefficients.bin");
		for (int i = 0; i < 10; i++) {
			final byte[] c = coefficients.clone();
			// the array header comes first: its shape and length decide what is allocated
			for (int f = 0; f < 4; f++)
				c[random.nextInt(Math.min(c.length, 120))] ^= (byte) (1 + random.nextInt(255));
			cases.put("zip-network-coefficient-header-" + i, withNetwork(replace(network,
				"coefficients.bin", c)));
		}
		for (int i = 0; i < 5; i++)
			cases.put("zip-network-coefficients-truncated-" + i, withNetwork(replace(network,
				"coefficients.bin", Arrays.copyOf(coefficients, random.nextInt(coefficients.length)))));
	}

	private static void foreignNetworks(final Map<String, byte[]> cases) throws IOException {
		cases.put("foreign-other-input-shape", withNetwork(otherShapeNetwork));
		cases.put("foreign-graph-as-sequential", withNetwork(graphNetwork));
		cases.put("foreign-three-classes", withNetwork(threeClassGraph));
		final String graphJson = new String(json, StandardCharsets.UTF_8).replace(
			"\"MultiLayerNetwork\"", "\"ComputationGraph\"");
		cases.put("foreign-graph", zip(ordered(ModelFiles.INFO_ENTRY, graphJson.getBytes(
			StandardCharsets.UTF_8), ModelFiles.NETWORK_ENTRY, graphNetwork)));
		cases.put("foreign-graph-three-classes", zip(ordered(ModelFiles.INFO_ENTRY, graphJson
			.getBytes(StandardCharsets.UTF_8), ModelFiles.NETWORK_ENTRY, threeClassGraph)));
	}

	/** A marker that {@link #withNestedArrays} replaces by arrays nested {@code depth} deep. */
	private static JsonElement nested(final int depth) {
		return new JsonPrimitive("@nested " + depth + "@");
	}

	/** Written as text: Gson's own tree would recurse this deep when printed. */
	private static String withNestedArrays(final String text) {
		final java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"@nested (\\d+)@\"")
			.matcher(text);
		final StringBuilder out = new StringBuilder();
		while (m.find()) {
			final int depth = Integer.parseInt(m.group(1));
			m.appendReplacement(out, "[".repeat(depth) + "]".repeat(depth));
		}
		return m.appendTail(out).toString();
	}

	private static JsonArray array(final Object... values) {
		final JsonArray a = new JsonArray();
		for (final Object v : values)
			if (v instanceof JsonElement e) a.add(e);
			else if (v instanceof Number n) a.add(n);
			else a.add(String.valueOf(v));
		return a;
	}

	private static byte[] withJson(final String text) throws IOException {
		return zip(ordered(ModelFiles.INFO_ENTRY, text.getBytes(StandardCharsets.UTF_8),
			ModelFiles.NETWORK_ENTRY, network));
	}

	private static byte[] withNetwork(final byte[] net) throws IOException {
		return zip(ordered(ModelFiles.INFO_ENTRY, json, ModelFiles.NETWORK_ENTRY, net));
	}

	private static byte[] bomb(final byte value, final int size) {
		final byte[] b = new byte[size];
		Arrays.fill(b, value);
		return b;
	}

	private static byte[] randomBytes(final Random random, final int size) {
		final byte[] b = new byte[size];
		random.nextBytes(b);
		return b;
	}

	/** {@code zip} with the central directory's size field at {@code offset} of {@code name} set. */
	private static byte[] declaredSize(final byte[] zip, final String name, final long size,
		final int offset)
	{
		final byte[] b = zip.clone();
		final byte[] n = name.getBytes(StandardCharsets.UTF_8);
		for (int i = b.length - 46 - n.length; i >= 0; i--)
			if (b[i] == 'P' && b[i + 1] == 'K' && b[i + 2] == 1 && b[i + 3] == 2 && Arrays.equals(b, i +
				46, i + 46 + n.length, n, 0, n.length))
			{
				for (int k = 0; k < 4; k++)
					b[i + offset + k] = (byte) (size >>> 8 * k);
				return b;
			}
		throw new AssertionError("no central directory entry " + name);
	}

	private static ComputationGraph graph(final int classes) {
		final ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(3)
			.updater(new Adam(1e-3)).graphBuilder().addInputs("image").setInputTypes(InputType
				.convolutional(12, 12, 1)).addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(4)
					.activation(Activation.RELU).build(), "image").addLayer("pool",
						new GlobalPoolingLayer.Builder().build(), "conv").addLayer("out",
							new OutputLayer.Builder(LossFunction.MCXENT).nOut(classes).activation(
								Activation.SOFTMAX).build(), "pool").setOutputs("out").build();
		final ComputationGraph graph = new ComputationGraph(conf);
		graph.init();
		return graph;
	}
}
