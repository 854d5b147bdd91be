package io.deepclass.core.cells;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.deepclass.core.DeepClassException;
import io.deepclass.core.bundle.ModelBundle;
import io.deepclass.core.bundle.ModelFiles;
import io.deepclass.core.data.Dataset;
import io.deepclass.core.data.IdxReader;
import io.deepclass.core.data.ImageShape;
import io.deepclass.core.model.Network;
import io.deepclass.core.predict.Classifier;
import io.deepclass.core.predict.Predictions;
import io.deepclass.core.train.TrainingResult;
import io.deepclass.core.train.TrainingSettings;
import io.deepclass.core.transfer.Backbone;

/**
 * The interactive loop on real cells: the first 295 Fashion-MNIST test images (the embedded sample) of
 * three classes stand for the patches of 300 ROIs. Features are computed once; a head on 30
 * labels classifies the others well; the cells "next uncertain" picks are the ones it gets
 * wrong more often; cross-validation estimates the held-out accuracy; the saved model file
 * classifies the patches as the loop did.
 */
class CellLoopTest {

	@TempDir
	Path dir;

	/** Trouser, Sneaker, Bag. */
	private static final int[] CLASSES = { 1, 7, 8 };

	private static Dataset cells;

	private static int[] truth;

	@BeforeAll
	static void readCells() throws IOException {
		final String sample = "/io/deepclass/demo/fashion-mnist-sample/";
		final Dataset all;
		try (InputStream images = CellLoopTest.class.getResourceAsStream(sample +
			"t10k-images-idx3-ubyte.gz"); InputStream labels = CellLoopTest.class.getResourceAsStream(
				sample + "t10k-labels-idx1-ubyte.gz"))
		{
			all = IdxReader.read(new java.util.zip.GZIPInputStream(images),
				new java.util.zip.GZIPInputStream(labels), IdxReader.FASHION_MNIST_CLASSES, "t10k");
		}
		final int[] picked = java.util.stream.IntStream.range(0, all.size()).filter(i -> Arrays
			.stream(CLASSES).anyMatch(c -> c == all.label(i))).limit(300).toArray();
		final Dataset subset = all.subset(picked);
		truth = new int[picked.length];
		for (int i = 0; i < picked.length; i++)
			truth[i] = Arrays.binarySearch(CLASSES, subset.label(i));
		final int[] unknown = new int[picked.length];
		Arrays.fill(unknown, -1);
		cells = new Dataset(subset.shape(), List.of("a", "b", "c"), subset.images(), unknown,
			java.util.stream.IntStream.range(0, picked.length).mapToObj(i -> "cell " + i).toArray(
				String[]::new));
	}

	private static final List<String> NAMES = List.of("trouser", "sneaker", "bag");

	/** The first {@code perClass} cells of each class, labelled with their true class. */
	private static void labelFirst(final CellLoop loop, final int perClass) {
		final int[] given = new int[3];
		for (int i = 0; i < truth.length; i++)
			if (given[truth[i]] < perClass) {
				loop.label(i, truth[i]);
				given[truth[i]]++;
			}
	}

	private static double heldOutAccuracy(final CellLoop loop, final CellRound round) {
		int correct = 0, total = 0;
		for (int i = 0; i < truth.length; i++)
			if (loop.label(i) < 0) {
				total++;
				if (round.predicted()[i] == truth[i]) correct++;
			}
		return (double) correct / total;
	}

	/** Counts how often the (expensive) inputs are computed. */
	private static final class Counting implements CellModel {

		final CellModel inner;

		final AtomicInteger inputs = new AtomicInteger();

		Counting(final CellModel inner) {
			this.inner = inner;
		}

		@Override
		public ImageShape patchShape() {
			return inner.patchShape();
		}

		@Override
		public Dataset inputs(final Dataset patches, final IntConsumer done,
			final BooleanSupplier cancel)
		{
			inputs.incrementAndGet();
			return inner.inputs(patches, done, cancel);
		}

		@Override
		public Network head(final ImageShape shape, final int classes, final long seed) {
			return inner.head(shape, classes, seed);
		}

		@Override
		public TrainingSettings settings(final int labelled, final long seed) {
			return inner.settings(labelled, seed);
		}

		@Override
		public ModelBundle bundle(final TrainingResult head, final TrainingSettings settings,
			final List<String> classNames, final Dataset labelledPatches)
		{
			return inner.bundle(head, settings, classNames, labelledPatches);
		}

		@Override
		public String describe() {
			return inner.describe();
		}
	}

	@Test
	void scratchHeadLearnsFromThirtyLabelsAndUncertainCellsAreTheHardOnes() {
		final ScratchCells scratch = new ScratchCells(new ImageShape(1, 28, 28));
		final Counting counting = new Counting(scratch);
		final CellLoop loop = CellLoop.start(counting, cells, NAMES, 42, null, null);
		assertThrows(DeepClassException.class, loop::retrain, "no labels: nothing to learn");
		labelFirst(loop, 10);
		final CellRound round = loop.retrain();
		loop.retrain();
		assertEquals(1, counting.inputs.get(), "inputs computed once, not per retrain");
		assertEquals(truth.length, round.size());
		assertEquals(truth.length, Arrays.stream(round.counts()).sum());
		final double accuracy = heldOutAccuracy(loop, round);
		assertTrue(accuracy > 0.85, "held-out accuracy " + accuracy);

		// next uncertain: the smallest margin among the unlabelled cells
		final int next = loop.nextUncertain();
		assertTrue(loop.label(next) < 0);
		for (int i = 0; i < loop.size(); i++)
			if (loop.label(i) < 0) assertTrue(round.margin()[next] <= round.margin()[i]);
		// and the least sure cells are wrong more often than the surest
		final int[] order = loop.uncertainFirst();
		assertEquals(truth.length - 30, order.length);
		final int unsureWrong = wrong(round, Arrays.copyOfRange(order, 0, 30));
		final int sureWrong = wrong(round, Arrays.copyOfRange(order, order.length - 30, order.length));
		assertTrue(unsureWrong > sureWrong, unsureWrong + " of the 30 least sure wrong, " + sureWrong +
			" of the 30 surest");

		final int random = loop.nextRandom();
		assertTrue(random >= 0 && loop.label(random) < 0);
	}

	private static int wrong(final CellRound round, final int[] cellsToCheck) {
		int wrong = 0;
		for (final int i : cellsToCheck)
			if (round.predicted()[i] != truth[i]) wrong++;
		return wrong;
	}

	private PretrainedCells fixtureBackbone() throws IOException {
		final Path onnx = dir.resolve("residual.onnx");
		try (InputStream in = getClass().getResourceAsStream("/io/deepclass/core/onnx/residual.onnx")) {
			Files.copy(in, onnx);
		}
		return PretrainedCells.of(Backbone.load(onnx, null));
	}

	@Test
	void crossValidationEstimatesTheHeldOutAccuracy() throws IOException {
		final PretrainedCells model = fixtureBackbone();
		final CellLoop loop = CellLoop.start(model, cells.converted(model.patchShape()), NAMES, 7,
			null, null);
		labelFirst(loop, 1);
		assertNull(loop.crossValidate(), "one label per class: nothing to cross-validate");
		int more = 0;
		for (int i = 0; i < truth.length && more < 3; i++)
			if (truth[i] == 2 && loop.label(i) < 0) {
				loop.label(i, 2);
				more++;
			}
		assertNull(loop.crossValidate(), "one class with 4 labels, two with 1: the two are always " +
			"wrong, no estimate");
		labelFirst(loop, 15);
		final CellLoop.CrossValidation cv = loop.crossValidate();
		assertNotNull(cv);
		assertEquals(45, cv.total());
		assertEquals(5, cv.folds());
		final double heldOut = heldOutAccuracy(loop, loop.retrain());
		assertTrue(Math.abs(cv.accuracy() - heldOut) < 0.15, "cross-validated " + cv.accuracy() +
			", held out " + heldOut);
		assertTrue(cv.interval().low() <= cv.accuracy() && cv.accuracy() <= cv.interval().high());
	}

	@Test
	void pretrainedFeaturesGiveAModelFileThatClassifiesThePatchesAsTheLoopDid() throws IOException {
		final PretrainedCells model = fixtureBackbone();
		final Dataset patches = cells.converted(model.patchShape());
		final int[] progress = { 0 };
		assertNull(CellLoop.start(model, patches, NAMES, 1, done -> progress[0] = done, () -> true),
			"cancelled at once");
		final CellLoop loop = CellLoop.start(model, patches, NAMES, 1, done -> progress[0] = done,
			null);
		assertEquals(truth.length, progress[0], "progress reached every cell");
		labelFirst(loop, 10);
		final CellRound round = loop.retrain();
		assertTrue(heldOutAccuracy(loop, round) > 0.5, "better than the third of guessing: " +
			heldOutAccuracy(loop, round));

		final int added = loop.addClass("other");
		assertEquals(3, added);
		assertThrows(DeepClassException.class, () -> loop.renameClass(0, "Bag"));
		loop.renameClass(0, "trousers");
		final Path file = dir.resolve("cells.zip");
		ModelFiles.save(loop.bundle(), file);
		final ModelBundle loaded = ModelFiles.load(file);
		assertEquals(List.of("trouser", "sneaker", "bag"), loaded.info().classNames(), "as trained");
		final Predictions saved = new Classifier(loaded).classify(patches);
		int same = 0;
		float worst = 0;
		for (int i = 0; i < patches.size(); i++) {
			if (saved.predicted()[i] == round.predicted()[i]) same++;
			for (int c = 0; c < 3; c++)
				worst = Math.max(worst, Math.abs(saved.probabilities()[i][c] - round.probabilities()[i][c]));
		}
		assertEquals(truth.length, same, "the file predicts every cell as the loop did");
		assertTrue(worst < 1e-3, "probabilities differ by up to " + worst);
	}
}
