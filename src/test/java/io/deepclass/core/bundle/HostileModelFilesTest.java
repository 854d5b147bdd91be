package io.deepclass.core.bundle;

import static io.deepclass.core.bundle.ZipBytes.bytes;
import static io.deepclass.core.bundle.ZipBytes.entry;
import static io.deepclass.core.bundle.ZipBytes.ordered;
import static io.deepclass.core.bundle.ZipBytes.replace;
import static io.deepclass.core.bundle.ZipBytes.zip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.learning.config.Adam;

import io.deepclass.core.TestData;
import io.deepclass.core.data.ImageShape;
import io.deepclass.core.model.ArchitectureSpec;
import io.deepclass.core.model.Architectures;
import io.deepclass.core.model.Network;
import io.deepclass.core.train.TrainingSettings;

/**
 * Model files made to attack the reader, not damaged by chance (that is
 * {@link ModelFilesFuzzTest}): Java deserialisation payloads, configuration JSON naming classes
 * that are no DL4J configuration, nesting and number bombs, and shapes that ask for more memory
 * than there is. Each must be refused with one line naming the file and the problem, within a
 * second, with no {@link java.io.ObjectInputStream} made anywhere in the JVM
 * ({@link DeserializationWatch}) and nothing written beside the file.
 */
class HostileModelFilesTest {

	private static final Duration LIMIT = Duration.ofSeconds(1);

	@TempDir
	Path dir;

	private static byte[] good, info, network, configuration;

	@BeforeAll
	static void makeModel() throws IOException {
		final TrainingSettings s = TrainingSettings.defaults().withEpochs(1).withBatchSize(16);
		good = bytes(TestData.model("cnn:4,dense=8", TestData.stripes(40, 12, 5), null, s));
		info = entry(good, ModelFiles.INFO_ENTRY);
		network = entry(good, ModelFiles.NETWORK_ENTRY);
		configuration = entry(network, NetworkZip.CONFIGURATION);
	}

	@Test
	void theDeserialisationBombInPreprocessorBinIsRefusedByName() throws Exception {
		final byte[] bomb = serialised(nestedSets(100));
		assertRefused("bomb", withNetwork(with(network, "preprocessor.bin", bomb)),
			"has an entry 'network.zip/preprocessor.bin' that DeepClass never writes; it may have " +
				"been altered. Not loaded.");
		assertRefused("bomb-outside", zip(ordered(ModelFiles.INFO_ENTRY, info,
			ModelFiles.NETWORK_ENTRY, network, "preprocessor.bin", bomb)),
			"has an entry 'preprocessor.bin' that DeepClass never writes");
	}

	@Test
	void aGadgetOfAClassNotOnTheClassPathIsNeverRead() throws Exception {
		final byte[] gadget = gadget("org.example.attack.Payload");
		for (final String name : List.of("preprocessor.bin", "normalizer.bin", "updater.bin",
			"objects/x", "noParams.marker"))
			assertRefused("gadget-" + name.replace('/', '-'), withNetwork(with(network, name, gadget)),
				"'network.zip/" + name + "' that DeepClass never writes");
		assertRefused("gadget-coefficients", withNetwork(replace(network, NetworkZip.COEFFICIENTS,
			gadget)), "its coefficients.bin is not a row of parameters");
		assertRefused("gadget-updater", withNetwork(replace(network, NetworkZip.UPDATER_STATE,
			gadget)), "its updaterState.bin is not a row of parameters");
	}

	@Test
	void configurationNamingOtherClassesIsRefusedBeforeJacksonSeesIt() throws Exception {
		final String json = new String(configuration, StandardCharsets.UTF_8);
		final String relu = "\"org.nd4j.linalg.activations.impl.ActivationReLU\"";
		assertTrue(json.contains(relu), "the fixture has a ReLU to replace");
		final Map<String, String> edits = Map.of( //
			"class-jdk", json.replace(relu, "\"java.net.URL\""), //
			"class-absent", json.replace(relu, "\"org.example.attack.Payload\""), //
			"class-no-name", json.replace(relu, "\"not a class\""), //
			"wrapper-array", json.replaceFirst("\\{\\s*\"@class\"\\s*:\\s*" + relu.replace(".",
				"\\.") + "[^}]*}", "[\"java.lang.ProcessBuilder\", [\"sh\"]]"), //
			"class-as-value", json.replaceFirst("\"layerName\" : \"[^\"]*\"",
				"\"layerName\" : \"javax.script.ScriptEngineManager\""));
		for (final Map.Entry<String, String> e : edits.entrySet()) {
			assertFalse(e.getValue().equals(json), e.getKey() + " changes the configuration");
			assertRefused("json-" + e.getKey(), withConfiguration(e.getValue()),
				"its network configuration names the class");
		}
	}

	@Test
	void configurationBombsAreRefusedQuickly() throws Exception {
		final String json = new String(configuration, StandardCharsets.UTF_8);
		final int brace = json.indexOf('{');
		assertRefused("json-deep", withConfiguration(json.substring(0, brace + 1) + "\"x\":" + "["
			.repeat(10_000) + "]".repeat(10_000) + "," + json.substring(brace + 1)),
			"nests deeper than 64 levels");
		assertRefused("json-long-number", withConfiguration(json.substring(0, brace + 1) + "\"x\":" +
			"9".repeat(1_000_000) + "," + json.substring(brace + 1)),
			"holds a number longer than any DL4J configuration has");
		// bounded twice: by what the network may unpack to, and by what a configuration may hold
		assertRefused("json-large", withConfiguration(json.substring(0, brace + 1) + "\"x\":\"" + "a"
			.repeat(20 << 20) + "\"," + json.substring(brace + 1)),
			"its configuration.json unpacks to more than 16 MB");
	}

	@Test
	void shapesAskingForMoreMemoryThanThereIsAreRefusedBeforeAllocating() throws Exception {
		final byte[] coefficients = entry(network, NetworkZip.COEFFICIENTS);
		final byte[] declared = coefficients.clone();
		// the data buffer's header: mode (UTF), then its length as a long: claim 2^40 values
		final int at = indexOf(declared, "FLOAT".getBytes(StandardCharsets.US_ASCII)) - 2 - 8;
		for (int k = 0; k < 8; k++)
			declared[at + k] = (byte) ((1L << 40) >>> 8 * (7 - k));
		assertRefused("declared-2^40", withNetwork(replace(network, NetworkZip.COEFFICIENTS,
			declared)), "its shape holds");

		final String json = new String(configuration, StandardCharsets.UTF_8);
		// the dense layer and the one after it agree, so only the parameters' length can tell
		final String dense = json.replace("\"nout\" : 8", "\"nout\" : 10000000").replace(
			"\"nin\" : 8", "\"nin\" : 10000000");
		assertFalse(dense.equals(json), "the fixture has a dense layer of 8");
		assertRefused("dense-10^7", withConfiguration(dense),
			"its parameters do not fit its configuration");

		// 2048 x 2048 images are allowed; a first convolution of 100 channels on them is not
		final JsonObject bigInput = JsonParser.parseString(new String(info, StandardCharsets.UTF_8))
			.getAsJsonObject();
		bigInput.getAsJsonObject("input").addProperty("height", 2048);
		bigInput.getAsJsonObject("input").addProperty("width", 2048);
		assertRefused("activations", zip(ordered(ModelFiles.INFO_ENTRY, bigInput.toString().getBytes(
			StandardCharsets.UTF_8), ModelFiles.NETWORK_ENTRY, replace(network,
				NetworkZip.CONFIGURATION, json.replaceFirst("\"nout\" : 4", "\"nout\" : 100").getBytes(
					StandardCharsets.UTF_8)))), "is too large for this machine: its network would " +
						"make more than 1 GB of activations for one image");
	}

	@Test
	void everyArchitecturesConfigurationPassesTheCheck() {
		final List<String> names = new java.util.ArrayList<>(ArchitectureSpec.REFERENCE);
		names.addAll(List.of("cnn:4,dense=8", "mlp:32"));
		for (final String name : names) {
			final Network n = Architectures.build(ArchitectureSpec.parse(name), new ImageShape(3, 32,
				32), 3, 1, new Adam(1e-3), new float[] { 1, 2, 3 });
			ConfigurationJson.check(((MultiLayerNetwork) n.model()).getLayerWiseConfigurations()
				.toJson());
		}
	}

	@Test
	void theWatchSeesDeserialisation() throws Exception {
		assertTrue(DeserializationWatch.installed(), "the pom's test arguments set the watch");
		final byte[] bytes = serialised(new HashSet<>(Set.of("x")));
		final List<String> seen = DeserializationWatch.during(() -> {
			try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(
				new java.io.ByteArrayInputStream(bytes)))
			{
				return in.readObject();
			}
			catch (final java.io.InvalidClassException rejected) {
				return null;
			}
		});
		assertTrue(seen.contains("a java.util.HashSet read"), "seen: " + seen);
	}

	/** Loads {@code bytes} as {@code <name>.zip} and checks the refusal. */
	private void assertRefused(final String name, final byte[] bytes, final String expected)
		throws Exception
	{
		final Path file = Files.write(dir.resolve(name + ".zip"), bytes);
		final List<String> before = listing();
		final ModelFormatException[] thrown = new ModelFormatException[1];
		final long start = System.nanoTime();
		final List<String> deserialised = DeserializationWatch.during(() -> {
			thrown[0] = assertTimeoutPreemptively(LIMIT, () -> assertThrows(ModelFormatException.class,
				() -> ModelFiles.load(file), name + " loaded"), name + " took longer than " + LIMIT);
			return null;
		});
		final String message = thrown[0].getMessage();
		System.out.println("HostileModelFilesTest: " + name + " refused in " + (System.nanoTime() -
			start) / 1_000_000 + " ms: " + message);
		assertTrue(message.startsWith("'" + name + ".zip'") && message.contains(expected) && !message
			.contains("\n"), name + ": " + message);
		assertEquals(List.of(), deserialised, name);
		assertEquals(before, listing(), name + " wrote beside the file");
		Files.delete(file);
	}

	private List<String> listing() throws IOException {
		try (Stream<Path> files = Files.list(dir)) {
			return files.map(p -> p.getFileName().toString()).sorted().toList();
		}
	}

	private static byte[] withNetwork(final byte[] net) throws IOException {
		return zip(ordered(ModelFiles.INFO_ENTRY, info, ModelFiles.NETWORK_ENTRY, net));
	}

	private static byte[] withConfiguration(final String json) throws IOException {
		return withNetwork(replace(network, NetworkZip.CONFIGURATION, json.getBytes(
			StandardCharsets.UTF_8)));
	}

	/** {@code zipBytes} with one more entry. */
	private static byte[] with(final byte[] zipBytes, final String name, final byte[] content)
		throws IOException
	{
		final Map<String, byte[]> entries = ordered();
		for (final String n : List.of(NetworkZip.CONFIGURATION, NetworkZip.COEFFICIENTS,
			NetworkZip.UPDATER_STATE))
			entries.put(n, entry(zipBytes, n));
		entries.put(name, content);
		return zip(entries);
	}

	/**
	 * The deserialisation bomb: sets nested {@code depth} deep, each holding two others, so that
	 * reading them computes 2^depth hash codes.
	 */
	private static Set<Object> nestedSets(final int depth) {
		final Set<Object> root = new HashSet<>();
		Set<Object> s1 = root, s2 = new HashSet<>();
		for (int i = 0; i < depth; i++) {
			final Set<Object> t1 = new HashSet<>(), t2 = new HashSet<>();
			t1.add("x");
			s1.add(t1);
			s1.add(t2);
			s2.add(t1);
			s2.add(t2);
			s1 = t1;
			s2 = t2;
		}
		return root;
	}

	private static byte[] serialised(final Object o) throws IOException {
		final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
			out.writeObject(o);
		}
		return bytes.toByteArray();
	}

	/** A serialised object of a class this JVM does not have, as gadget chains are sent. */
	private static byte[] gadget(final String className) throws IOException {
		final byte[] bytes = serialised(new Payload("touch /tmp/owned"));
		final byte[] ours = Payload.class.getName().getBytes(StandardCharsets.UTF_8);
		final String padded = (className + "_".repeat(ours.length)).substring(0, ours.length);
		final int at = indexOf(bytes, ours);
		System.arraycopy(padded.getBytes(StandardCharsets.UTF_8), 0, bytes, at, ours.length);
		return bytes;
	}

	private static int indexOf(final byte[] haystack, final byte[] needle) {
		outer: for (int i = 0; i <= haystack.length - needle.length; i++) {
			for (int j = 0; j < needle.length; j++)
				if (haystack[i + j] != needle[j]) continue outer;
			return i;
		}
		throw new AssertionError("not found");
	}

	/** Stands for an attacker's class in {@link #gadget}, renamed there. */
	private record Payload(String command) implements Serializable {}
}
