package io.deepclass.core.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.deepclass.core.bundle.ModelBundle;
import io.deepclass.core.data.ArrayImageStore;
import io.deepclass.core.data.Dataset;
import io.deepclass.core.data.ImageShape;
import io.deepclass.core.data.Normalization;
import io.deepclass.core.model.ArchitectureSpec;
import io.deepclass.core.pipeline.TrainingPipeline;
import io.deepclass.core.pipeline.TrainingRecipe;
import io.deepclass.core.predict.Classifier;
import io.deepclass.core.train.Optimizer;
import io.deepclass.core.train.TrainingSettings;

/**
 * Every DeepClass architecture, exported to ONNX and run by ONNX Runtime (an implementation that
 * shares no code with DeepClass), gives the probabilities DeepClass's Classifier gives on the
 * same images, within 1e-5: gray, RGB and 2-channel inputs, BatchNorm and dropout in inference
 * mode, dataset and percentile normalisation (the per-image part applied before the graph, as
 * the file's metadata says).
 */
class OnnxExporterTest {

	@TempDir
	Path dir;

	static final TrainingSettings SETTINGS = TrainingSettings.defaults().withEpochs(1).withBatchSize(
		16).withOptimizer(Optimizer.ADAM, 0.003).withSeed(5);

	/** n images of 3 classes: noise with a class-dependent bright quadrant in a class channel. */
	static Dataset images(final ImageShape shape, final int n, final long seed) {
		final Random random = new Random(seed);
		final float[] pixels = new float[n * shape.size()];
		final int[] labels = new int[n];
		final String[] sources = new String[n];
		final int plane = shape.height() * shape.width();
		for (int i = 0; i < n; i++) {
			labels[i] = i % 3;
			sources[i] = "image#" + i;
			for (int c = 0; c < shape.channels(); c++)
				for (int y = 0; y < shape.height(); y++)
					for (int x = 0; x < shape.width(); x++) {
						final boolean bright = c == labels[i] % shape.channels() && (labels[i] == 0 ? y < shape
							.height() / 2 : labels[i] == 1 ? x < shape.width() / 2 : y >= shape.height() / 2);
						pixels[i * shape.size() + c * plane + y * shape.width() + x] = 500 + 300 * c +
							(float) random.nextGaussian() * 100 + (bright ? 800 : 0);
					}
		}
		return new Dataset(shape, List.of("a", "b", "c"), new ArrayImageStore(pixels, shape.size()),
			labels, sources);
	}

	static List<Object[]> architectures() {
		final ImageShape gray = new ImageShape(1, 28, 28), rgb = new ImageShape(3, 32, 32), two =
			new ImageShape(2, 24, 20);
		final List<Object[]> cases = new java.util.ArrayList<>();
		for (final String reference : ArchitectureSpec.REFERENCE)
			cases.add(new Object[] { reference, gray, Normalization.Method.DATASET });
		cases.add(new Object[] { "mlp:32-16", two, Normalization.Method.PERCENTILE });
		cases.add(new Object[] { "cnn:8-16,bn=true,dense=32", rgb, Normalization.Method.DATASET });
		cases.add(new Object[] { "cnn:8,kernel=5,dropout=0.5", two, Normalization.Method.PERCENTILE });
		cases.add(new Object[] { "bncnn", new ImageShape(3, 28, 28), Normalization.Method.BIT_DEPTH });
		return cases;
	}

	@ParameterizedTest(name = "{0} on {1}, {2}")
	@MethodSource("architectures")
	void onnxRuntimeGivesDeepClasssProbabilities(final String architecture, final ImageShape shape,
		final Normalization.Method method) throws Exception
	{
		final Dataset train = images(shape, 48, 1), test = images(shape, 12, 2);
		final ModelBundle model = new TrainingPipeline(null, null).train(new TrainingRecipe(
			ArchitectureSpec.parse(architecture), SETTINGS, 0).withNormalization(method, 1, 99.8), train)
			.bundle();
		final Path file = dir.resolve("model.onnx");
		OnnxExporter.write(model, file);
		final float[][] expected = new Classifier(model).classify(test).probabilities();
		final float[][] actual = run(file, perImage(model, test), shape, test.size());
		final double difference = largestDifference(expected, actual);
		System.out.printf(java.util.Locale.ROOT, "ONNX export %s (%s, %s): largest probability " +
			"difference %.2e%n", architecture, shape, method, difference);
		assertTrue(difference <= 1e-5, architecture + ": " + difference);
	}

	/**
	 * DL4J's BatchNorm divides by sqrt(std^2 + eps) also when it stores log10(std): a trained
	 * network's channels often have std^2 near or below eps (1e-5), where any other reading of
	 * the parameters is visibly off.
	 */
	@org.junit.jupiter.api.Test
	void batchNormWithChannelsOfTinyVarianceExportsExactly() throws Exception {
		final ImageShape shape = new ImageShape(1, 20, 20);
		final Dataset train = images(shape, 48, 1), test = images(shape, 12, 2);
		final ModelBundle model = new TrainingPipeline(null, null).train(new TrainingRecipe(
			ArchitectureSpec.parse("cnn:8,bn=true,dense=16"), SETTINGS, 0).withNormalization(
				Normalization.Method.DATASET, 1, 99.8), train).bundle();
		final Random random = new Random(3);
		for (final var layer : ((org.deeplearning4j.nn.multilayer.MultiLayerNetwork) model.network()
			.model()).getLayers())
			if (layer.paramTable().containsKey("log10stdev")) {
				final var logStd = layer.getParam("log10stdev");
				final var gamma = layer.getParam("gamma");
				for (int c = 0; c < logStd.length(); c++) { // std 1e-3 to 1e-2: std^2 around eps
					logStd.putScalar(c, -3 + random.nextDouble());
					gamma.putScalar(c, 0.003 * (1 + random.nextDouble())); // outputs of order 1
				}
			}
		final Path file = dir.resolve("tiny.onnx");
		OnnxExporter.write(model, file);
		final float[][] expected = new Classifier(model).classify(test).probabilities();
		final double difference = largestDifference(expected, run(file, perImage(model, test), shape,
			test.size()));
		System.out.printf(java.util.Locale.ROOT, "ONNX export, BatchNorm std^2 near eps: largest " +
			"probability difference %.2e%n", difference);
		assertTrue(difference <= 1e-5, "" + difference);
	}

	/** The test images after the per-image step of the model's normalisation. */
	static float[] perImage(final ModelBundle model, final Dataset images) {
		return OnnxExporter.input(model.info(), images);
	}

	static float[][] run(final Path file, final float[] input, final ImageShape shape, final int n)
		throws IOException, OrtException
	{
		final OrtEnvironment env = OrtEnvironment.getEnvironment();
		try (OrtSession session = env.createSession(Files.readAllBytes(file),
			new OrtSession.SessionOptions());
			OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), new long[] { n,
				shape.channels(), shape.height(), shape.width() });
			OrtSession.Result result = session.run(Map.of(OnnxExporter.INPUT, tensor)))
		{
			assertEquals(OnnxExporter.OUTPUT, session.getOutputNames().iterator().next());
			return (float[][]) result.get(0).getValue();
		}
	}

	static double largestDifference(final float[][] a, final float[][] b) {
		assertEquals(a.length, b.length);
		double max = 0;
		for (int i = 0; i < a.length; i++) {
			assertEquals(a[i].length, b[i].length);
			for (int k = 0; k < a[i].length; k++)
				max = Math.max(max, Math.abs(a[i][k] - b[i][k]));
		}
		return max;
	}
}
