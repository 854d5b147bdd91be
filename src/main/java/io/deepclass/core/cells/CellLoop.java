package io.deepclass.core.cells;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;

import io.deepclass.core.DeepClassException;
import io.deepclass.core.Interval;
import io.deepclass.core.bundle.ModelBundle;
import io.deepclass.core.data.Batches;
import io.deepclass.core.data.Dataset;
import io.deepclass.core.data.Normalization;
import io.deepclass.core.model.Network;
import io.deepclass.core.train.TrainingResult;
import io.deepclass.core.train.TrainingSettings;

/**
 * Label a few cells, see every cell classified, label where the model is unsure: the loop of
 * CellProfiler Analyst's classifier, on a network. Every cell's input (a backbone's features, or
 * its pixels) is computed once ({@link #start}); each {@link #retrain} trains a new head on the
 * labelled cells' inputs (DL4J's fit and updater, {@link HeadTraining}) and predicts every cell.
 *
 * <p>"Next uncertain" picks the unlabelled cell with the smallest <em>margin</em> between its two
 * most probable classes. Margin rather than entropy: with several classes of which most are
 * clearly out, entropy also rises for a cell spread thinly over those, while the margin looks
 * only at the two classes the head hesitates between, which is where one more label moves the
 * boundary (Settles' survey of active learning reports margin at least as good as entropy on most
 * tasks); with two classes both order cells the same.
 *
 * <p>Not thread-safe: one caller (the panel's worker) at a time.
 */
public final class CellLoop {

	private final CellModel model;

	private final Dataset patches;

	private final Dataset inputs;

	private final int[] labels;

	private final List<String> classNames;

	private final long seed;

	private final Random random;

	private CellRound last;

	private TrainingResult lastHead;

	private TrainingSettings lastSettings;

	private CellLoop(final CellModel model, final Dataset patches, final Dataset inputs,
		final List<String> classNames, final long seed)
	{
		this.model = model;
		this.patches = patches;
		this.inputs = inputs;
		this.labels = new int[patches.size()];
		Arrays.fill(labels, -1);
		this.classNames = new ArrayList<>(classNames);
		this.seed = seed;
		this.random = new Random(seed);
	}

	/**
	 * Computes every cell's input once.
	 *
	 * @param patches every cell's patch in {@code model.patchShape()}, unlabelled or not
	 * @param done hears how many cells are done (may be null)
	 * @return the loop, or null when {@code cancel} said stop
	 */
	public static CellLoop start(final CellModel model, final Dataset patches,
		final List<String> classNames, final long seed, final IntConsumer done,
		final BooleanSupplier cancel)
	{
		if (!patches.shape().equals(model.patchShape())) throw new IllegalArgumentException(
			"patches are " + patches.shape() + ", the model takes " + model.patchShape());
		io.deepclass.core.backend.NativeThreads.configure();
		final Dataset inputs = model.inputs(patches, done, cancel);
		if (inputs == null) return null;
		final CellLoop loop = new CellLoop(model, patches, inputs, classNames, seed);
		for (int i = 0; i < patches.size(); i++)
			if (patches.label(i) >= 0) loop.label(i, patches.label(i));
		return loop;
	}

	public int size() {
		return labels.length;
	}

	public CellModel model() {
		return model;
	}

	public List<String> classNames() {
		return List.copyOf(classNames);
	}

	/** Adds a class; returns its index. */
	public int addClass(final String name) {
		checkName(name, -1);
		classNames.add(name.trim());
		return classNames.size() - 1;
	}

	public void renameClass(final int index, final String name) {
		checkName(name, index);
		classNames.set(index, name.trim());
	}

	private void checkName(final String name, final int except) {
		if (name == null || name.isBlank()) throw new DeepClassException("a class needs a name.");
		for (int c = 0; c < classNames.size(); c++)
			if (c != except && classNames.get(c).equalsIgnoreCase(name.trim()))
				throw new DeepClassException("there is already a class '" + name.trim() + "'.");
	}

	/** Labels {@code cell} with class {@code label}, or -1 to take its label away. */
	public void label(final int cell, final int label) {
		if (label < -1 || label >= classNames.size()) throw new IllegalArgumentException("class " +
			label + " of " + classNames.size());
		labels[cell] = label;
	}

	public int label(final int cell) {
		return labels[cell];
	}

	/** Indices of the labelled cells. */
	public int[] labelled() {
		return java.util.stream.IntStream.range(0, labels.length).filter(i -> labels[i] >= 0)
			.toArray();
	}

	/** The last retrain's predictions, or null before the first. */
	public CellRound last() {
		return last;
	}

	/**
	 * A new head trained on the labelled cells, then every cell predicted.
	 *
	 * @throws DeepClassException when fewer than two classes have labelled cells
	 */
	public CellRound retrain() {
		final long start = System.nanoTime();
		final int[] cells = labelled();
		final boolean small = model.smallHead();
		final float[][] p = small ? SmallOps.run(() -> predictAll(trainHead(cells))) : predictAll(
			trainHead(cells));
		last = CellRound.of(classNames, p, cells.length, (System.nanoTime() - start) / 1e9);
		return last;
	}

	private float[][] predictAll(final Network head) {
		return Batches.probabilities(head::output, inputs, none(), 256, null, null);
	}

	private Network trainHead(final int[] cells) {
		final long classesLabelled = Arrays.stream(cells).map(i -> labels[i]).distinct().count();
		if (classesLabelled < 2) throw new DeepClassException("label cells of at least two " +
			"classes, then train.");
		final Dataset train = withLabels(inputs, cells);
		final TrainingSettings settings = model.settings(cells.length, seed);
		final TrainingResult result = HeadTraining.train(model.head(inputs.shape(), classNames.size(),
			seed), settings, train);
		lastHead = result;
		lastSettings = settings;
		return result.network();
	}

	private Normalization none() {
		return Normalization.fit(Normalization.Method.NONE, inputs, 0, 0);
	}

	/** The cells {@code cells} of {@code data} with the loop's labels and class names. */
	private Dataset withLabels(final Dataset data, final int[] cells) {
		return withLabels(data, cells, classNames);
	}

	private Dataset withLabels(final Dataset data, final int[] cells, final List<String> classNames) {
		final Dataset subset = data.subset(cells);
		final int[] l = new int[cells.length];
		for (int i = 0; i < cells.length; i++)
			l[i] = labels[cells[i]];
		return new Dataset(subset.shape(), classNames, subset.images(), l, java.util.stream.IntStream
			.range(0, cells.length).mapToObj(subset::source).toArray(String[]::new));
	}

	/**
	 * Unlabelled cells, least sure first (smallest margin; ties by index); empty before the
	 * first retrain.
	 */
	public int[] uncertainFirst() {
		if (last == null) return new int[0];
		return java.util.stream.IntStream.range(0, labels.length).filter(i -> labels[i] < 0).boxed()
			.sorted((a, b) -> Float.compare(last.margin()[a], last.margin()[b])).mapToInt(i -> i)
			.toArray();
	}

	/** The unlabelled cell the head is least sure of, or -1 (none left, or not trained yet). */
	public int nextUncertain() {
		final int[] order = uncertainFirst();
		return order.length == 0 ? -1 : order[0];
	}

	/** An unlabelled cell drawn at random (seeded), or -1 when all are labelled. */
	public int nextRandom() {
		final int[] open = java.util.stream.IntStream.range(0, labels.length).filter(i -> labels[
			i] < 0).toArray();
		return open.length == 0 ? -1 : open[random.nextInt(open.length)];
	}

	/**
	 * Accuracy on the labelled cells by stratified k-fold cross-validation (k = 5, fewer when a
	 * class has fewer labels, at least 2): each fold's cells predicted by a head trained on the
	 * others.
	 */
	public record CrossValidation(int correct, int total, int folds, Interval interval) {

		public double accuracy() {
			return total == 0 ? Double.NaN : (double) correct / total;
		}
	}

	/**
	 * See {@link CrossValidation}; null unless two classes have two labelled cells or more (a
	 * class with one labelled cell still counts: its cell is held out and predicted wrong).
	 */
	public CrossValidation crossValidate() {
		return model.smallHead() ? SmallOps.run(this::crossValidated) : crossValidated();
	}

	private CrossValidation crossValidated() {
		final int[] cells = labelled();
		final int k = classNames.size();
		final List<List<Integer>> byClass = new ArrayList<>();
		for (int c = 0; c < k; c++)
			byClass.add(new ArrayList<>());
		for (final int i : cells)
			byClass.get(labels[i]).add(i);
		int smallest = Integer.MAX_VALUE, twoOrMore = 0;
		for (final List<Integer> members : byClass)
			if (!members.isEmpty()) {
				if (members.size() >= 2) twoOrMore++;
				smallest = Math.min(smallest, members.size());
			}
		// a class's only labelled cell is missing from its fold's training: it is always wrong, so
		// with one label per class (the usual start) an estimate would say 0 %
		if (twoOrMore < 2) return null;
		final int folds = Math.max(2, Math.min(5, smallest));
		final int[] fold = new int[labels.length];
		final Random shuffle = new Random(seed * 17 + 3);
		for (final List<Integer> members : byClass) {
			java.util.Collections.shuffle(members, shuffle);
			for (int j = 0; j < members.size(); j++)
				fold[members.get(j)] = j % folds;
		}
		int correct = 0, total = 0;
		for (int f = 0; f < folds; f++) {
			final int ff = f;
			final int[] train = Arrays.stream(cells).filter(i -> fold[i] != ff).toArray();
			final int[] test = Arrays.stream(cells).filter(i -> fold[i] == ff).toArray();
			if (test.length == 0) continue;
			if (Arrays.stream(train).map(i -> labels[i]).distinct().count() < 2) {
				total += test.length; // nothing to learn from: every held-out cell counts as wrong
				continue;
			}
			final TrainingSettings settings = model.settings(train.length, seed);
			final Network head = HeadTraining.train(model.head(inputs.shape(), k, seed), settings,
				withLabels(inputs, train)).network();
			final float[][] p = Batches.probabilities(head::output, inputs.subset(test), none(), 256,
				null, null);
			final CellRound round = CellRound.of(classNames, p, 0, 0);
			for (int t = 0; t < test.length; t++)
				if (round.predicted()[t] == labels[test[t]]) correct++;
			total += test.length;
		}
		return new CrossValidation(correct, total, folds, Interval.wilson(correct, total));
	}

	/**
	 * The last retrain's head as a whole DeepClass model file that classifies cell patches.
	 *
	 * @throws DeepClassException before the first retrain
	 */
	public ModelBundle bundle() {
		if (lastHead == null) throw new DeepClassException("train first: there is no model yet.");
		// the classes as they were at that retrain (one may have been added since)
		final List<String> names = last.classNames();
		final int[] cells = Arrays.stream(labelled()).filter(i -> labels[i] < names.size()).toArray();
		return model.bundle(lastHead, lastSettings, names, withLabels(patches, cells, names));
	}
}
