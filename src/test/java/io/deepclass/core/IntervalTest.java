package io.deepclass.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * The Wilson score interval against the worked examples of Newcombe (1998), "Two-sided
 * confidence intervals for the single proportion: comparison of seven methods", Statistics in
 * Medicine 17:857-872, Table I, method 3 (score interval without continuity correction), given
 * there to four decimals.
 */
class IntervalTest {

	@Test
	void matchesNewcombesWorkedExamples() {
		assertInterval(0.2553, 0.3662, Interval.wilson(81, 263));
		assertInterval(0.0624, 0.1605, Interval.wilson(15, 148));
		assertInterval(0.0000, 0.1611, Interval.wilson(0, 20));
		assertInterval(0.0061, 0.1718, Interval.wilson(1, 29));
	}

	@Test
	void isSymmetricAndBounded() {
		final Interval all = Interval.wilson(20, 20), none = Interval.wilson(0, 20);
		assertEquals(1, all.high(), 0);
		assertEquals(1 - none.high(), all.low(), 1e-12);
		assertEquals(new Interval(0, 1), Interval.wilson(0, 0));
		assertThrows(IllegalArgumentException.class, () -> Interval.wilson(3, 2));
		assertEquals("92.0 % (95 % CI 75.0-97.8 %)", Interval.wilson(23, 25).percent(0.92));
	}

	private static void assertInterval(final double low, final double high, final Interval actual) {
		assertEquals(low, actual.low(), 0.00005, "low of " + actual);
		assertEquals(high, actual.high(), 0.00005, "high of " + actual);
	}
}
