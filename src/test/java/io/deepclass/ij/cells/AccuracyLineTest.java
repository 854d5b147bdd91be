package io.deepclass.ij.cells;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.deepclass.core.Interval;
import io.deepclass.core.cells.CellLoop;

/**
 * The panel's accuracy line: the cross-validated estimate, and, when many labels came from Next
 * uncertain (the hard cells, on which the estimate runs low), a word that it is likely higher.
 */
class AccuracyLineTest {

	private static final CellLoop.CrossValidation CV = new CellLoop.CrossValidation(54, 100, 5,
		new Interval(0.44, 0.63));

	@Test
	void noEstimateYet() {
		assertEquals("Accuracy: label 2 or more cells in 2 classes for an estimate", CellPanel
			.accuracyText(null, 0));
	}

	@Test
	void labelsChosenByHandOrAtRandom() {
		assertEquals("Accuracy: 54 % (5-fold CV on 100 labels; 95 %: 44-63 %)", CellPanel
			.accuracyText(CV, 0));
		assertEquals("Accuracy: 54 % (5-fold CV on 100 labels; 95 %: 44-63 %)", CellPanel
			.accuracyText(CV, 33), "a third of the labels is the threshold");
	}

	@Test
	void manyLabelsFromNextUncertainSayTheEstimateRunsLow() {
		final String line = CellPanel.accuracyText(CV, 90);
		assertTrue(line.startsWith("<html>Accuracy: 54 % (5-fold CV on 100 labels; 95 %: 44-63 %)" +
			"<br>likely higher: 90 of the labels"), line);
	}
}
