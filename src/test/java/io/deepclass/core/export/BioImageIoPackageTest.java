package io.deepclass.core.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.yaml.snakeyaml.Yaml;

import io.deepclass.core.DeepClassException;
import io.deepclass.core.bundle.ModelBundle;
import io.deepclass.core.bundle.ModelFiles;
import io.deepclass.core.data.ArrayImageStore;
import io.deepclass.core.data.Dataset;
import io.deepclass.core.data.ImageShape;
import io.deepclass.core.data.Normalization;
import io.deepclass.core.model.ArchitectureSpec;
import io.deepclass.core.pipeline.TrainingPipeline;
import io.deepclass.core.pipeline.TrainingRecipe;
import io.deepclass.core.predict.Classifier;

/**
 * A bioimage.io package (model description 0.5) read back with an independent YAML parser:
 * every field the spec requires is there and well formed, the files it names are in the zip
 * with the SHA-256 it states, and the test input, preprocessed as the rdf.yaml says (the spec's
 * own definitions of scale_range and scale_linear, implemented here), run by ONNX Runtime gives
 * the test output.
 */
class BioImageIoPackageTest {

	@TempDir
	Path dir;

	/** 16-bit-like 2-channel images of 3 classes, with bit depths recorded. */
	private static Dataset sixteenBit(final ImageShape shape, final int n, final long seed) {
		final Dataset d = OnnxExporterTest.images(shape, n, seed);
		final float[] pixels = new float[n * shape.size()];
		for (int i = 0; i < n; i++)
			System.arraycopy(d.image(i), 0, pixels, i * shape.size(), shape.size());
		final int[] depths = new int[n];
		Arrays.fill(depths, 16);
		final String[] sources = new String[n];
		for (int i = 0; i < n; i++)
			sources[i] = d.source(i);
		return new Dataset(shape, List.of("Ankle boot", "1st class", "class"), new ArrayImageStore(
			pixels, shape.size()), d.labels(), sources, depths);
	}

	private static byte[] png() throws IOException {
		final var image = new java.awt.image.BufferedImage(8, 8, java.awt.image.BufferedImage.TYPE_INT_RGB);
		final ByteArrayOutputStream out = new ByteArrayOutputStream();
		javax.imageio.ImageIO.write(image, "png", out);
		return out.toByteArray();
	}

	private static Map<String, byte[]> unzip(final Path zip) throws IOException {
		final Map<String, byte[]> files = new HashMap<>();
		try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
			for (ZipEntry e; (e = in.getNextEntry()) != null;)
				files.put(e.getName(), in.readAllBytes());
		}
		return files;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(final Object o) {
		assertTrue(o instanceof Map, "a mapping: " + o);
		return (Map<String, Object>) o;
	}

	@SuppressWarnings("unchecked")
	private static List<Object> list(final Object o) {
		assertTrue(o instanceof List && !((List<?>) o).isEmpty(), "a non-empty list: " + o);
		return (List<Object>) o;
	}

	private static void fileWithHash(final Map<String, byte[]> files, final Map<String, Object> d,
		final String what)
	{
		final String source = (String) d.get("source");
		assertNotNull(files.get(source), what + ": " + source + " is in the package");
		assertEquals(NpyNumpyFixturesTest.sha256(files.get(source)), d.get("sha256"), what +
			" sha256 of the packaged file's bytes");
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource(value = Normalization.Method.class, names = { "PERCENTILE", "BIT_DEPTH",
		"DATASET" })
	void theRdfHasWhatTheSpecRequiresAndTheTestTensorsReproduce(final Normalization.Method method)
		throws Exception
	{
		final ImageShape shape = new ImageShape(2, 20, 24);
		final Dataset train = sixteenBit(shape, 48, 1), test = sixteenBit(shape, 15, 2);
		final ModelBundle model = new TrainingPipeline(null, null).train(new TrainingRecipe(
			ArchitectureSpec.parse("cnn:8,bn=true,dense=16"), OnnxExporterTest.SETTINGS, 0)
			.withNormalization(method, 1, 99.8), train).bundle();
		final Path zip = dir.resolve("model.bioimage.io.zip");
		BioImageIoPackage.write(model, test, png(), new BioImageIoPackage.Details("Cells / 16-bit!",
			null, List.of("A. Scientist"), null), zip);
		final Map<String, byte[]> files = unzip(zip);
		final Map<String, Object> rdf = map(new Yaml().load(new String(files.get("rdf.yaml"),
			StandardCharsets.UTF_8)));

		// the resource
		assertEquals("model", rdf.get("type"));
		assertTrue(((String) rdf.get("format_version")).startsWith("0.5."));
		final String name = (String) rdf.get("name");
		assertTrue(name.matches("[A-Za-z0-9_+\\-() ]{5,128}"), name);
		assertEquals("Cells 16-bit", name);
		assertFalse(((String) rdf.get("description")).isBlank());
		assertEquals("A. Scientist", map(list(rdf.get("authors")).get(0)).get("name"));
		for (final Object c : list(rdf.get("cite"))) {
			assertFalse(((String) map(c).get("text")).isBlank());
			assertTrue(map(c).containsKey("doi") || map(c).containsKey("url"), "doi or url: " + c);
		}
		assertEquals("CC-BY-4.0", rdf.get("license"));
		final String doc = new String(files.get((String) rdf.get("documentation")),
			StandardCharsets.UTF_8);
		assertTrue(doc.contains("## Validation"), "a Validation section, as the spec asks");
		assertTrue(doc.contains(train.fingerprint()), "the training data fingerprint");
		assertTrue(Arrays.equals(png(), files.get((String) list(rdf.get("covers")).get(0))));
		assertTrue(list(rdf.get("tags")).contains("classification"));
		assertTrue(rdf.get("timestamp") instanceof java.util.Date || rdf.get(
			"timestamp") instanceof String);
		fileWithHash(files, map(list(rdf.get("attachments")).get(0)), "attachment");

		// the input
		final Map<String, Object> input = map(list(rdf.get("inputs")).get(0));
		assertEquals(BioImageIoPackage.INPUT, input.get("id"));
		final List<Object> axes = list(input.get("axes"));
		assertEquals(List.of("batch", "channel", "space", "space"), axes.stream().map(a -> map(a).get(
			"type")).toList());
		assertEquals(List.of("C1", "C2"), map(axes.get(1)).get("channel_names"), "the source's channels");
		assertEquals(List.of("y", 20, "x", 24), List.of(map(axes.get(2)).get("id"), map(axes.get(2))
			.get("size"), map(axes.get(3)).get("id"), map(axes.get(3)).get("size")));
		assertEquals("float32", map(input.get("data")).get("type"));
		fileWithHash(files, map(input.get("test_tensor")), "test input");
		final List<Object> steps = list(input.get("preprocessing"));
		final Set<String> known = Set.of("ensure_dtype", "scale_range", "scale_linear");
		for (final Object s : steps)
			assertTrue(known.contains(map(s).get("id")), "a preprocessing the spec defines: " + s);

		// the output: one channel per class, named as the spec's identifiers
		final Map<String, Object> output = map(list(rdf.get("outputs")).get(0));
		assertEquals(BioImageIoPackage.OUTPUT, output.get("id"));
		final List<Object> outAxes = list(output.get("axes"));
		assertEquals(List.of("Ankle_boot", "_1st_class", "class_"), map(outAxes.get(1)).get(
			"channel_names"));
		fileWithHash(files, map(output.get("test_tensor")), "test output");

		// the weights
		final Map<String, Object> onnx = map(map(rdf.get("weights")).get("onnx"));
		fileWithHash(files, onnx, "ONNX weights");
		assertEquals(OnnxExporter.OPSET, onnx.get("opset_version"));

		// test input -> rdf's preprocessing -> ONNX Runtime == test output == DeepClass
		final Npy.Array in = Npy.read(files.get("test_input.npy")), out = Npy.read(files.get(
			"test_output.npy"));
		assertArrayEquals(new long[] { 1, 2, 20, 24 }, in.shape());
		assertArrayEquals(test.image(0), in.values(), "the first test image, raw");
		assertArrayEquals(new long[] { 1, 3 }, out.shape());
		final float[] x = in.values().clone();
		for (final Object s : steps)
			preprocess(map(s), x, shape);
		final Path weights = dir.resolve("w.onnx");
		Files.write(weights, files.get("model.onnx"));
		final float[][] runtime = OnnxExporterTest.run(weights, x, shape, 1);
		assertArrayEquals(out.values(), runtime[0], 1e-5f, "ONNX Runtime reproduces the test output");
		assertArrayEquals(new Classifier(model).classify(test.head(1)).probabilities()[0], out.values(),
			0f);
		if (method == Normalization.Method.PERCENTILE) assertTrue(steps.stream().anyMatch(s -> "scale_range"
			.equals(map(s).get("id"))));
		if (method == Normalization.Method.BIT_DEPTH) assertEquals(1 / 65535.0, ((Number) map(map(steps
			.get(1)).get("kwargs")).get("gain")).doubleValue(), 1e-12);

		// the DeepClass model travels along
		final Path attached = dir.resolve("attached.zip");
		Files.write(attached, files.get(BioImageIoPackage.DEEPCLASS_MODEL));
		assertEquals(model.info().classNames(), ModelFiles.load(attached).info().classNames());
	}

	/** The spec's preprocessing, as bioimageio.core defines it. */
	private static void preprocess(final Map<String, Object> step, final float[] x,
		final ImageShape shape)
	{
		final Map<String, Object> kwargs = step.get("kwargs") == null ? Map.of() : map(step.get(
			"kwargs"));
		switch ((String) step.get("id")) {
			case "ensure_dtype" -> assertEquals("float32", kwargs.get("dtype"));
			case "scale_linear" -> {
				final double gain = ((Number) kwargs.getOrDefault("gain", 1.0)).doubleValue();
				final double offset = ((Number) kwargs.getOrDefault("offset", 0.0)).doubleValue();
				for (int i = 0; i < x.length; i++)
					x[i] = (float) (x[i] * gain + offset);
			}
			case "scale_range" -> {
				assertEquals(List.of("y", "x"), kwargs.get("axes"), "per image and channel");
				final double low = ((Number) kwargs.get("min_percentile")).doubleValue();
				final double high = ((Number) kwargs.get("max_percentile")).doubleValue();
				final double eps = ((Number) kwargs.getOrDefault("eps", 1e-6)).doubleValue();
				final int plane = shape.height() * shape.width();
				for (int c = 0; c < shape.channels(); c++) {
					final double[] sorted = new double[plane];
					for (int p = 0; p < plane; p++)
						sorted[p] = x[c * plane + p];
					Arrays.sort(sorted);
					final double lo = quantile(sorted, low / 100), hi = quantile(sorted, high / 100);
					for (int p = 0; p < plane; p++)
						x[c * plane + p] = (float) ((x[c * plane + p] - lo) / (hi - lo + eps));
				}
			}
			default -> throw new AssertionError("unknown preprocessing " + step);
		}
	}

	/** numpy.quantile's default (linear). */
	private static double quantile(final double[] sorted, final double q) {
		final double h = (sorted.length - 1) * q;
		final int below = (int) Math.floor(h);
		final int above = Math.min(below + 1, sorted.length - 1);
		return sorted[below] + (h - below) * (sorted[above] - sorted[below]);
	}

	@Test
	void classNamesBecomeTheSpecsIdentifiers() {
		assertEquals(List.of("Ankle_boot", "_1st", "class_", "a_b", "a_b_2", "_"), BioImageIoPackage
			.identifiers(List.of("Ankle boot", "1st", "class", "a b", "a-b", "")));
	}

	@Test
	void npyFilesHaveAlignedHeadersAndReadBack() {
		final Npy.Array a = new Npy.Array(new long[] { 2, 3 }, new float[] { 1, 2, 3, 4.5f, -0f,
			Float.NaN });
		final byte[] bytes = Npy.write(a);
		final int header = (bytes[8] & 0xff) | (bytes[9] & 0xff) << 8;
		assertEquals(0, (10 + header) % 64, "data starts on a 64-byte boundary, as numpy writes it");
		final Npy.Array back = Npy.read(bytes);
		assertArrayEquals(a.shape(), back.shape());
		assertArrayEquals(a.values(), back.values());
		assertArrayEquals(new long[] { 3 }, Npy.read(Npy.write(new Npy.Array(new long[] { 3 },
			new float[3]))).shape());
		assertThrows(IllegalArgumentException.class, () -> Npy.read(Arrays.copyOf(bytes, bytes.length -
			1)));
		assertThrows(IllegalArgumentException.class, () -> Npy.read("not numpy".getBytes(
			StandardCharsets.US_ASCII)));
	}

	@Test
	void withoutTestImagesThePackageIsRefusedClearly() {
		final ImageShape shape = new ImageShape(1, 8, 8);
		final Dataset train = OnnxExporterTest.images(shape, 12, 1);
		final ModelBundle model = new TrainingPipeline(null, null).train(new TrainingRecipe(
			ArchitectureSpec.parse("linear"), OnnxExporterTest.SETTINGS, 0), train).bundle();
		final DeepClassException e = assertThrows(DeepClassException.class, () -> BioImageIoPackage
			.write(model, null, null, BioImageIoPackage.Details.defaults(), dir.resolve("x.zip")));
		assertTrue(e.getMessage().contains("test images"), e.getMessage());
		assertFalse(Files.exists(dir.resolve("x.zip")));
	}
}
