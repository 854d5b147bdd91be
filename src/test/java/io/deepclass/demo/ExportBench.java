package io.deepclass.demo;

import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.deepclass.core.bundle.ModelBundle;
import io.deepclass.core.bundle.ModelFiles;
import io.deepclass.core.data.Dataset;
import io.deepclass.core.data.IdxReader;
import io.deepclass.core.data.ImageShape;
import io.deepclass.core.data.Normalization;
import io.deepclass.core.backend.NativeBackend;
import io.deepclass.core.export.BioImageIoPackage;
import io.deepclass.core.export.OnnxExporter;
import io.deepclass.core.model.ArchitectureSpec;
import io.deepclass.core.pipeline.TrainingPipeline;
import io.deepclass.core.pipeline.TrainingRecipe;
import io.deepclass.core.predict.Classifier;
import io.deepclass.core.train.TrainingSettings;
import io.deepclass.core.transfer.TransferTraining;

/**
 * Exports models trained on Fashion-MNIST (every reference architecture, 1 epoch on 6 000
 * images, plus any DeepClass model files given) as ONNX files and bioimage.io packages into
 * {@code out}, then for each prints the largest probability difference between ONNX Runtime
 * and DeepClass on 2 000 test images, and both one's inference images/s on the same images,
 * batch 256, the same number of threads, each including the per-image normalisation. Used by
 * {@code src/test/e2e/export_e2e.sh}, which then checks the files with Python's ONNX checker and
 * numpy.
 * <p>
 * {@code ExportBench <out> <threads> [DeepClass model files of Fashion-MNIST classes ...]};
 * {@code -Darchitectures=linear,lenet} trains only those, and it exits 1 when a difference is
 * above {@code -Dmax.difference} (default 1e-4) or not a number.
 */
public final class ExportBench {

	public static void main(final String[] args) throws Exception {
		final Path out = Files.createDirectories(Paths.get(args[0]));
		final int threads = Integer.parseInt(args[1]);
		NativeBackend.select();
		final Path fm = Paths.get(System.getProperty("fashion.mnist", FashionMnistDemo.DEFAULT_DATA));
		final Dataset train = IdxReader.readSplit(fm, "train", IdxReader.FASHION_MNIST_CLASSES).head(
			6000);
		final Dataset test = IdxReader.readSplit(fm, "t10k", IdxReader.FASHION_MNIST_CLASSES).head(2000);
		final List<Object[]> models = new ArrayList<>();
		final TrainingSettings settings = TrainingSettings.defaults().withEpochs(1).withSeed(42);
		final List<String> architectures = System.getProperty("architectures") == null
			? ArchitectureSpec.REFERENCE : List.of(System.getProperty("architectures").split(","));
		for (final String a : architectures)
			models.add(new Object[] { a, new TrainingPipeline(null, null).train(new TrainingRecipe(
				ArchitectureSpec.parse(a), settings, 0.1).withNormalization(Normalization.Method.PERCENTILE,
					1, 99.8), train).bundle() });
		for (int i = 2; i < args.length; i++)
			models.add(new Object[] { Paths.get(args[i]).getFileName().toString(), ModelFiles.load(Paths
				.get(args[i])) });

		System.out.printf(Locale.ROOT, "%-28s %12s %14s %14s %8s%n", "model", "max |dp|",
			"DeepClass img/s", "ORT img/s", "ORT/DC");
		final OrtEnvironment env = OrtEnvironment.getEnvironment();
		// -Dmax.difference: the largest probability difference that passes (CI's end-to-end check)
		final double maxDifference = Double.parseDouble(System.getProperty("max.difference", "1e-4"));
		final List<String> failed = new ArrayList<>();
		for (final Object[] m : models) {
			final String name = ((String) m[0]).replaceAll("[^A-Za-z0-9_.-]", "_");
			final ModelBundle model = (ModelBundle) m[1];
			final ImageShape shape = model.info().inputShape();
			final Dataset mine = ofClasses(test, model.info().classNames());
			final Dataset images = model.info().input().resizes() ? TransferTraining.toBackboneInput(
				mine, shape) : mine;
			final Path onnx = out.resolve(name + ".onnx");
			OnnxExporter.write(model, onnx);
			BioImageIoPackage.write(model, images.head(100), null, new BioImageIoPackage.Details(
				"Fashion-MNIST " + name, null, List.of("DeepClass export bench"), "MIT"), out.resolve(name +
					".bioimage.io.zip"));

			final Classifier classifier = new Classifier(model);
			classifier.classify(images.head(256)); // warm up
			long t = System.nanoTime();
			final float[][] expected = classifier.classify(images).probabilities();
			final double deepclass = images.size() / ((System.nanoTime() - t) / 1e9);

			final OrtSession.SessionOptions options = new OrtSession.SessionOptions();
			options.setIntraOpNumThreads(threads);
			options.setInterOpNumThreads(1);
			double largest = 0, ort;
			try (OrtSession session = env.createSession(onnx.toString(), options)) {
				run(env, session, perImage(model, images.head(256)), shape, 0, 256); // warm up
				t = System.nanoTime();
				// the per-image step (percentile scaling) is timed too: DeepClass's rate includes it
				final float[] input = perImage(model, images);
				for (int from = 0; from < images.size(); from += 256) {
					final int n = Math.min(256, images.size() - from);
					final float[][] p = run(env, session, input, shape, from, n);
					for (int i = 0; i < n; i++)
						for (int k = 0; k < p[i].length; k++)
							largest = Math.max(largest, Math.abs(p[i][k] - expected[from + i][k]));
				}
				ort = images.size() / ((System.nanoTime() - t) / 1e9);
			}
			System.out.printf(Locale.ROOT, "%-28s %12.2e %14.0f %14.0f %8.2f%n", name, largest,
				deepclass, ort, ort / deepclass);
			if (!(largest <= maxDifference)) failed.add(name + " (" + largest + ")");
		}
		if (!failed.isEmpty()) {
			System.out.println("FAILED: ONNX Runtime's probabilities differ from DeepClass's by more " +
				"than " + maxDifference + ": " + String.join(", ", failed));
			System.exit(1);
		}
	}

	private static float[][] run(final OrtEnvironment env, final OrtSession session,
		final float[] input, final ImageShape shape, final int from, final int n) throws Exception
	{
		final FloatBuffer batch = FloatBuffer.wrap(input, from * shape.size(), n * shape.size())
			.slice();
		try (OnnxTensor tensor = OnnxTensor.createTensor(env, batch, new long[] { n, shape.channels(),
			shape.height(), shape.width() });
			OrtSession.Result result = session.run(Map.of(OnnxExporter.INPUT, tensor)))
		{
			return (float[][]) result.get(0).getValue();
		}
	}

	/**
	 * The images of the model's classes, labelled as the model numbers them (class folders name
	 * "Ankle boot" "Ankle-boot").
	 */
	static Dataset ofClasses(final Dataset images, final List<String> classes) {
		if (images.classNames().equals(classes)) return images;
		final List<Integer> keep = new ArrayList<>();
		final List<Integer> labels = new ArrayList<>();
		for (int i = 0; i < images.size(); i++) {
			final String name = images.classNames().get(images.label(i)).replaceAll("[ /]", "-");
			final int k = classes.indexOf(name);
			if (k >= 0) {
				keep.add(i);
				labels.add(k);
			}
		}
		final Dataset subset = images.subset(keep.stream().mapToInt(Integer::intValue).toArray());
		final String[] sources = new String[subset.size()];
		for (int i = 0; i < sources.length; i++)
			sources[i] = subset.source(i);
		return new Dataset(subset.shape(), classes, subset.images(), labels.stream().mapToInt(
			Integer::intValue).toArray(), sources);
	}

	/** The images after the per-image step of the model's normalisation (as the metadata says). */
	static float[] perImage(final ModelBundle model, final Dataset images) {
		return OnnxExporter.input(model.info(), images);
	}
}
