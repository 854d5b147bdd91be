package io.deepclass.core.predict;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.deepclass.core.DeepClassException;
import io.deepclass.core.TestData;
import io.deepclass.core.bundle.IncompatibleModelException;
import io.deepclass.core.data.ArrayImageStore;
import io.deepclass.core.data.Dataset;
import io.deepclass.core.data.ImageShape;
import io.deepclass.core.train.TrainingSettings;

class ClassifierTest {

	@Test
	void classifiesWithProbabilitiesAndStopsWhenCancelled() {
		final Dataset train = TestData.stripes(200, 10, 1);
		final Dataset test = TestData.stripes(600, 10, 2);
		final Classifier classifier = new Classifier(TestData.model("mlp100", train, null,
			TrainingSettings.defaults().withEpochs(2).withBatchSize(20)));

		final Predictions p = classifier.classify(test);
		assertEquals(600, p.size());
		int correct = 0;
		for (int i = 0; i < p.size(); i++) {
			assertEquals(1f, p.probabilities()[i][0] + p.probabilities()[i][1], 1e-5);
			assertEquals(p.confidence(i), Math.max(p.probabilities()[i][0], p.probabilities()[i][1]));
			assertEquals(test.source(i), p.sources()[i]);
			if (p.predicted()[i] == test.label(i)) correct++;
		}
		assertTrue(correct >= 570, "accuracy " + correct / 6.0 + " %");
		assertEquals(correct / 600.0, EvaluationReport.of(test, p).accuracy(), 1e-12);

		final int[] calls = { 0 };
		final Predictions partial = classifier.classify(test, () -> calls[0]++ >= 1, null);
		assertEquals(classifier.batchSize(), partial.size(), "one batch, then cancelled");

		final Dataset wrong = TestData.stripes(4, 12, 3);
		final IncompatibleModelException e = assertThrows(IncompatibleModelException.class,
			() -> classifier.classify(wrong));
		assertTrue(e.getMessage().contains("expects 10x10 gray images but these are 12x12 gray"), e
			.getMessage());
	}

	@Test
	void evaluationCountsTheConfusionMatrixAndMatchesClassesByName() {
		// truth classes listed in another order than the model's
		final Dataset truth = new Dataset(new ImageShape(1, 1, 1), List.of("b", "a", "c"),
			new ArrayImageStore(new float[5], 1), new int[] { 1, 1, 0, 0, 2 }, new String[] { "1", "2",
				"3", "4", "5" });
		// model classes a, b, c: predicted a, b, b, b, a
		final float[][] probs = { { .9f, .1f, 0 }, { .2f, .7f, .1f }, { .1f, .8f, .1f }, { 0, 1, 0 },
			{ .5f, .2f, .3f } };
		final Predictions p = new Predictions(List.of("a", "b", "c"), new String[5], new int[] { 0, 1,
			1, 1, 0 }, probs);
		final EvaluationReport r = EvaluationReport.of(truth, p);
		assertEquals(3.0 / 5, r.accuracy(), 1e-12);
		assertArrayEquals(new int[] { 1, 1, 0 }, r.confusion()[0], "actual a");
		assertArrayEquals(new int[] { 0, 2, 0 }, r.confusion()[1], "actual b");
		assertArrayEquals(new int[] { 1, 0, 0 }, r.confusion()[2], "actual c");
		assertEquals(0.5, r.precision()[0], 1e-12);
		assertEquals(2.0 / 3, r.precision()[1], 1e-12);
		assertEquals(1.0, r.recall()[1], 1e-12);
		assertTrue(r.confusionMatrixText().contains("actual\\pred"));

		final Dataset unknown = new Dataset(new ImageShape(1, 1, 1), List.of("a", "z"),
			new ArrayImageStore(new float[1], 1), new int[] { 1 }, new String[] { "1" });
		assertTrue(assertThrows(DeepClassException.class, () -> EvaluationReport.of(unknown,
			new Predictions(List.of("a", "b", "c"), new String[1], new int[] { 0 }, new float[][] { {
				1, 0, 0 } }))).getMessage().contains("class 'z', which the model does not know"));
	}
}
