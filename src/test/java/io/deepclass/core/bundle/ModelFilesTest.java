package io.deepclass.core.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
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
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

import io.deepclass.core.TestData;
import io.deepclass.core.data.Dataset;
import io.deepclass.core.model.Network;
import io.deepclass.core.predict.Classifier;
import io.deepclass.core.predict.Predictions;
import io.deepclass.core.train.TrainingSettings;

class ModelFilesTest {

	@TempDir
	Path dir;

	private static final Dataset TRAIN = TestData.stripes(120, 12, 5);

	private static final Dataset TEST = TestData.stripes(40, 12, 6);

	private static ModelBundle trained;

	@BeforeAll
	static void train() {
		trained = TestData.model("cnn:4,dense=8", TRAIN, TEST, TrainingSettings.defaults().withEpochs(1)
			.withBatchSize(16));
	}

	@Test
	void saveThenLoadGivesIdenticalPredictionsAndMetadata() throws IOException {
		final Path file = dir.resolve("model.zip");
		ModelFiles.save(trained, file);
		final ModelBundle loaded = ModelFiles.load(file);
		final Predictions before = new Classifier(trained).classify(TEST);
		final Predictions after = new Classifier(loaded).classify(TEST);
		assertArrayEquals(before.predicted(), after.predicted());
		for (int i = 0; i < TEST.size(); i++)
			assertArrayEquals(before.probabilities()[i], after.probabilities()[i]);
		final ModelInfo info = loaded.info();
		assertEquals(List.of("horizontal", "vertical"), info.classNames());
		assertEquals(TRAIN.shape(), info.inputShape());
		assertArrayEquals(trained.info().normalization().mean(), info.normalization().mean());
		assertEquals("cnn:4,dense=8", info.architecture());
		assertEquals(TRAIN.fingerprint(), info.training().dataFingerprint());
		assertEquals(42, info.training().settings().seed());
		assertEquals(trained.info().history(), info.history());
		assertEquals(ModelInfo.FORMAT_VERSION, info.formatVersion());
		assertEquals(trained.network().updaterState(), loaded.network().updaterState(),
			"optimiser state kept, so training can resume");
	}

	@Test
	void savingReplacesAnExistingFileAndLeavesNoTemporaryFiles() throws IOException {
		final Path file = dir.resolve("model.zip");
		Files.writeString(file, "an older model");
		ModelFiles.save(trained, file);
		assertEquals(trained.info().classNames(), ModelFiles.load(file).info().classNames());
		try (var listing = Files.list(dir)) {
			assertEquals(List.of(file), listing.toList());
		}
	}

	@Test
	void temporaryFilesOfKilledSavesAreRemovedWhenStaleAndNeverLoadedAsModels() throws IOException {
		final Path file = dir.resolve("model2.zip");
		final Path stale = Files.writeString(dir.resolve(".model2.zip7316480214453261.part"), "PK");
		final Path young = Files.writeString(dir.resolve(".model2.zip91.part"), "PK");
		final Path otherModels = Files.writeString(dir.resolve(".model.zip123.part"), "PK");
		final FileTime old = FileTime.from(Instant.now().minus(ModelFiles.STALE_TEMPORARY)
			.minusSeconds(60));
		Files.setLastModifiedTime(stale, old);
		Files.setLastModifiedTime(otherModels, old);
		ModelFiles.save(trained, file);
		assertFalse(Files.exists(stale), "a temporary file older than any save is removed");
		assertTrue(Files.exists(young), "a young one may be another process's save in progress");
		assertTrue(Files.exists(otherModels), "only the saved file's own temporary files go");
		ModelFiles.save(trained, young.resolveSibling(".model2.zip91.part.zip"));
		final ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFiles
			.load(young));
		assertTrue(e.getMessage().contains("temporary file of a save that was interrupted"), e
			.getMessage());
		assertEquals(trained.info().classNames(), ModelFiles.load(young.resolveSibling(
			".model2.zip91.part.zip")).info().classNames(), "a model may have any name but theirs");
	}

	@Test
	void computationGraphsRoundTripToo() throws IOException {
		final ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(3)
			.updater(new Adam(1e-3)).graphBuilder().addInputs("image").setInputTypes(InputType
				.convolutional(12, 12, 1)).addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(4)
					.activation(Activation.RELU).build(), "image").addLayer("pool",
						new GlobalPoolingLayer.Builder().build(), "conv").addLayer("out",
							new OutputLayer.Builder(LossFunction.MCXENT).nOut(2).activation(
								Activation.SOFTMAX).build(), "pool").setOutputs("out").build();
		final ComputationGraph graph = new ComputationGraph(conf);
		graph.init();
		final ModelBundle bundle = new ModelBundle(Network.of(graph), trained.info());
		final Path file = dir.resolve("graph.zip");
		ModelFiles.save(bundle, file);
		final ModelBundle loaded = ModelFiles.load(file);
		assertEquals("ComputationGraph", loaded.network().kind());
		final Predictions a = new Classifier(bundle).classify(TEST);
		final Predictions b = new Classifier(loaded).classify(TEST);
		for (int i = 0; i < TEST.size(); i++)
			assertArrayEquals(a.probabilities()[i], b.probabilities()[i]);
	}

	@Test
	void theNetworkIsWhatDl4jRestoresWithItsArraysStoredAndEarlierFilesStillLoad()
		throws IOException
	{
		final Path file = dir.resolve("model.zip");
		ModelFiles.save(trained, file);
		final byte[] network;
		try (ZipFile zip = new ZipFile(file.toFile())) {
			network = zip.getInputStream(zip.getEntry(ModelFiles.NETWORK_ENTRY)).readAllBytes();
		}
		final MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(
			new ByteArrayInputStream(network), true);
		assertSameProbabilities(trained, new ModelBundle(Network.of(restored), trained.info()));
		assertEquals(trained.network().updaterState(), restored.getUpdater().getStateViewArray());
		final Path inner = Files.write(dir.resolve("network.zip"), network);
		try (ZipFile zip = new ZipFile(inner.toFile())) {
			final ZipEntry params = zip.getEntry(NetworkZip.COEFFICIENTS);
			assertTrue(params.getCompressedSize() >= params.getSize(), "parameters stored, not " +
				"deflated: " + params.getCompressedSize() + " of " + params.getSize() + " bytes");
		}
		// as DeepClass wrote model files before: the network by ModelSerializer, all deflated
		final Path earlier = dir.resolve("earlier.zip");
		try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(earlier))) {
			zip.putNextEntry(new ZipEntry(ModelFiles.INFO_ENTRY));
			zip.write(ModelFiles.toJson(trained.info()).getBytes(StandardCharsets.UTF_8));
			zip.putNextEntry(new ZipEntry(ModelFiles.NETWORK_ENTRY));
			final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
			ModelSerializer.writeModel(trained.network().model(), bytes, true);
			zip.write(bytes.toByteArray());
		}
		final ModelBundle loaded = ModelFiles.load(earlier);
		assertSameProbabilities(trained, loaded);
		assertEquals(trained.network().updaterState(), loaded.network().updaterState());
	}

	private static void assertSameProbabilities(final ModelBundle expected,
		final ModelBundle actual)
	{
		final Predictions a = new Classifier(expected).classify(TEST);
		final Predictions b = new Classifier(actual).classify(TEST);
		for (int i = 0; i < TEST.size(); i++)
			assertArrayEquals(a.probabilities()[i], b.probabilities()[i]);
	}

	@Test
	void missingCorruptForeignNewerAndTruncatedFilesAreExplained() throws IOException {
		assertThrows(NoSuchFileException.class, () -> ModelFiles.load(dir.resolve("nope.zip")));

		final Path garbage = dir.resolve("garbage.zip");
		Files.write(garbage, "this is not a zip".getBytes(StandardCharsets.UTF_8));
		assertMessage(garbage, "is not a DeepClass model file");

		final Path foreign = dir.resolve("foreign.zip");
		writeZip(foreign, "configuration.json", "{}");
		assertMessage(foreign, "no deepclass.json");

		final Path good = dir.resolve("good.zip");
		ModelFiles.save(trained, good);
		final String json = ModelFiles.toJson(trained.info());
		final Path newer = dir.resolve("newer.zip");
		writeZip(newer, ModelFiles.INFO_ENTRY, json.replace("\"formatVersion\": 1",
			"\"formatVersion\": 99"));
		assertMessage(newer, "newer DeepClass (model format 99");

		final Path other = dir.resolve("other.zip");
		writeZip(other, ModelFiles.INFO_ENTRY, json.replace("deepclass-model", "something-else"));
		assertMessage(other, "is not a DeepClass model");

		final Path noNetwork = dir.resolve("nonet.zip");
		writeZip(noNetwork, ModelFiles.INFO_ENTRY, json);
		assertMessage(noNetwork, "has no network");

		final Path truncated = dir.resolve("truncated.zip");
		final byte[] bytes = Files.readAllBytes(good);
		Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
		assertThrows(ModelFormatException.class, () -> ModelFiles.load(truncated));

		final Path wrongClasses = dir.resolve("classes.zip");
		copyWithInfo(good, wrongClasses, json.replace("\"vertical\"", "\"vertical\", \"diagonal\""));
		assertMessage(wrongClasses, "2 outputs but 3 classes");
	}

	private static void assertMessage(final Path file, final String expected) {
		final ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFiles.load(
			file));
		assertTrue(e.getMessage().contains(expected), e.getMessage());
		assertTrue(e.getMessage().contains(file.getFileName().toString()), "names the file");
	}

	private static void writeZip(final Path file, final String entry, final String content)
		throws IOException
	{
		try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
			zip.putNextEntry(new ZipEntry(entry));
			zip.write(content.getBytes(StandardCharsets.UTF_8));
			zip.closeEntry();
		}
	}

	private static void copyWithInfo(final Path from, final Path to, final String json)
		throws IOException
	{
		try (ZipFile in = new ZipFile(from.toFile()); OutputStream raw = Files.newOutputStream(to);
			ZipOutputStream zip = new ZipOutputStream(raw))
		{
			zip.putNextEntry(new ZipEntry(ModelFiles.INFO_ENTRY));
			zip.write(json.getBytes(StandardCharsets.UTF_8));
			zip.closeEntry();
			zip.putNextEntry(new ZipEntry(ModelFiles.NETWORK_ENTRY));
			in.getInputStream(in.getEntry(ModelFiles.NETWORK_ENTRY)).transferTo(zip);
			zip.closeEntry();
		}
	}
}
