package io.deepclass.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;

import io.deepclass.core.DeepClassException;
import io.deepclass.core.bundle.ModelBundle;
import io.deepclass.core.bundle.ModelFiles;
import io.deepclass.core.data.Dataset;
import io.deepclass.core.data.IdxReader;
import io.deepclass.core.backend.NativeBackend;
import io.deepclass.core.backend.NativeThreads;
import io.deepclass.core.model.ArchitectureSpec;
import io.deepclass.core.pipeline.TrainedModel;
import io.deepclass.core.pipeline.TrainingPipeline;
import io.deepclass.core.pipeline.TrainingRecipe;
import io.deepclass.core.predict.Classifier;
import io.deepclass.core.predict.EvaluationReport;
import io.deepclass.core.predict.Predictions;
import io.deepclass.core.train.EpochStats;
import io.deepclass.core.train.LearningRateSchedule;
import io.deepclass.core.train.Optimizer;
import io.deepclass.core.train.TrainingListener;
import io.deepclass.core.train.TrainingResult;
import io.deepclass.core.train.TrainingSettings;

/**
 * The main job end to end on Fashion-MNIST: import, train, save, reload, classify the test
 * set, report accuracy and the confusion matrix. Run by {@code ./demo.sh}; {@code --help}
 * lists the options. Uses the Debian dataset when present, otherwise the embedded sample.
 */
public final class FashionMnistDemo {

	static final String DEFAULT_DATA = "/usr/share/datasets/fashion-mnist";

	static final String SAMPLE = "/io/deepclass/demo/fashion-mnist-sample/";

	private final PrintStream out;

	private FashionMnistDemo(final PrintStream out) {
		this.out = out;
	}

	public static void main(final String[] args) {
		NativeBackend.select();
		final PrintStream out = System.out;
		final DemoOptions options;
		try {
			options = DemoOptions.parse(args);
		}
		catch (final IllegalArgumentException e) {
			out.println("demo: " + e.getMessage());
			out.println(DemoOptions.USAGE);
			System.exit(2);
			return;
		}
		if (options.help()) {
			out.println(DemoOptions.USAGE);
			return;
		}
		try {
			new FashionMnistDemo(out).run(options);
		}
		catch (final DeepClassException | IOException e) {
			out.println("demo: " + e.getMessage());
			System.exit(1);
		}
	}

	private void run(final DemoOptions o) throws IOException {
		out.println("backend: " + NativeBackend.decision().reason());
		final Dataset[] data = loadData(o.dataDir());
		Dataset train = data[0];
		final Dataset test = data[1];
		if (o.trainLimit() > 0) train = train.head(o.trainLimit());
		out.printf(Locale.ROOT, "train: %s%ntest:  %s%n", train, test);

		final ArchitectureSpec spec = ArchitectureSpec.parse(o.model());
		final TrainingSettings settings = TrainingSettings.defaults().withEpochs(o.epochs())
			.withBatchSize(o.batch()).withOptimizer(Optimizer.parse(o.optimizer()), o.lr()).withSeed(o
				.seed()).withSchedule(o.learningRateSchedule());
		final TrainedModel trained = new TrainingPipeline(new ConsoleProgress(out, settings), null)
			.train(new TrainingRecipe(spec, settings, 0).withAugmentation(
				io.deepclass.core.data.Augmentation.parse(o.augment())), train, test);
		final TrainingResult result = trained.result();
		final Path modelFile = o.out() != null ? o.out() : Paths.get("target", "demo",
			"fashion-mnist-" + spec.family() + ".zip");
		TrainingPipeline.save(trained, modelFile);
		out.printf(Locale.ROOT, "saved %s (%,d bytes)%n", modelFile, Files.size(modelFile));

		final ModelBundle reloaded = ModelFiles.load(modelFile);
		final long start = System.nanoTime();
		final Predictions predictions = new Classifier(reloaded).classify(test);
		final double seconds = (System.nanoTime() - start) / 1e9;
		final EvaluationReport report = EvaluationReport.of(test, predictions);
		out.printf(Locale.ROOT, "reloaded model classified %,d test images in %.1f s (%.0f img/s)%n",
			predictions.size(), seconds, predictions.size() / seconds);
		out.printf(Locale.ROOT, "test accuracy: %.2f %%%n", 100 * report.accuracy());
		out.println("confusion matrix (rows: actual, columns: predicted):");
		out.print(report.confusionMatrixText());
		out.println("per class: precision recall F1");
		for (int c = 0; c < report.classNames().size(); c++)
			out.printf(Locale.ROOT, "  %-12s %.3f %.3f %.3f%n", report.classNames().get(c), report
				.precision()[c], report.recall()[c], report.f1()[c]);
		// one machine-readable line for bench/bench.sh (training speed: mean over the epochs)
		double imagesPerSecond = 0;
		for (final var epoch : result.history())
			imagesPerSecond += epoch.imagesPerSecond() / result.history().size();
		out.printf(Locale.ROOT, "result: {\"peer\": \"deepclass\", \"model\": \"%s\", \"epochs\": %d, " +
			"\"batch\": %d, \"train_img_per_s\": %.1f, \"eval_img_per_s\": %.1f, \"test_acc\": %.4f, " +
			"\"threads\": %d, \"native\": \"%s\", \"device\": \"%s\"}%n", spec, result.history().size(), settings
				.batchSize(), imagesPerSecond, predictions.size() / seconds, report.accuracy(),
			NativeThreads.configure(), NativeBackend.describeChoice(), NativeBackend.device());
	}

	private Dataset[] loadData(final Path dataDir) throws IOException {
		if (dataDir != null || Files.isDirectory(Paths.get(DEFAULT_DATA))) {
			final Path dir = dataDir != null ? dataDir : Paths.get(DEFAULT_DATA);
			out.println("data: " + dir);
			return new Dataset[] { IdxReader.readSplit(dir, "train", IdxReader.FASHION_MNIST_CLASSES),
				IdxReader.readSplit(dir, "t10k", IdxReader.FASHION_MNIST_CLASSES) };
		}
		out.println("data: " + DEFAULT_DATA + " is absent (install the Debian package " +
			"dataset-fashion-mnist for the full set); using the embedded sample");
		return new Dataset[] { sample("train"), sample("t10k") };
	}

	/** A split of the embedded Fashion-MNIST sample. */
	public static Dataset sample(final String split) throws IOException {
		try (InputStream images = resource(split + "-images-idx3-ubyte.gz");
			InputStream labels = resource(split + "-labels-idx1-ubyte.gz"))
		{
			return IdxReader.read(images, labels, IdxReader.FASHION_MNIST_CLASSES, "sample-" + split);
		}
	}

	private static InputStream resource(final String name) throws IOException {
		final InputStream in = FashionMnistDemo.class.getResourceAsStream(SAMPLE + name);
		if (in == null) throw new IOException("the embedded sample " + SAMPLE + name +
			" is missing from the build");
		return in;
	}

	/** Prints a line per epoch and a progress line every tenth of an epoch. */
	private static final class ConsoleProgress implements TrainingListener {

		private final PrintStream out;

		private final TrainingSettings settings;

		ConsoleProgress(final PrintStream out, final TrainingSettings settings) {
			this.out = out;
			this.settings = settings;
		}

		@Override
		public void trainingStarted(final String architecture, final long parameters,
			final Dataset train, final Dataset validation)
		{
			final LearningRateSchedule s = settings.schedule();
			out.printf(Locale.ROOT, "model: %s, %,d parameters; %d epochs, batch %d, %s lr %s%s, seed " +
				"%d%n", architecture, parameters, settings.epochs(), settings.batchSize(), settings
					.optimizer().name(), settings.learningRate(), s.kind() == LearningRateSchedule.Kind.NONE
						? "" : " (" + s.kind() + ": x" + s.factor() + " / " + s.every() + " epochs)",
				settings.seed());
		}

		@Override
		public void batchDone(final BatchProgress p) {
			final int step = Math.max(1, p.batches() / 10);
			if (p.batch() % step == 0 && p.batch() < p.batches())
				out.printf(Locale.ROOT, "  epoch %d/%d  %3.0f %%  loss %.4f  %.0f img/s  ETA %s%n", p
					.epoch(), p.epochs(), 100.0 * p.batch() / p.batches(), p.loss(), p.imagesPerSecond(),
					duration(p.etaSeconds()));
		}

		@Override
		public void epochDone(final EpochStats s) {
			out.printf(Locale.ROOT, "epoch %d: train loss %.4f acc %.2f %% | test loss %.4f acc " +
				"%.2f %% | %.0f img/s, %.1f s%n", s.epoch(), s.trainLoss(), 100 * s.trainAccuracy(), s
					.validationLoss(), 100 * s.validationAccuracy(), s.imagesPerSecond(), s.seconds());
		}

		private static String duration(final double seconds) {
			final long s = Math.round(seconds);
			return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60) : String
				.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
		}
	}
}
