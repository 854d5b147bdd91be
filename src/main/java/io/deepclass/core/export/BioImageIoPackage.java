package io.deepclass.core.export;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import io.deepclass.core.DeepClassException;
import io.deepclass.core.TemporaryFiles;
import io.deepclass.core.Versions;
import io.deepclass.core.bundle.ModelBundle;
import io.deepclass.core.bundle.ModelFiles;
import io.deepclass.core.bundle.ModelInfo;
import io.deepclass.core.data.Dataset;
import io.deepclass.core.data.ImageShape;
import io.deepclass.core.data.Normalization;
import io.deepclass.core.predict.Classifier;
import io.deepclass.core.predict.EvaluationReport;
import io.deepclass.core.predict.Predictions;

/**
 * A DeepClass model as a bioimage.io model package (model description format 0.5): one zip
 * with {@code rdf.yaml}, the ONNX weights, a test input and its expected output as
 * {@code .npy}, a cover image, documentation made from the model card, and the DeepClass model
 * file itself as an attachment. deepImageJ, ilastik, QuPath, BiaPy and bioimageio.core read such
 * packages.
 * <p>
 * The per-image part of the model's normalisation is written as the spec's preprocessing
 * ({@code scale_range} for percentiles, {@code scale_linear} for bit depth); the per-channel
 * standardisation is inside the ONNX graph. The test input is one labelled image as the model
 * takes it (raw values, after channel selection and resizing), the test output DeepClass's
 * probabilities for it.
 */
public final class BioImageIoPackage {

	/** The model description format written. */
	public static final String FORMAT_VERSION = "0.5.3";

	public static final String RDF = "rdf.yaml", WEIGHTS = "model.onnx", TEST_INPUT =
		"test_input.npy", TEST_OUTPUT = "test_output.npy", COVER = "cover.png", DOCUMENTATION =
			"README.md", DEEPCLASS_MODEL = "deepclass-model.zip";

	/** The spec's input and output tensor ids. */
	public static final String INPUT = "input", OUTPUT = "probabilities";

	/**
	 * What a person adds: a name (letters, digits, spaces, _+-()), a description, authors'
	 * names, an SPDX license id; null or blank for DeepClass's defaults.
	 */
	public record Details(String name, String description, List<String> authors, String license) {

		public static Details defaults() {
			return new Details(null, null, null, null);
		}
	}

	private BioImageIoPackage() {}

	/**
	 * Writes the package.
	 *
	 * @param images labelled images as the model takes them (its input shape); the first is the
	 *          test input, all of them are evaluated for the documentation
	 * @param cover a PNG image (the confusion matrix, say); null for none
	 */
	public static void write(final ModelBundle model, final Dataset images, final byte[] cover,
		final Details details, final Path zip) throws IOException
	{
		write(model, images, null, cover, details, zip);
	}

	/**
	 * As {@link #write(ModelBundle, Dataset, byte[], Details, Path)}, with DeepClass's
	 * predictions for {@code images} already made (for the cover, say); null to make them.
	 */
	public static void write(final ModelBundle model, final Dataset images,
		final Predictions predictions, final byte[] cover, final Details details, final Path zip)
		throws IOException
	{
		final ModelInfo info = model.info();
		final ImageShape shape = info.inputShape();
		if (images == null || images.size() == 0) throw new DeepClassException("a bioimage.io " +
			"package needs labelled test images: give a folder with one sub-folder per class (or a " +
			"dataset stack).");
		if (!images.shape().equals(shape)) throw new DeepClassException("the test images are " +
			images.shape() + " but the model takes " + shape + ".");
		if (info.normalizationValues().method() == Normalization.Method.BIT_DEPTH) {
			final Set<Float> maxima = new TreeSet<>();
			for (int i = 0; i < images.size(); i++)
				maxima.add(Normalization.bitDepthMaximum(images.bitDepth(i), images.image(i)));
			if (maxima.size() > 1) throw new DeepClassException("the test images mix bit depths " +
				"(divided by " + maxima + "), but the package's scale_linear takes one gain: give test " +
				"images of the one bit depth the model will be used on.");
		}
		final Classifier classifier = new Classifier(model);
		final EvaluationReport report = EvaluationReport.of(images, predictions != null ? predictions
			: classifier.classify(images));
		final Dataset first = images.head(1);
		final float[] probabilities = classifier.classify(first).probabilities()[0];

		final Map<String, byte[]> files = new LinkedHashMap<>();
		files.put(WEIGHTS, OnnxExporter.export(model).toByteArray());
		files.put(TEST_INPUT, Npy.write(new Npy.Array(new long[] { 1, shape.channels(), shape
			.height(), shape.width() }, first.image(0).clone())));
		files.put(TEST_OUTPUT, Npy.write(new Npy.Array(new long[] { 1, probabilities.length },
			probabilities)));
		if (cover != null) files.put(COVER, cover);
		files.put(DOCUMENTATION, documentation(info, report, images).getBytes(StandardCharsets.UTF_8));
		final Path modelFile = Files.createTempFile("deepclass-export", ".zip");
		try {
			ModelFiles.save(model, modelFile);
			files.put(DEEPCLASS_MODEL, Files.readAllBytes(modelFile));
		}
		finally {
			Files.deleteIfExists(modelFile);
		}
		final String rdf = rdf(info, details, first, files);
		final Map<String, byte[]> all = new LinkedHashMap<>();
		all.put(RDF, rdf.getBytes(StandardCharsets.UTF_8));
		all.putAll(files);
		write(all, zip);
	}

	private static void write(final Map<String, byte[]> files, final Path zip) throws IOException {
		TemporaryFiles.writeAtomically(zip, ".part", out -> {
			try (ZipOutputStream z = new ZipOutputStream(out)) {
				for (final var e : files.entrySet()) {
					z.putNextEntry(new ZipEntry(e.getKey()));
					z.write(e.getValue());
					z.closeEntry();
				}
			}
		});
	}

	static String rdf(final ModelInfo info, final Details details, final Dataset first,
		final Map<String, byte[]> files)
	{
		final ImageShape shape = info.inputShape();
		final Map<String, Object> rdf = new LinkedHashMap<>();
		rdf.put("type", "model");
		rdf.put("format_version", FORMAT_VERSION);
		rdf.put("name", name(details.name(), info));
		rdf.put("description", description(details.description(), info));
		final List<String> authors = details.authors() == null || details.authors().isEmpty() ? List
			.of(System.getProperty("user.name", "DeepClass user")) : details.authors();
		rdf.put("authors", authors.stream().map(a -> map("name", a.replace('/', '-'))).toList());
		rdf.put("cite", citations(info).stream().map(c -> map("text", c[0], c[1].startsWith("10.")
			? "doi" : "url", c[1])).toList());
		rdf.put("license", blank(details.license()) ? "CC-BY-4.0" : details.license().trim());
		rdf.put("documentation", DOCUMENTATION);
		if (files.containsKey(COVER)) rdf.put("covers", List.of(COVER));
		rdf.put("tags", tags(info));
		rdf.put("timestamp", OffsetDateTime.now(ZoneOffset.UTC).withNano(0).format(
			DateTimeFormatter.ISO_OFFSET_DATE_TIME));
		rdf.put("attachments", List.of(map("source", DEEPCLASS_MODEL, "sha256", sha256(files.get(
			DEEPCLASS_MODEL)))));
		rdf.put("inputs", List.of(map("id", INPUT, "description",
			"images, channels x height x width, raw pixel values", "axes", List.of(map("type",
				"batch"), map("type", "channel", "channel_names", channelNames(info)), map("type",
					"space", "id", "y", "size", shape.height()), map("type", "space", "id", "x", "size",
						shape.width())), "test_tensor", map("source", TEST_INPUT, "sha256", sha256(files.get(
							TEST_INPUT))), "data", map("type", "float32"), "preprocessing", preprocessing(info,
								first))));
		rdf.put("outputs", List.of(map("id", OUTPUT, "description",
			"class probabilities (softmax), one channel per class", "axes", List.of(map("type",
				"batch"), map("type", "channel", "channel_names", identifiers(info.classNames()))),
			"test_tensor", map("source", TEST_OUTPUT, "sha256", sha256(files.get(TEST_OUTPUT))), "data",
			map("type", "float32", "range", List.of(0.0, 1.0)))));
		rdf.put("weights", map("onnx", map("source", WEIGHTS, "sha256", sha256(files.get(WEIGHTS)),
			"opset_version", OnnxExporter.OPSET)));
		rdf.put("config", map("deepclass", map("version", Versions.deepclass(), "architecture", info
			.architecture(), "classes", info.classNames(), "preprocessing", OnnxExporter.preprocessing(
				info))));
		return RdfYaml.dump(rdf);
	}

	/** The spec's preprocessing steps for the model's normalisation. */
	private static List<Map<String, Object>> preprocessing(final ModelInfo info,
		final Dataset first)
	{
		final List<Map<String, Object>> steps = new ArrayList<>();
		steps.add(map("id", "ensure_dtype", "kwargs", map("dtype", "float32")));
		final Normalization n = info.normalizationValues();
		switch (n.method()) {
			case PERCENTILE -> steps.add(map("id", "scale_range", "kwargs", map("axes", List.of("y",
				"x"), "min_percentile", n.lowPercentile(), "max_percentile", n.highPercentile())));
			case BIT_DEPTH -> {
				final double max = Normalization.bitDepthMaximum(first.bitDepth(0), first.image(0));
				if (max != 1) steps.add(map("id", "scale_linear", "kwargs", map("gain", 1 / max)));
			}
			case DATASET, NONE -> {}
		}
		return steps;
	}

	/** A map of {@code keysAndValues} in their order. */
	private static Map<String, Object> map(final Object... keysAndValues) {
		final Map<String, Object> m = new LinkedHashMap<>();
		for (int i = 0; i < keysAndValues.length; i += 2)
			m.put((String) keysAndValues[i], keysAndValues[i + 1]);
		return m;
	}

	/** The spec's name: letters, digits, spaces, _+-() only, 5 to 128 characters. */
	static String name(final String given, final ModelInfo info) {
		String name = (blank(given) ? "DeepClass " + info.architecture() + " classifier of " + String
			.join(" ", info.classNames()) : given).replaceAll("[^A-Za-z0-9_+\\-() ]", " ").replaceAll(
				" +", " ").trim();
		if (name.length() > 64) name = name.substring(0, 64).trim();
		while (name.length() < 5)
			name = name + " model";
		return name;
	}

	private static String description(final String given, final ModelInfo info) {
		final String text = blank(given) ? "Classifies " + info.inputShape().channels() +
			"-channel " + info.inputShape().height() + " x " + info.inputShape().width() +
			" images into " + info.classNames().size() + " classes (" + String.join(", ", info
				.classNames()) + "); a " + info.architecture() + " network trained with DeepClass " +
			"(Fiji)." + (info.input().resizes() ? " Images of other sizes are resized to the input " +
				"(bilinear) and gray repeated to every channel before use." : "") : given.trim();
		return text.length() > 1024 ? text.substring(0, 1021) + "..." : text;
	}

	private static List<String> tags(final ModelInfo info) {
		final Set<String> tags = new LinkedHashSet<>(List.of("classification", "image-classification",
			"deepclass", "fiji", "onnx", "2d"));
		final String a = info.architecture().toLowerCase(Locale.ROOT);
		tags.add(a.startsWith("pretrained") ? "transfer-learning" : a.split("[: ,]")[0]); // cnn, lenet
		return new ArrayList<>(tags);
	}

	/** What the network is built on, as DOI or URL. */
	private static List<String[]> citations(final ModelInfo info) {
		final String a = info.architecture().toLowerCase(Locale.ROOT);
		final List<String[]> c = new ArrayList<>();
		if (a.contains("lenet")) c.add(new String[] { "LeCun et al. Gradient-based learning " +
			"applied to document recognition. Proc. IEEE 1998", "10.1109/5.726791" });
		if (a.contains("resnet")) c.add(new String[] { "He et al. Deep residual learning for image " +
			"recognition. CVPR 2016", "10.1109/CVPR.2016.90" });
		if (a.contains("mobilenet")) c.add(new String[] { "Sandler et al. MobileNetV2: inverted " +
			"residuals and linear bottlenecks. CVPR 2018", "10.1109/CVPR.2018.00474" });
		c.add(new String[] { "LeCun, Bengio, Hinton. Deep learning. Nature 2015",
			"10.1038/nature14539" });
		return c;
	}

	private static List<String> channelNames(final ModelInfo info) {
		final List<String> names = info.input().channelNames();
		if (names != null && names.size() == info.inputShape().channels()) return identifiers(names);
		final List<String> generic = new ArrayList<>();
		for (int c = 0; c < info.inputShape().channels(); c++)
			generic.add("channel" + c);
		return generic;
	}

	/**
	 * Names as the spec's identifiers (Python identifiers that are not keywords): other
	 * characters become '_', a leading digit gets a '_', duplicates a number.
	 */
	static List<String> identifiers(final List<String> names) {
		final Set<String> keywords = Set.of("False", "None", "True", "and", "as", "assert", "async",
			"await", "break", "class", "continue", "def", "del", "elif", "else", "except", "finally",
			"for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or",
			"pass", "raise", "return", "try", "while", "with", "yield");
		final List<String> ids = new ArrayList<>();
		for (final String name : names) {
			String id = name.trim().replaceAll("[^A-Za-z0-9_]", "_");
			if (id.isEmpty() || Character.isDigit(id.charAt(0))) id = "_" + id;
			if (keywords.contains(id)) id = id + "_";
			String unique = id;
			for (int k = 2; ids.contains(unique); k++)
				unique = id + "_" + k;
			ids.add(unique);
		}
		return ids;
	}

	static String documentation(final ModelInfo info, final EvaluationReport report,
		final Dataset images)
	{
		final StringBuilder d = new StringBuilder();
		d.append("# ").append(name(null, info)).append("\n\n");
		d.append("Trained with DeepClass ").append(info.deepclassVersion()).append(" (Fiji plugin; ")
			.append("DL4J ").append(info.dl4jVersion()).append(") on ").append(info.created()).append(
				".\n\n");
		d.append("## Input and preprocessing\n\n").append(OnnxExporter.preprocessing(info)).append(
			".\n\n");
		d.append("## Classes\n\n");
		final List<String> ids = identifiers(info.classNames());
		for (int c = 0; c < ids.size(); c++)
			d.append("- output channel ").append(c).append(": ").append(info.classNames().get(c)).append(
				ids.get(c).equals(info.classNames().get(c)) ? "" : " (`" + ids.get(c) + "`)").append("\n");
		d.append("\n## Training\n\n");
		final ModelInfo.Training t = info.training();
		d.append("- architecture: ").append(info.architecture()).append(", ").append(info
			.parameterCount()).append(" parameters\n");
		if (t != null) {
			d.append("- training data fingerprint: ").append(t.dataFingerprint()).append(" (")
				.append(t.trainingImages()).append(" training, ").append(t.validationImages()).append(
					" validation images)\n");
			d.append("- settings: ").append(t.settings()).append("\n");
			if (t.device() != null) d.append("- trained on: ").append(t.device()).append("\n");
			if (t.augmentation() != null) d.append("- augmentation: ").append(t.augmentation())
				.append("\n");
			if (t.cancelled()) d.append("- training was stopped before its last epoch\n");
		}
		if (info.metrics() != null) d.append(String.format(Locale.ROOT, "- final: training " +
			"accuracy %.4f, loss %.4f; validation accuracy %.4f, loss %.4f%n", info.metrics()
				.trainAccuracy(), info.metrics().trainLoss(), info.metrics().validationAccuracy(), info
					.metrics().validationLoss()));
		d.append("\n## Validation\n\n");
		d.append(String.format(Locale.ROOT, "On %d labelled images given at export (data " +
			"fingerprint %s): accuracy %.4f.%n%n", report.count(), images.fingerprint(), report
				.accuracy()));
		d.append("| class | precision | recall | F1 |\n|---|---|---|---|\n");
		for (int c = 0; c < report.classNames().size(); c++)
			d.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f | %.3f |%n", report.classNames().get(
				c), report.precision()[c], report.recall()[c], report.f1()[c]));
		d.append("\nConfusion matrix (rows: true class, columns: predicted):\n\n```\n").append(report
			.confusionMatrixText()).append("\n```\n\n");
		d.append("The test tensors hold the first of these images (raw values) and DeepClass's " +
			"probabilities for it. To validate on your own data, classify labelled images and " +
			"compare; in Fiji, DeepClass's Evaluate Classifier does this with ").append(
				DEEPCLASS_MODEL).append(".\n");
		return d.toString();
	}

	static String sha256(final byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
		}
		catch (final NoSuchAlgorithmException e) {
			throw new IllegalStateException(e);
		}
	}

	private static boolean blank(final String s) {
		return s == null || s.isBlank();
	}
}
