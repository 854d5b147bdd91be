package io.deepclass.core;

import java.util.Locale;

/**
 * A 95 % confidence interval for a proportion (an accuracy, a recall): the Wilson score interval
 * (Wilson 1927; Newcombe 1998, method 3). Chosen over the normal ("Wald") interval, which is too
 * narrow and can leave [0, 1] for the small test sets and near-perfect accuracies of microscopy
 * classifiers, and over the exact Clopper-Pearson interval, which is wider than it needs to be.
 */
public record Interval(double low, double high) {

	/** z for a two-sided 95 % interval. */
	static final double Z = 1.959963984540054;

	/** z for a one-sided 95 % bound: a proportion is above p when this interval's low is. */
	public static final double Z_ONE_SIDED = 1.6448536269514722;

	/** The interval for {@code successes} of {@code n}; [0, 1] when {@code n} is 0. */
	public static Interval wilson(final long successes, final long n) {
		return wilson(successes, n, Z);
	}

	/** As {@link #wilson(long, long)}, for another {@code z}. */
	public static Interval wilson(final long successes, final long n, final double z) {
		if (n < 0 || successes < 0 || successes > n) throw new IllegalArgumentException(successes +
			" of " + n);
		if (n == 0) return new Interval(0, 1);
		final double p = (double) successes / n, z2 = z * z;
		final double denominator = 1 + z2 / n;
		final double centre = (p + z2 / (2 * n)) / denominator;
		final double half = z * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / denominator;
		return new Interval(Math.max(0, centre - half), Math.min(1, centre + half));
	}

	/** "92.0 % (95 % CI 75.0-97.8 %)". */
	public String percent(final double value) {
		return String.format(Locale.ROOT, "%.1f %% (95 %% CI %.1f-%.1f %%)", 100 * value,
			100 * low, 100 * high);
	}
}
