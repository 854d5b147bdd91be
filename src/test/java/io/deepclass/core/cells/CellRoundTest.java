package io.deepclass.core.cells;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The margin "next uncertain" ranks by, on probabilities made by hand: the most probable class
 * minus the second, wherever the two sit among the classes (CellLoopTest checks that the loop
 * offers the unlabelled cell with the smallest one).
 */
class CellRoundTest {

	@Test
	void marginIsTheGapBetweenTheTwoMostProbableClasses() {
		final float[][] p = { //
			{ 0.5f, 0.3f, 0.2f }, // best first, second next
			{ 0.2f, 0.7f, 0.1f }, // the second best before the best
			{ 0.1f, 0.2f, 0.7f }, // best last, second just before it
			{ 0.45f, 0.1f, 0.45f }, // a tie: margin 0
			{ 0.4f, 0.4f, 0.2f } }; // a tie at the front
		final CellRound round = CellRound.of(List.of("a", "b", "c"), p, 0, 0);
		final float[] expected = { 0.2f, 0.5f, 0.5f, 0f, 0f };
		for (int i = 0; i < p.length; i++)
			assertEquals(expected[i], round.margin()[i], 1e-6, "cell " + i);
		assertArrayEquals(new int[] { 0, 1, 2, 0, 0 }, round.predicted());
		assertArrayEquals(new int[] { 3, 1, 1 }, round.counts());
		assertEquals(0.7f, round.confidence()[1], 1e-6);
	}
}
