package io.deepclass.core.cells;

import java.util.List;
import java.util.Random;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import io.deepclass.core.backend.NativeSeed;
import io.deepclass.core.data.Batches;
import io.deepclass.core.data.Dataset;
import io.deepclass.core.data.Normalization;
import io.deepclass.core.model.Network;
import io.deepclass.core.train.EpochStats;
import io.deepclass.core.train.TrainingDivergedException;
import io.deepclass.core.train.TrainingResult;
import io.deepclass.core.train.TrainingSettings;

/**
 * Trains a head on the labelled cells' inputs: DL4J's own {@code fit} and updater, seeded
 * shuffles, the settings' epochs and batch size, nothing else. Not DeepClass's {@code Trainer}:
 * with a hundred labels a head's epoch is one or a few steps, and the Trainer's per-epoch work
 * (a pass to measure accuracy, a snapshot of the weights, progress) would cost several times the
 * training; the interactive loop needs neither (it has no validation set, and nothing to roll
 * back to). All inputs of a few hundred labelled cells sit in memory as one array.
 */
final class HeadTraining {

	private HeadTraining() {}

	static TrainingResult train(final Network head, final TrainingSettings settings,
		final Dataset train)
	{
		final long start = System.nanoTime();
		final int n = train.size();
		final int[] all = new int[n];
		for (int i = 0; i < n; i++)
			all[i] = i;
		final Normalization none = Normalization.fit(Normalization.Method.NONE, train, 0, 0);
		final Batches whole = new Batches(train, none, n);
		final INDArray x = whole.features(all, 0, n).dup();
		final INDArray y = whole.oneHot(all, 0, n).dup();
		final int batch = Math.min(settings.batchSize(), n);
		final Batches batches = new Batches(train, none, batch);
		final Random shuffle = new Random(settings.seed());
		Nd4j.getRandom().setSeed(NativeSeed.of(settings.seed()));
		double loss = Double.NaN;
		for (int epoch = 1; epoch <= settings.epochs(); epoch++) {
			if (batch == n) head.fit(x, y);
			else {
				final int[] order = permutation(n, shuffle);
				for (int from = 0; from < n; from += batch) {
					final int to = Math.min(n, from + batch);
					head.fit(batches.features(order, from, to).dup(), batches.oneHot(order, from, to).dup());
				}
			}
			loss = head.score();
			if (!Double.isFinite(loss)) throw new TrainingDivergedException("the head's loss became " +
				loss + " in epoch " + epoch + "; train again with fewer or other labels.");
		}
		final INDArray p = head.output(x);
		final double accuracy = p.argMax(1).eq(y.argMax(1)).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT)
			.meanNumber().doubleValue();
		final double seconds = (System.nanoTime() - start) / 1e9;
		return new TrainingResult(head, List.of(new EpochStats(settings.epochs(), loss, accuracy,
			Double.NaN, Double.NaN, settings.learningRate(), seconds, n * settings.epochs() / Math.max(
				1e-9, seconds))), false);
	}

	private static int[] permutation(final int n, final Random random) {
		final int[] order = new int[n];
		for (int i = 0; i < n; i++)
			order[i] = i;
		for (int i = n - 1; i > 0; i--) {
			final int j = random.nextInt(i + 1);
			final int t = order[i];
			order[i] = order[j];
			order[j] = t;
		}
		return order;
	}
}
