package io.deepclass.demo;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import io.deepclass.core.backend.NativeStart;
import io.deepclass.core.data.Dataset;
import io.deepclass.core.data.FolderReader;
import io.deepclass.core.data.ImageShape;
import io.deepclass.core.data.Normalization;
import io.deepclass.core.model.ArchitectureSpec;
import io.deepclass.core.pipeline.TrainingPipeline;
import io.deepclass.core.pipeline.TrainingRecipe;
import io.deepclass.core.predict.Classifier;
import io.deepclass.core.predict.EvaluationReport;
import io.deepclass.core.train.Optimizer;
import io.deepclass.core.train.TrainingSettings;
import io.deepclass.core.transfer.TransferTraining;
import io.deepclass.ij.input.IjImageDecoder;

/**
 * One cell of the "what transfer buys" table: {@code TransferTable backbone.onnx train test
 * perClass strategy epochs} trains on at most {@code perClass} images per class of the train
 * folder (0: all; a seeded choice) and prints the test accuracy. Strategies: scratch (DeepClass's
 * own CNN at the backbone's input size), features, finetune (the PyTorch peer's recipe: Adam
 * 0.001 for the head, then everything at 0.0001). Run by {@code bench/transfer_table.sh}.
 * An optional 7th argument is the seed (default 42: the training and the per-class choice). It
 * prints {@code model_s}: seconds from the process's start (the bench's {@code BENCH_START_NS},
 * taken just before launching it, else the JVM's start) to the trained model, as
 * {@code bench/peer_timed.py} does for the peer ({@code bench/few_labels.sh}).
 */
public final class TransferTable {

	private static final PrintStream OUT = System.out;

	private TransferTable() {}

	public static void main(final String[] args) throws Exception {
		final long launched = System.getenv("BENCH_START_NS") != null ? Long.parseLong(System.getenv(
			"BENCH_START_NS")) : ManagementFactory.getRuntimeMXBean().getStartTime() * 1_000_000L;
		NativeStart.inBackground(); // as the commands do: ND4J loads while the folders are read
		final long seed = args.length > 6 ? Long.parseLong(args[6]) : 42;
		final Path backbone = Path.of(args[0]);
		final int perClass = Integer.parseInt(args[3]);
		final String strategy = args[4];
		final int epochs = Integer.parseInt(args[5]);
		final int size = 32;
		final FolderReader reader = new FolderReader(new IjImageDecoder(), "scratch".equals(strategy)
			? new ImageShape(1, size, size) : null);
		final Dataset train = choose(reader.read(Path.of(args[1])).dataset(), perClass, seed);
		final Dataset test = reader.read(Path.of(args[2])).dataset();
		final TrainingSettings settings = TrainingSettings.defaults().withEpochs(epochs).withBatchSize(
			32).withOptimizer(Optimizer.ADAM, 0.001).withSeed(seed);
		TrainingRecipe recipe = new TrainingRecipe(ArchitectureSpec.parse("cnn:32-64,dense=128"),
			settings, 0).withNormalization(Normalization.Method.BIT_DEPTH, 0, 0);
		if (!"scratch".equals(strategy)) recipe = recipe.withPretrained(new TrainingRecipe.Pretrained(
			backbone, null, 0, new TransferTraining.Settings(TransferTraining.Strategy.parse(
				"finetune".equals(strategy) ? "fine-tune" : strategy), 0, 0, "finetune".equals(strategy)
					? epochs : 0, 0.1)));
		final long start = System.nanoTime();
		final var model = new TrainingPipeline(null, null).train(recipe, train, null).bundle();
		final double seconds = (System.nanoTime() - start) / 1e9;
		final Instant now = Instant.now();
		final double sinceLaunch = (now.getEpochSecond() * 1_000_000_000L + now.getNano() -
			launched) / 1e9;
		final double accuracy = EvaluationReport.of(test, new Classifier(model).classify(test))
			.accuracy();
		OUT.printf(Locale.ROOT, "{\"peer\": \"deepclass\", \"task\": \"transfer\", \"strategy\": " +
			"\"%s\", \"per_class\": %d, \"train_images\": %d, \"test_acc\": %.4f, \"seconds\": %.2f, " +
			"\"model_s\": %.2f, \"seed\": %d}%n", strategy, perClass, train.size(), accuracy, seconds,
			sinceLaunch, seed);
	}

	/** At most {@code perClass} images of each class, a seeded choice (0: all). */
	static Dataset choose(final Dataset all, final int perClass, final long seed) {
		if (perClass <= 0) return all;
		final Random random = new Random(seed);
		final List<Integer> keep = new ArrayList<>();
		for (int c = 0; c < all.numClasses(); c++) {
			final List<Integer> members = new ArrayList<>();
			for (int i = 0; i < all.size(); i++)
				if (all.label(i) == c) members.add(i);
			Collections.shuffle(members, random);
			keep.addAll(members.subList(0, Math.min(perClass, members.size())));
		}
		Collections.sort(keep);
		return all.subset(keep.stream().mapToInt(Integer::intValue).toArray());
	}
}
