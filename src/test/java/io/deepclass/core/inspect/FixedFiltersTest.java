package io.deepclass.core.inspect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.deepclass.core.DeepClassException;

class FixedFiltersTest {

	/** 10x8 image: 0 in columns 0-4, 100 in columns 5-9 (a vertical step between 4 and 5). */
	private static float[] verticalStep() {
		final float[] image = new float[10 * 8];
		for (int y = 0; y < 8; y++)
			for (int x = 5; x < 10; x++)
				image[y * 10 + x] = 100;
		return image;
	}

	@Test
	void verticalEdgeKernelAnswersOnTheStepOnly() {
		final float[] out = FixedFilters.correlate(verticalStep(), 10, 8, FixedFilters.VERTICAL_EDGE);
		for (int y = 0; y < 8; y++)
			for (int x = 0; x < 10; x++) {
				final float v = out[y * 10 + x];
				if (x == 4 || x == 5) assertEquals(-300, v, 1e-4, "on the step at x=" + x + " y=" + y);
				else assertEquals(0, v, 1e-4, "flat at x=" + x + " y=" + y + ", borders included");
			}
	}

	@Test
	void horizontalEdgeKernelIgnoresAVerticalStep() {
		final float[] out = FixedFilters.correlate(verticalStep(), 10, 8, FixedFilters
			.HORIZONTAL_EDGE);
		for (final float v : out)
			assertEquals(0, v, 1e-4);
	}

	@Test
	void typedKernels() {
		assertArrayEquals(FixedFilters.VERTICAL_EDGE, FixedFilters.parse("1 0 -1; 1 0 -1; 1,0,-1"));
		assertEquals(25, FixedFilters.parse(" 1 ".repeat(25)).length);
		assertEquals("1 0 -1 / 1 0 -1 / 1 0 -1", FixedFilters.format(FixedFilters.VERTICAL_EDGE));
		final float[] box = FixedFilters.parse("0.04 ".repeat(25));
		final float[] out = FixedFilters.correlate(verticalStep(), 10, 8, box);
		assertEquals(0, out[0], 1e-4);
		assertEquals(100, out[9], 1e-3);
		assertEquals(40, out[4], 1e-3, "two of five columns bright");

		DeepClassException e = assertThrows(DeepClassException.class, () -> FixedFilters.parse(
			"1 0 -1 1 0"));
		assertTrue(e.getMessage().contains("needs 9 (3x3) or 25 (5x5)"), e.getMessage());
		e = assertThrows(DeepClassException.class, () -> FixedFilters.parse("1 0 x 1 0 -1 1 0 -1"));
		assertTrue(e.getMessage().contains("'x'"), e.getMessage());
	}
}
