package io.deepclass.core.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import io.deepclass.core.TestData;
import io.deepclass.core.bundle.ModelBundle;
import io.deepclass.core.data.Dataset;
import io.deepclass.core.data.ImageShape;
import io.deepclass.core.data.Normalization;
import io.deepclass.core.model.ArchitectureSpec;
import io.deepclass.core.pipeline.TrainingPipeline;
import io.deepclass.core.pipeline.TrainingRecipe;
import io.deepclass.core.predict.Classifier;
import io.deepclass.core.predict.EvaluationReport;
import io.deepclass.core.transfer.Backbone;
import io.deepclass.core.transfer.TransferTraining;

/**
 * Transfer models (an imported PyTorch backbone with a DeepClass head, fine-tuned, its
 * BatchNorm frozen or not) export as exactly as DeepClass's own architectures; and an exported
 * file comes back through the ONNX importer with the same predictions and fine-tunes.
 */
class OnnxRoundTripTest {

	@TempDir
	Path dir;

	private Backbone fixture(final String name) throws IOException {
		final Path file = dir.resolve(name + ".onnx");
		try (InputStream in = getClass().getResourceAsStream("/io/deepclass/core/onnx/" + name +
			".onnx"))
		{
			Files.copy(in, file);
		}
		return Backbone.load(file, null);
	}

	private static Normalization imagenet(final Dataset train) {
		return Normalization.fit(Normalization.Method.PERCENTILE, train, 1, 99.8).thenStandardize(
			TransferTraining.IMAGENET_MEAN, TransferTraining.IMAGENET_STD);
	}

	private ModelBundle transferModel(final String fixture, final boolean frozenBatchNorm)
		throws IOException
	{
		final Backbone b = fixture(fixture.equals("features") ? "residual" : fixture);
		final Dataset train = TransferTraining.toBackboneInput(TestData.stripes(48, 12, 5), b.input());
		final TransferTraining.Settings settings = fixture.equals("features")
			? TransferTraining.Settings.of(TransferTraining.Strategy.FEATURES)
			: new TransferTraining.Settings(TransferTraining.Strategy.FINE_TUNE, 8, 0.2, 1, 0.1)
				.withUnfreeze(0, frozenBatchNorm);
		final TransferTraining.Result r = TransferTraining.train(b, settings,
			OnnxExporterTest.SETTINGS.withEpochs(1), imagenet(train), train, null, null, null);
		return ModelBundle.of(r.result(), "pretrained " + fixture, OnnxExporterTest.SETTINGS, imagenet(
			train), null, train, null);
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "residual", "mobile", "excite", "residual, frozen BatchNorm",
		"features" })
	void transferModelsExportExactly(final String which) throws Exception {
		final ModelBundle model = transferModel(which.split(",")[0], which.contains("frozen"));
		final Path file = dir.resolve("transfer.onnx");
		OnnxExporter.write(model, file);
		final ImageShape shape = model.info().inputShape();
		final Dataset test = TransferTraining.toBackboneInput(TestData.stripes(10, 12, 9), shape);
		final float[][] expected = new Classifier(model).classify(test).probabilities();
		final float[][] actual = OnnxExporterTest.run(file, OnnxExporterTest.perImage(model, test),
			shape, test.size());
		final double difference = OnnxExporterTest.largestDifference(expected, actual);
		System.out.printf(Locale.ROOT, "ONNX export of transfer model %s: largest probability " +
			"difference %.2e%n", which, difference);
		assertTrue(difference <= 1e-5, which + ": " + difference);
	}

	/** A model of DeepClass's own: the imported graph's softmax equals the Classifier's. */
	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "cnn:8-16,bn=true,dense=32", "lenet" })
	void anExportedModelImportsBackWithTheSamePredictionsAndFineTunes(final String architecture)
		throws IOException
	{
		final ImageShape shape = new ImageShape(3, 28, 28);
		final Dataset train = OnnxExporterTest.images(shape, 60, 1), test = OnnxExporterTest.images(
			shape, 30, 2);
		final ModelBundle model = new TrainingPipeline(null, null).train(new TrainingRecipe(
			ArchitectureSpec.parse(architecture), OnnxExporterTest.SETTINGS.withEpochs(3), 0)
			.withNormalization(Normalization.Method.DATASET, 1, 99.8), train).bundle();
		final Path file = dir.resolve("exported.onnx");
		OnnxExporter.write(model, file);

		final Backbone back = Backbone.load(file, null);
		assertEquals(shape, back.input());
		final INDArray input = Nd4j.create(OnnxExporterTest.perImage(model, test), test.size(), shape
			.channels(), shape.height(), shape.width());
		final INDArray imported = back.graph().outputSingle(false, input);
		final float[][] expected = new Classifier(model).classify(test).probabilities();
		for (int i = 0; i < test.size(); i++)
			assertArrayEquals(expected[i], imported.getRow(i).toFloatVector(), 1e-5f, "image " + i);

		// fine-tuned on a new question about the same kind of images (bright top half or not): it
		// learns, and the exported standardisation inside the graph stays as it was
		final Dataset stripes = topOrNot(OnnxExporterTest.images(shape, 90, 3));
		final Dataset held = topOrNot(OnnxExporterTest.images(shape, 45, 4));
		final Normalization perImage = Normalization.fit(Normalization.Method.NONE, stripes, 0, 0);
		final TransferTraining.Result tuned = TransferTraining.train(back, new TransferTraining.Settings(
			TransferTraining.Strategy.FINE_TUNE, 16, 0, 3, 0.3), OnnxExporterTest.SETTINGS.withEpochs(6),
			perImage, stripes, null, null, null);
		final ComputationGraph graph = (ComputationGraph) tuned.network().model();
		final String standardise = graph.getConfiguration().getTopologicalOrderStr().get(1);
		for (final String key : new String[] { "W", "b" })
			assertArrayEquals(back.graph().getLayer(standardise).getParam(key).dup().data().asFloat(), graph
				.getLayer(standardise).getParam(key).dup().data().asFloat(), 0f, "the exported " +
					"standardisation is left alone: " + key);
		final ModelBundle tunedModel = ModelBundle.of(tuned.result(), "re-imported " + architecture,
			OnnxExporterTest.SETTINGS, perImage, null, stripes, null);
		final double accuracy = EvaluationReport.of(held, new Classifier(tunedModel).classify(held))
			.accuracy();
		System.out.printf(Locale.ROOT, "re-imported %s fine-tuned to a new question: accuracy %.3f%n",
			architecture, accuracy);
		assertTrue(accuracy > 0.8, "fine-tuned re-import learns: " + accuracy);
	}

	/**
	 * Train Classifier on an exported DeepClass model as backbone: its own normalisation, not
	 * ImageNet's on top of the standardisation inside it; another normalisation is refused.
	 */
	@Test
	void trainingOnAnExportUsesItsOwnNormalisationAndRefusesAnother() throws IOException {
		final ImageShape shape = new ImageShape(2, 24, 20);
		final Dataset train = OnnxExporterTest.images(shape, 60, 1);
		final ModelBundle model = new TrainingPipeline(null, null).train(new TrainingRecipe(
			ArchitectureSpec.parse("cnn:8-16,dense=32"), OnnxExporterTest.SETTINGS.withEpochs(2), 0)
			.withNormalization(Normalization.Method.PERCENTILE, 2, 99), train).bundle();
		final Path file = dir.resolve("exported.onnx");
		OnnxExporter.write(model, file);
		final TrainingRecipe.Pretrained backbone = new TrainingRecipe.Pretrained(file, null, 0,
			TransferTraining.Settings.of(TransferTraining.Strategy.FEATURES));
		final Dataset newTask = topOrNot(OnnxExporterTest.images(shape, 60, 3));
		final var trained = new TrainingPipeline(null, null).train(new TrainingRecipe(ArchitectureSpec
			.parse("linear"), OnnxExporterTest.SETTINGS.withEpochs(3), 0).withNormalization(
				Normalization.Method.PERCENTILE, 1, 99.8).withPretrained(backbone), newTask).bundle();
		final Normalization used = trained.info().normalizationValues();
		assertEquals(Normalization.Method.PERCENTILE, used.method());
		assertEquals(2, used.lowPercentile(), "the export's own percentiles");
		assertEquals(99, used.highPercentile());
		assertArrayEquals(new float[] { 0, 0 }, used.mean(), "no ImageNet mean on top");
		assertArrayEquals(new float[] { 1, 1 }, used.std());
		final io.deepclass.core.DeepClassException e = org.junit.jupiter.api.Assertions.assertThrows(
			io.deepclass.core.DeepClassException.class, () -> new TrainingPipeline(null, null).train(
				new TrainingRecipe(ArchitectureSpec.parse("linear"), OnnxExporterTest.SETTINGS, 0)
					.withNormalization(Normalization.Method.DATASET, 1, 99.8).withPretrained(backbone),
				newTask));
		assertTrue(e.getMessage().contains("exported with normalization=percentile"), e.getMessage());
	}

	/** The images' classes a (bright top half) and b, c (not) as two classes. */
	private static Dataset topOrNot(final Dataset images) {
		final int[] labels = new int[images.size()];
		final String[] sources = new String[images.size()];
		for (int i = 0; i < labels.length; i++) {
			labels[i] = images.label(i) == 0 ? 0 : 1;
			sources[i] = images.source(i);
		}
		return new Dataset(images.shape(), java.util.List.of("top", "not top"), images.images(),
			labels, sources);
	}
}
