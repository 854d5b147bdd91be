package io.deepclass.demo;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import io.deepclass.core.backend.NativeBackend;
import io.deepclass.core.cells.CellLoop;
import io.deepclass.core.cells.CellRound;
import io.deepclass.core.cells.PretrainedCells;
import io.deepclass.core.data.ArrayImageStore;
import io.deepclass.core.data.Dataset;
import io.deepclass.core.data.FolderReader;
import io.deepclass.core.transfer.Backbone;
import io.deepclass.ij.cells.CellImages;
import io.deepclass.ij.cells.CellSession;
import io.deepclass.ij.input.IjImageDecoder;

/**
 * Does "next uncertain" help? A simulated user labels cells in the interactive loop, always
 * accepting the cell the loop offers and answering with its true class, once by "next
 * uncertain" and once by "next random", and the accuracy on held-out cells (cells never
 * offered for labelling) is measured after every label.
 *
 * <p>The cells: scikit-learn's digits as {@code bench/transfer_table.py} splits them (a train and
 * a test folder), every digit pasted as a cell with an oval ROI into one 1024 x 1024 image, the
 * same code path as the panel ({@link CellSession}: ROI patches, the backbone's features once,
 * a retrain and recolour after every label). The 1 437 train cells can be labelled; the 360 test
 * cells are the held-out set (the test set of {@code bench/few_labels.sh}). The cold start: one
 * cell of each class drawn at random (a user's first look for one example of each class), so
 * both ways start from the same 10 labels. Then each label is the first train cell of the
 * loop's {@link CellLoop#uncertainFirst} ranking (smallest margin), or the loop's
 * {@link CellLoop#nextRandom} drawn again until it is a train cell.
 *
 * <p>{@code ActiveLearning backbone.onnx inputSize digitsFolder seeds maxLabels} prints one
 * JSON line per strategy, seed and label count (held-out accuracy; at 10, 20, 50 and 100 labels
 * also the panel's cross-validated estimate). Run by {@code bench/active_learning.sh}.
 */
public final class ActiveLearning {

	private static final PrintStream OUT = System.out;

	private ActiveLearning() {}

	public static void main(final String[] args) throws Exception {
		NativeBackend.select();
		final Backbone backbone = Backbone.load(Path.of(args[0]), null, Integer.parseInt(args[1]));
		final Path digits = Path.of(args[2]);
		final int seeds = Integer.parseInt(args[3]);
		final int maxLabels = Integer.parseInt(args[4]);
		final FolderReader reader = new FolderReader(new IjImageDecoder(), null);
		final Dataset train = reader.read(digits.resolve("train")).dataset();
		final Dataset test = reader.read(digits.resolve("test")).dataset();
		final Dataset all = concat(train, test);
		final int k = all.numClasses();
		final int[] classes = java.util.stream.IntStream.range(0, k).toArray();
		final int[] truth = CellImages.tile(all, classes, 0, all.size(), 1024, 1).truth();
		final boolean[] heldOut = new boolean[truth.length];
		for (int i = train.size(); i < truth.length; i++)
			heldOut[i] = true;
		for (int seed = 0; seed < seeds; seed++)
			for (final String strategy : new String[] { "uncertain", "random" }) {
				final long start = System.nanoTime();
				// a new image each time: the last run's labels are in its ROIs
				final CellImages.Cells cells = CellImages.tile(all, classes, 0, all.size(), 1024, 1);
				final CellSession session = CellSession.open(cells.image(), cells.rois(), PretrainedCells.of(
					backbone), null, 0, cells.classNames(), seed, null, null);
				final CellLoop loop = session.loop();
				for (final int cell : coldStart(truth, heldOut, k, seed))
					session.label(new int[] { cell }, truth[cell]);
				CellRound round = session.retrain();
				for (int labels = k;; labels++) {
					emit(strategy, seed, labels, truth, heldOut, round, loop);
					if (labels == maxLabels) break;
					final int next = "uncertain".equals(strategy) ? nextUncertain(loop, heldOut)
						: nextRandom(loop, heldOut);
					session.label(new int[] { next }, truth[next]);
					round = session.retrain();
				}
				System.err.printf(Locale.ROOT, "%s seed %d: %.1f s%n", strategy, seed, (System.nanoTime() -
					start) / 1e9);
			}
	}

	/** One train cell of each class, drawn with {@code seed}. */
	static int[] coldStart(final int[] truth, final boolean[] heldOut, final int classes,
		final long seed)
	{
		final Random random = new Random(seed);
		final int[] cells = new int[classes];
		for (int c = 0; c < classes; c++) {
			final List<Integer> members = new ArrayList<>();
			for (int i = 0; i < truth.length; i++)
				if (truth[i] == c && !heldOut[i]) members.add(i);
			Collections.shuffle(members, random);
			cells[c] = members.get(0);
		}
		return cells;
	}

	/** The loop's least sure unlabelled cell among those that may be offered. */
	static int nextUncertain(final CellLoop loop, final boolean[] heldOut) {
		for (final int cell : loop.uncertainFirst())
			if (!heldOut[cell]) return cell;
		throw new IllegalStateException("every train cell is labelled");
	}

	/** The loop's random pick, drawn again while it is a held-out cell. */
	static int nextRandom(final CellLoop loop, final boolean[] heldOut) {
		int cell;
		do
			cell = loop.nextRandom();
		while (cell >= 0 && heldOut[cell]);
		if (cell < 0) throw new IllegalStateException("every train cell is labelled");
		return cell;
	}

	private static void emit(final String strategy, final int seed, final int labels,
		final int[] truth, final boolean[] heldOut, final CellRound round, final CellLoop loop)
	{
		int right = 0, total = 0;
		for (int i = 0; i < truth.length; i++)
			if (heldOut[i]) {
				total++;
				if (round.predicted()[i] == truth[i]) right++;
			}
		String cv = "";
		if (labels == 10 || labels == 20 || labels == 50 || labels == 100) {
			final CellLoop.CrossValidation estimate = loop.crossValidate();
			if (estimate != null) cv = String.format(Locale.ROOT, ", \"cv_accuracy\": %.4f", estimate
				.accuracy());
		}
		OUT.printf(Locale.ROOT, "{\"strategy\": \"%s\", \"seed\": %d, \"labels\": %d, " +
			"\"held_out\": %d, \"accuracy\": %.4f%s}%n", strategy, seed, labels, total, (double) right /
				total, cv);
	}

	/** {@code a}'s images then {@code b}'s, same shape and classes. */
	private static Dataset concat(final Dataset a, final Dataset b) {
		if (!a.shape().equals(b.shape()) || !a.classNames().equals(b.classNames()))
			throw new IllegalArgumentException("train and test differ: " + a + ", " + b);
		final int d = a.shape().size(), n = a.size() + b.size();
		final float[] pixels = new float[n * d];
		final int[] labels = new int[n];
		final String[] sources = new String[n];
		for (int i = 0; i < n; i++) {
			final Dataset from = i < a.size() ? a : b;
			final int j = i < a.size() ? i : i - a.size();
			from.images().copyTo(j, pixels, i * d);
			labels[i] = from.label(j);
			sources[i] = from.source(j);
		}
		return new Dataset(a.shape(), a.classNames(), new ArrayImageStore(pixels, d), labels,
			sources);
	}
}
