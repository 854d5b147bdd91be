package io.deepclass.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import io.deepclass.core.TestData;
import io.deepclass.core.bundle.ModelBundle;
import io.deepclass.core.data.Augmentation;
import io.deepclass.core.data.Dataset;
import io.deepclass.core.model.ArchitectureSpec;
import io.deepclass.core.predict.Classifier;
import io.deepclass.core.predict.EvaluationReport;
import io.deepclass.core.train.Optimizer;
import io.deepclass.core.train.TrainingSettings;

/** Augmented training is seeded, recorded in the model file, and still learns. */
class AugmentedTrainingTest {

	private static final TrainingSettings SETTINGS = TrainingSettings.defaults().withEpochs(4)
		.withBatchSize(16).withOptimizer(Optimizer.ADAM, 0.003).withSeed(4);

	private static ModelBundle train(final Augmentation augmentation, final Dataset data) {
		return new TrainingPipeline(null, null).train(new TrainingRecipe(ArchitectureSpec.parse(
			"cnn:8,dense=16"), SETTINGS, 0).withAugmentation(augmentation), data, null).bundle();
	}

	@Test
	void seededRecordedAndStillLearning() {
		final Dataset data = TestData.stripes(160, 12, 5);
		final Augmentation flips = Augmentation.parse("flip,shift=1,brightness=0.1");
		final ModelBundle a = train(flips, data), b = train(flips, data);
		final INDArray pa = a.network().params(), pb = b.network().params();
		assertEquals(pa, pb, "the same seed trains the same network");
		assertNotEquals(pa, train(Augmentation.NONE, data).network().params(),
			"augmentation changes what the network sees");
		assertEquals("flip,shift=1,brightness=0.1", a.info().training().augmentation());
		assertEquals("none", train(Augmentation.NONE, data).info().training().augmentation());
		final Dataset test = TestData.stripes(60, 12, 6);
		final double accuracy = EvaluationReport.of(test, new Classifier(a).classify(test))
			.accuracy();
		assertTrue(accuracy > 0.9, "stripes survive flips and shifts: " + accuracy);
	}
}
