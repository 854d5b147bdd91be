package io.deepclass.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.deepclass.core.TestData;
import io.deepclass.core.bundle.ModelBundle;
import io.deepclass.core.bundle.ModelFiles;
import io.deepclass.core.data.ArrayImageStore;
import io.deepclass.core.data.Dataset;
import io.deepclass.core.data.DatasetChecks;
import io.deepclass.core.data.Normalization.Method;
import io.deepclass.core.model.ArchitectureSpec;
import io.deepclass.core.predict.Classifier;
import io.deepclass.core.predict.EvaluationReport;
import io.deepclass.core.predict.Predictions;
import io.deepclass.core.train.Optimizer;
import io.deepclass.core.train.TrainingSettings;

/**
 * The same objects stored at 8, 16 and 32 bits and as RGB, as two microscopes and an exported
 * copy give them: the import warns, and percentile normalisation trains them as well as the
 * clean 8-bit set.
 */
class MixedBitDepthsTest {

	private static final TrainingSettings SETTINGS = TrainingSettings.defaults().withEpochs(6)
		.withBatchSize(16).withOptimizer(Optimizer.ADAM, 0.003).withSeed(5);

	/** Image i stored as 8-bit (i % 3 == 0), 16-bit (x 257) or 32-bit (/ 255). */
	static Dataset mixed(final Dataset clean) {
		return storedAs(clean, i -> new int[] { 8, 16, 32 }[i % 3]);
	}

	/** Image i stored at depth.applyAsInt(i) bits: 8 as it is, 16 x 257, 32 / 255 (clamped first). */
	static Dataset storedAs(final Dataset clean, final java.util.function.IntUnaryOperator depth) {
		final int n = clean.size(), size = clean.shape().size();
		final float[] pixels = new float[n * size];
		final int[] depths = new int[n];
		final String[] sources = new String[n];
		for (int i = 0; i < n; i++) {
			final float[] image = clean.image(i);
			depths[i] = depth.applyAsInt(i);
			final float scale = depths[i] == 8 ? 1 : depths[i] == 16 ? 257 : 1 / 255f;
			for (int p = 0; p < size; p++)
				pixels[i * size + p] = Math.max(0, Math.min(255, image[p])) * scale;
			sources[i] = clean.source(i);
		}
		return new Dataset(clean.shape(), clean.classNames(), new ArrayImageStore(pixels, size),
			clean.labels(), sources, depths);
	}

	private static double accuracy(final TrainingRecipe recipe, final Dataset train,
		final Dataset test)
	{
		final ModelBundle model = new TrainingPipeline(null, null).train(recipe, train, null)
			.bundle();
		return EvaluationReport.of(test, new Classifier(model).classify(test)).accuracy();
	}

	@Test
	void percentileTrainsMixedBitDepthsAsWellAsTheCleanSet() {
		final Dataset cleanTrain = TestData.blob(240, 16, 1), cleanTest = TestData.blob(120, 16, 2);
		final Dataset mixedTrain = mixed(cleanTrain), mixedTest = mixed(cleanTest);
		final TrainingRecipe recipe = new TrainingRecipe(ArchitectureSpec.parse("mlp:32"), SETTINGS,
			0);
		final double clean = accuracy(recipe, cleanTrain, cleanTest);
		final double percentile = accuracy(recipe.withNormalization(Method.PERCENTILE, 1, 99.8),
			mixedTrain, mixedTest);
		final double bitDepth = accuracy(recipe.withNormalization(Method.BIT_DEPTH, 0, 0), mixedTrain,
			mixedTest);
		final double dataset = accuracy(recipe, mixedTrain, mixedTest);
		System.out.printf("mixed bit depths, mlp:32: clean 8-bit %.3f | mixed: dataset %.3f, " +
			"percentile %.3f, bit depth %.3f%n", clean, dataset, percentile, bitDepth);
		assertTrue(clean > 0.9, "the clean set trains: " + clean);
		assertTrue(percentile >= clean - 0.05, "percentile " + percentile + " vs clean " + clean);
		assertTrue(bitDepth >= clean - 0.05, "bit depth " + bitDepth + " vs clean " + clean);
		assertTrue(dataset < percentile, "dataset mean/std on mixed depths is worse: " + dataset);
	}

	@Test
	void theImportWarnsAndNamesTheFix() {
		final List<String> warnings = DatasetChecks.warnings(mixed(TestData.blob(30, 16, 1)));
		assertTrue(warnings.stream().anyMatch(w -> w.startsWith("bit depths differ: 8-bit (10 " +
			"images), 16-bit (10 images), 32-bit (10 images)") && w.contains(
				"normalization=percentile")), warnings.toString());
		assertTrue(warnings.stream().anyMatch(w -> w.startsWith("image intensity ranges differ by " +
			"a factor of")), warnings.toString());
		assertTrue(DatasetChecks.warnings(TestData.blob(60, 16, 1)).isEmpty(),
			"a clean set gets no warning");
	}

	@Test
	void theModelFileKeepsTheNormalizationAndClassifyAppliesIt(@TempDir final Path dir)
		throws IOException
	{
		final Dataset train = mixed(TestData.blob(90, 16, 1));
		final ModelBundle trained = new TrainingPipeline(null, null).train(new TrainingRecipe(
			ArchitectureSpec.parse("mlp:16"), SETTINGS.withEpochs(2), 0).withNormalization(
				Method.PERCENTILE, 2, 98), train, null).bundle();
		final Path file = dir.resolve("m.zip");
		ModelFiles.save(trained, file);
		final ModelBundle loaded = ModelFiles.load(file);
		assertEquals(Method.PERCENTILE, loaded.info().normalizationValues().method());
		assertEquals(2, loaded.info().normalizationValues().lowPercentile());
		assertEquals(98, loaded.info().normalizationValues().highPercentile());
		assertEquals(List.of("gray"), loaded.info().input().channelNames());
		final Dataset test = TestData.blob(20, 16, 7);
		final Predictions before = new Classifier(trained).classify(test);
		final Predictions after = new Classifier(loaded).classify(test);
		for (int i = 0; i < test.size(); i++)
			assertArrayEquals(before.probabilities()[i], after.probabilities()[i], 1e-6f);
		// a model that learnt the blobs (one predicting a single class would pass what follows)
		final double accuracy = EvaluationReport.of(test, after).accuracy();
		assertTrue(accuracy >= 0.9, "the model learnt the blobs: accuracy " + accuracy);
		// percentile normalisation does not care how the same image was stored: the same
		// probabilities for each (clamped) image stored as 8-bit, 16-bit (x 257) and 32-bit (/ 255)
		final Predictions as8 = new Classifier(loaded).classify(storedAs(test, i -> 8));
		assertTrue(EvaluationReport.of(test, as8).accuracy() >= 0.9);
		for (final int depth : new int[] { 16, 32 }) {
			final Dataset stored = storedAs(test, i -> depth);
			final Predictions p = new Classifier(loaded).classify(stored);
			for (int i = 0; i < test.size(); i++) {
				assertEquals(depth, stored.bitDepth(i));
				assertArrayEquals(as8.probabilities()[i], p.probabilities()[i], 1e-4f, "image " + i +
					" stored at " + depth + " bits");
			}
		}
	}
}
