package io.deepclass.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.deepclass.core.data.ArrayImageStore;
import io.deepclass.core.data.Dataset;
import io.deepclass.core.data.ImageShape;
import io.deepclass.core.data.Normalization;
import io.deepclass.core.model.ArchitectureSpec;
import io.deepclass.core.train.EpochStats;
import io.deepclass.core.train.Optimizer;
import io.deepclass.core.train.TrainingDiagnosis;
import io.deepclass.core.train.TrainingDiagnosis.Kind;
import io.deepclass.core.train.TrainingSettings;

/**
 * Runs that really fail, trained as Train Classifier trains (percentile normalisation, a
 * stratified validation quarter): a mistyped learning rate, labels that do not belong to the
 * images, images that are all the same. Each must be diagnosed as having learned nothing; the
 * same run with a sane learning rate must not.
 */
class TrainingDiagnosisTest {

	private static final int SIZE = 12;

	@Test
	void aSaneRunHasNoFinding() {
		final TrainingDiagnosis d = diagnose(quadrants(200, 1), 0.01);
		assertEquals(List.of(), d.messages());
	}

	@Test
	void aLearningRateOf1000LearnsNothingAndSaysSo() {
		final TrainingDiagnosis d = diagnose(quadrants(200, 1), 1000);
		assertTrue(d.learnedNothing(), "findings: " + d.messages());
		assertTrue(d.messages().stream().anyMatch(m -> m.contains("(it was 1.00e+03;")), d
			.messages().toString());
	}

	@Test
	void shuffledLabelsLearnNothing() {
		final Dataset images = quadrants(200, 1);
		final int[] labels = images.labels().clone();
		final Random random = new Random(3);
		for (int i = labels.length - 1; i > 0; i--) {
			final int j = random.nextInt(i + 1), t = labels[i];
			labels[i] = labels[j];
			labels[j] = t;
		}
		final TrainingDiagnosis d = diagnose(new Dataset(images.shape(), images.classNames(), images
			.images(), labels, sources(labels.length)), 0.01);
		assertTrue(d.findings().stream().anyMatch(f -> f.kind() == Kind.CHANCE_LEVEL), "findings: " + d
			.messages());
	}

	@Test
	void constantImagesLearnNothing() {
		final Dataset images = quadrants(200, 1);
		final float[] pixels = new float[images.size() * SIZE * SIZE];
		java.util.Arrays.fill(pixels, 100);
		final TrainingDiagnosis d = diagnose(new Dataset(images.shape(), images.classNames(),
			new ArrayImageStore(pixels, SIZE * SIZE), images.labels(), sources(images.size())), 0.01);
		assertTrue(d.findings().stream().anyMatch(f -> f.kind() == Kind.CHANCE_LEVEL), "findings: " + d
			.messages());
	}

	@Test
	void memorisingIsAWarningNotAFailure() {
		final List<EpochStats> history = new ArrayList<>();
		final double[] validationLoss = { 0.60, 0.40, 0.35, 0.42, 0.55 };
		for (int e = 0; e < 5; e++)
			history.add(new EpochStats(e + 1, 0.5 - 0.1 * e, 0.8 + 0.05 * e, validationLoss[e], 0.8,
				0.01, 1, 100));
		final Dataset images = quadrants(200, 1);
		final TrainingDiagnosis d = TrainingDiagnosis.of(history, images, images.head(100),
			TrainingSettings.defaults());
		assertEquals(List.of(Kind.OVERFITTING), d.findings().stream().map(
			TrainingDiagnosis.Finding::kind).toList());
		assertFalse(d.learnedNothing());
		assertTrue(d.messages().get(0).contains("rose from 0.350 (epoch 3) to 0.550"), d.messages()
			.get(0));
	}

	@Test
	void aLossFarAboveAUniformGuessHasExploded() {
		final List<EpochStats> history = List.of(new EpochStats(1, 1.2, 0.9, 1.0, 0.9, 0.01, 1, 1),
			new EpochStats(2, 9.0, 0.9, 1.0, 0.9, 0.01, 1, 1), new EpochStats(3, 0.9, 0.9, 1.0, 0.9,
				0.01, 1, 1));
		final Dataset images = quadrants(200, 1);
		final TrainingDiagnosis d = TrainingDiagnosis.of(history, images, null, TrainingSettings
			.defaults());
		// 4 classes: a uniform guess costs ln 4 = 1.39, and 9.0 > 5 * 1.39 + 1
		assertEquals(List.of(Kind.LOSS_EXPLODED), d.findings().stream().map(
			TrainingDiagnosis.Finding::kind).toList(), d.messages().toString());
	}

	private static TrainingDiagnosis diagnose(final Dataset images, final double learningRate) {
		final TrainingSettings settings = TrainingSettings.defaults().withEpochs(5).withBatchSize(16)
			.withOptimizer(Optimizer.SGD, learningRate);
		final TrainingRecipe recipe = new TrainingRecipe(ArchitectureSpec.parse("mlp100"), settings,
			0.25).withNormalization(Normalization.Method.PERCENTILE, Normalization.DEFAULT_LOW,
				Normalization.DEFAULT_HIGH);
		return new TrainingPipeline(null, null).train(recipe, images).diagnosis();
	}

	/** 4 classes: noise with a bright square in one quadrant, the class saying which. */
	static Dataset quadrants(final int n, final long seed) {
		final Random random = new Random(seed);
		final float[] pixels = new float[n * SIZE * SIZE];
		final int[] labels = new int[n];
		for (int i = 0; i < n; i++) {
			labels[i] = i % 4;
			final int top = labels[i] / 2 * SIZE / 2, left = labels[i] % 2 * SIZE / 2;
			for (int y = 0; y < SIZE; y++)
				for (int x = 0; x < SIZE; x++) {
					final boolean square = y >= top + 1 && y < top + 5 && x >= left + 1 && x < left + 5;
					pixels[i * SIZE * SIZE + y * SIZE + x] = 60 + (float) random.nextGaussian() * 20 +
						(square ? 120 : 0);
				}
		}
		return new Dataset(new ImageShape(1, SIZE, SIZE), List.of("top left", "top right",
			"bottom left", "bottom right"), new ArrayImageStore(pixels, SIZE * SIZE), labels, sources(n));
	}

	private static String[] sources(final int n) {
		final String[] sources = new String[n];
		for (int i = 0; i < n; i++)
			sources[i] = "quadrants#" + i;
		return sources;
	}
}
