package io.deepclass.core.backend;

/**
 * A user's seed as ND4J's random generator must be given it. ND4J 1.0.0-M2.1 takes a seed of 0
 * as "seed from the clock": {@code Nd4j.getRandom().setSeed(0)} and a DL4J configuration with
 * {@code seed(0)} give other weights in every run, so a model trained with seed=0 would not be
 * reproducible, silently. Every seed DeepClass hands to ND4J or DL4J goes through {@link #of}.
 */
public final class NativeSeed {

	/**
	 * What seed 0 becomes (the 64-bit golden ratio, as in SplitMix64): any fixed non-zero value
	 * would do; only a user who chooses this very number gets the same weights as with 0.
	 */
	static final long ZERO = 0x9E3779B97F4A7C15L;

	private NativeSeed() {}

	/** {@code seed} itself, except 0, which becomes a fixed non-zero seed. */
	public static long of(final long seed) {
		return seed != 0 ? seed : ZERO;
	}
}
