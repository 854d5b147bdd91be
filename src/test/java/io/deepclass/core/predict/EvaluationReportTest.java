package io.deepclass.core.predict;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.deepclass.core.Interval;

/** The report's uncertainty figures on a confusion matrix worked by hand. */
class EvaluationReportTest {

	/** 10 images of "a" (8 right), 5 of "b" (4 right), none of "c". */
	private static final EvaluationReport REPORT = new EvaluationReport(List.of("a", "b", "c"), 15,
		12 / 15.0, new int[][] { { 8, 2, 0 }, { 1, 4, 0 }, { 0, 0, 0 } }, new double[3], new double[] {
			0.8, 0.8, 0 }, new double[3]);

	@Test
	void supportIntervalsAndBalancedAccuracy() {
		assertArrayEquals(new int[] { 10, 5, 0 }, REPORT.support());
		assertEquals(Interval.wilson(12, 15), REPORT.accuracyInterval());
		assertEquals(Interval.wilson(8, 10), REPORT.recallIntervals()[0]);
		assertEquals(Interval.wilson(4, 5), REPORT.recallIntervals()[1]);
		// classes without test images do not count: (8/10 + 4/5) / 2
		assertEquals(0.8, REPORT.balancedAccuracy(), 1e-12);
	}

	@Test
	void classesWithFewTestImagesAreNamed() {
		final List<String> warnings = REPORT.warnings();
		assertEquals(2, warnings.size(), warnings.toString());
		assertTrue(warnings.get(0).startsWith("class 'b' has only 5 test images: its recall 80.0 % " +
			"(95 % CI"), warnings.get(0));
		assertTrue(warnings.get(1).startsWith("class 'c' has no test images"), warnings.get(1));
	}
}
