package io.deepclass.core.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.BooleanSupplier;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

import io.deepclass.core.DeepClassException;
import io.deepclass.core.TemporaryFiles;
import io.deepclass.core.backend.NativeMemory;
import io.deepclass.core.backend.NativeSeed;
import io.deepclass.core.backend.NativeThreads;
import io.deepclass.core.data.Augmentation;
import io.deepclass.core.data.Batches;
import io.deepclass.core.data.Dataset;
import io.deepclass.core.data.DatasetChecks;
import io.deepclass.core.data.DiskImageStore;
import io.deepclass.core.data.Normalization;
import io.deepclass.core.model.Network;

/**
 * Trains a {@link Network} with mini-batch gradient descent (DL4J computes gradients and
 * updates): shuffled batches from a seeded generator, per-epoch validation, a learning-rate
 * schedule, progress to a {@link TrainingListener}, cancellation between batches, and a stop
 * with a clear message when the loss diverges.
 */
public final class Trainer {

	private final TrainingSettings settings;

	private final TrainingListener listener;

	private final BooleanSupplier cancelRequested;

	private Augmentation augmentation = Augmentation.NONE;

	/** What a cancel returns to: the weights at the end of the last completed epoch. */
	private Snapshot lastGood;

	/** With early stopping: the weights of the epoch with the lowest validation loss so far. */
	private Snapshot bestSnapshot;

	/** Snapshots larger than this many bytes go to a file. */
	private long snapshotMemoryLimit = Snapshot.MEMORY_LIMIT;

	public Trainer(final TrainingSettings settings, final TrainingListener listener,
		final BooleanSupplier cancelRequested)
	{
		this.settings = settings;
		this.listener = listener != null ? listener : new TrainingListener() {};
		this.cancelRequested = cancelRequested != null ? cancelRequested : () -> false;
	}

	/** Changes training images by {@code value} (seeded with the settings' seed); returns this. */
	public Trainer withAugmentation(final Augmentation value) {
		augmentation = value == null ? Augmentation.NONE : value;
		return this;
	}

	/** Keeps snapshots larger than {@code bytes} in files (tests: 0 puts every one there). */
	Trainer withSnapshotsInFilesAbove(final long bytes) {
		snapshotMemoryLimit = bytes;
		return this;
	}

	/**
	 * @param validation images to measure after each epoch, or null
	 * @return the trained network and its history; when cancelled, the weights of the last
	 *         completed epoch
	 * @throws TrainingDivergedException when the loss becomes NaN or infinite
	 */
	public TrainingResult train(final Network network, final Normalization normalization,
		final Dataset train, final Dataset validation)
	{
		return train(network, normalization, train, validation, List.of());
	}

	/**
	 * As above, going on from a run that trained {@code network} for {@code before}'s epochs on
	 * the same images: epochs are numbered on, the shuffle goes on where that run's would have,
	 * and the returned history holds both runs' epochs. Without augmentation and dropout, two runs
	 * of 2 epochs give the weights of one run of 4 bit for bit.
	 */
	public TrainingResult train(final Network network, final Normalization normalization,
		final Dataset train, final Dataset validation, final List<EpochStats> before)
	{
		try {
			return epochs(network, normalization, train, validation, before);
		}
		finally {
			// a snapshot in a file goes with the run, also when it fails (a diverged loss)
			if (lastGood != null) lastGood.discard();
			if (bestSnapshot != null) bestSnapshot.discard();
			lastGood = bestSnapshot = null;
		}
	}

	private TrainingResult epochs(final Network network, final Normalization normalization,
		final Dataset train, final Dataset validation, final List<EpochStats> before)
	{
		DatasetChecks.checkTrainable(train, "the training set");
		NativeThreads.configure();
		Nd4j.getRandom().setSeed(NativeSeed.of(settings.seed()));
		network.setLearningRate(settings.learningRate());
		final Random shuffle = new Random(settings.seed());
		final int n = train.size();
		final int batchSize = Math.min(settings.batchSize(), n);
		final int batches = (n + batchSize - 1) / batchSize;
		// its own generator: augmentation leaves the shuffle as it is without it
		final Batches feeder = new Batches(train, normalization, batchSize, augmentation, new Random(
			settings.seed() * 31 + 7));
		final int[] order = new int[n];
		for (int i = 0; i < n; i++)
			order[i] = i;
		final Dataset trainSample = train.head(settings.trainEvalLimit() > 0 ? settings
			.trainEvalLimit() : n);

		final boolean validated = validation != null && validation.size() > 0;
		if (settings.earlyStopping() > 0 && !validated) throw new DeepClassException("early " +
			"stopping watches the validation loss, and there is no validation set: set " +
			"validation_fraction above 0, or early_stopping=0.");
		final List<EpochStats> history = new ArrayList<>(before);
		for (int e = 0; e < before.size(); e++)
			permute(order, shuffle); // the order the earlier run's epochs used
		lastGood = new Snapshot(network, snapshotMemoryLimit);
		EpochStats best = null;
		double learningRate = settings.learningRate();
		long trainingNanos = 0;
		int batchesDone = 0;
		for (int epoch = 1; epoch <= settings.epochs(); epoch++) {
			permute(order, shuffle);
			final long epochStart = System.nanoTime();
			double lossSum = 0;
			for (int b = 0; b < batches; b++) {
				if (cancelRequested.getAsBoolean()) {
					lastGood.restore(network);
					return new TrainingResult(network, history, true);
				}
				final int from = b * batchSize;
				final int to = Math.min(n, from + batchSize);
				final INDArray features = feeder.features(order, from, to);
				if (b + 1 < batches) feeder.prefetch(order, to, Math.min(n, to + batchSize));
				network.fit(features, feeder.oneHot(order, from, to));
				NativeMemory.trimIfDue();
				final double loss = network.score();
				if (!Double.isFinite(loss))
					throw new TrainingDivergedException("training stopped in epoch " + epoch + ", batch " +
						(b + 1) + ": the loss became " + loss + ". The learning rate (" + learningRate +
						") is probably too high: try " + learningRate / 10 + ".");
				lossSum += loss;
				batchesDone++;
				final long now = System.nanoTime();
				final double secondsPerBatch = (trainingNanos + (now - epochStart)) / 1e9 / batchesDone;
				final int remaining = settings.epochs() * batches - batchesDone;
				listener.batchDone(new TrainingListener.BatchProgress(epoch, settings.epochs(), b + 1,
					batches, loss, (double) to / ((now - epochStart) / 1e9), remaining *
						secondsPerBatch));
			}
			final long epochTrainNanos = System.nanoTime() - epochStart;
			trainingNanos += epochTrainNanos;
			final double[] trainEval = lossAndAccuracy(network, normalization, trainSample);
			final double[] valEval = validation == null || validation.size() == 0 ? new double[] {
				Double.NaN, Double.NaN } : lossAndAccuracy(network, normalization, validation);
			final double seconds = (System.nanoTime() - epochStart) / 1e9;
			final EpochStats stats = new EpochStats(before.size() + epoch, lossSum / batches,
				trainEval[1], valEval[0],
				valEval[1], learningRate, seconds, n / (epochTrainNanos / 1e9));
			history.add(stats);
			// what a cancel returns to; after the last epoch there is nothing left to cancel (for
			// bncnn on 128 x 128 images, parameters and Adam's state are 205 MB)
			if (epoch < settings.epochs()) {
				lastGood.discard();
				lastGood = new Snapshot(network, snapshotMemoryLimit);
			}
			listener.epochDone(stats);
			if (settings.earlyStopping() > 0) {
				if (best == null || stats.validationLoss() < best.validationLoss()) {
					best = stats;
					if (bestSnapshot != null) bestSnapshot.discard();
					bestSnapshot = new Snapshot(network, snapshotMemoryLimit);
				}
				else if (stats.epoch() - best.epoch() >= settings.earlyStopping() || epoch == settings
					.epochs())
				{
					bestSnapshot.restore(network);
					return new TrainingResult(network, history, false, best.epoch(), epoch < settings
						.epochs() ? "stopped early after epoch " + stats.epoch() + ": the validation loss " +
							"had not improved for " + (stats.epoch() - best.epoch()) + " epochs; kept epoch " +
							best.epoch() +
							" (validation loss " + String.format(Locale.ROOT, "%.4f", best
								.validationLoss()) + ")" : "kept epoch " + best.epoch() + ", the lowest " +
									"validation loss");
				}
			}
			final double next = settings.schedule().next(learningRate, history);
			if (next != learningRate) {
				learningRate = next;
				network.setLearningRate(learningRate);
			}
		}
		return new TrainingResult(network, history, false);
	}

	/** Mean cross-entropy loss and accuracy of the network on a labelled dataset. */
	public static double[] lossAndAccuracy(final Network network, final Normalization normalization,
		final Dataset dataset)
	{
		final float[][] probabilities = Batches.probabilities(network::output, dataset, normalization,
			network.inferenceBatch(dataset.shape()), null, null);
		double loss = 0;
		int correct = 0;
		for (int i = 0; i < probabilities.length; i++) {
			final float[] p = probabilities[i];
			final int label = dataset.label(i);
			loss -= Math.log(Math.max(p[label], 1e-7));
			int best = 0;
			for (int c = 1; c < p.length; c++)
				if (p[c] > p[best]) best = c;
			if (best == label) correct++;
		}
		return new double[] { loss / probabilities.length, (double) correct / probabilities.length };
	}

	private static void permute(final int[] order, final Random random) {
		for (int i = order.length - 1; i > 0; i--) {
			final int j = random.nextInt(i + 1);
			final int t = order[i];
			order[i] = order[j];
			order[j] = t;
		}
	}

	/**
	 * The parameters and optimiser state a cancel returns to. Large ones go to a temporary file
	 * (in the disk cache's folder) rather than memory: for bncnn on 128 x 128 images with Adam
	 * they are 205 MB, a tenth of what training the network takes; written once per epoch, read
	 * only on cancel. When the file cannot be written, the copy stays in memory.
	 */
	static final class Snapshot {

		/** Above this many bytes, the snapshot is kept in a file. */
		static final long MEMORY_LIMIT = Long.getLong("deepclass.snapshot.memory", 64L << 20);

		/** Snapshot files are named {@code deepclass-snapshot-<digits>.f32}. */
		static final String PREFIX = "deepclass-snapshot-", SUFFIX = ".f32";

		private final INDArray params;

		private final INDArray updaterState;

		private final Path file;

		/** Open, and locked, for as long as the snapshot lives: a later run's sweep spares it. */
		private final FileChannel channel;

		Snapshot(final Network network) {
			this(network, MEMORY_LIMIT);
		}

		/** @param memoryLimit above this many bytes, the snapshot is kept in a file */
		Snapshot(final Network network, final long memoryLimit) {
			final INDArray p = network.params(), state = network.updaterState();
			final long bytes = Float.BYTES * (p.length() + (state == null ? 0 : state.length()));
			Path written = null;
			FileChannel open = null;
			if (bytes > memoryLimit && inHostMemory(p) && (state == null || inHostMemory(state))) {
				try {
					final Path folder = DiskImageStore.defaultFolder();
					// the snapshots of runs killed with kill -9 (no JVM holds their lock)
					TemporaryFiles.removeUnlocked(folder, PREFIX + "*" + SUFFIX);
					written = Files.createTempFile(folder, PREFIX, SUFFIX);
					written.toFile().deleteOnExit();
					open = FileChannel.open(written, StandardOpenOption.READ, StandardOpenOption.WRITE);
					open.tryLock();
					transfer(open, p, true);
					if (state != null) transfer(open, state, true);
				}
				catch (final IOException | RuntimeException e) {
					close(open);
					open = null;
					delete(written);
					written = null; // a full or read-only disk: kept in memory instead
				}
			}
			file = written;
			channel = open;
			params = file != null ? null : p.dup();
			updaterState = file != null || state == null ? null : state.dup();
		}

		/** The file holding the snapshot, or null when it is in memory (tests). */
		Path file() {
			return file;
		}

		void restore(final Network network) {
			final INDArray state = network.updaterState();
			if (file == null) {
				network.params().assign(params);
				if (state != null && updaterState != null) state.assign(updaterState);
				return;
			}
			try {
				channel.position(0);
				transfer(channel, network.params(), false);
				if (state != null && channel.position() < channel.size()) transfer(channel, state, false);
			}
			catch (final IOException e) {
				throw new UncheckedIOException("could not read back the last epoch's weights from " +
					file, e);
			}
		}

		/** Deletes the file, if any. */
		void discard() {
			close(channel);
			delete(file);
		}

		private static void close(final FileChannel channel) {
			if (channel == null) return;
			try {
				channel.close(); // releases the lock
			}
			catch (final IOException e) {
				// deleting the file is what matters
			}
		}

		private static void delete(final Path path) {
			if (path == null) return;
			try {
				Files.deleteIfExists(path);
			}
			catch (final IOException e) {
				// removed on exit
			}
		}

		/** A float array whose values lie in one block of host memory. */
		private static boolean inHostMemory(final INDArray a) {
			return Nd4j.getEnvironment().isCPU() && a.dataType() == DataType.FLOAT && a
				.ordering() == 'c' && Shape.hasDefaultStridesForShape(a) && a.offset() + a.length() <= a
					.data().length();
		}

		/** Writes (or reads back) the values of {@code a} at the channel's position. */
		private static void transfer(final FileChannel channel, final INDArray a, final boolean write)
			throws IOException
		{
			final ByteBuffer all = a.data().asNio().order(ByteOrder.nativeOrder());
			final ByteBuffer values = all.duplicate().order(ByteOrder.nativeOrder());
			values.limit((int) ((a.offset() + a.length()) * Float.BYTES)).position((int) (a.offset() *
				Float.BYTES));
			while (values.hasRemaining())
				if ((write ? channel.write(values) : channel.read(values)) < 0)
					throw new IOException("the snapshot file ended early");
		}
	}
}
