package io.deepclass.core.train;

import java.util.List;
import java.util.Locale;

/**
 * How the learning rate changes between epochs: constant; multiplied by {@code factor} every
 * {@code every} epochs (step); or multiplied by {@code factor} when the validation loss has
 * not improved for {@code every} epochs (plateau); or following half a cosine from the first
 * epoch's rate down to that rate times {@code factor} over {@code every} epochs, then staying
 * there (cosine, Loshchilov and Hutter's SGDR without restarts, stepped once per epoch).
 */
public record LearningRateSchedule(Kind kind, int every, double factor) {

	/** The kinds of schedule, named as macros and dialogs name them: constant, step, plateau, cosine. */
	public enum Kind {
		NONE, STEP, PLATEAU, COSINE;

		@Override
		public String toString() {
			return this == NONE ? "constant" : name().toLowerCase(Locale.ROOT);
		}
	}

	public static final LearningRateSchedule NONE = new LearningRateSchedule(Kind.NONE, 1, 1);

	public LearningRateSchedule {
		if (every < 1) throw new IllegalArgumentException("schedule period must be >= 1 epoch");
		if (!(factor > 0 && factor <= 1))
			throw new IllegalArgumentException("schedule factor must be in (0, 1], not " + factor);
	}

	/** A schedule of {@code kind}; {@link #NONE} for {@link Kind#NONE} whatever the numbers. */
	public static LearningRateSchedule of(final Kind kind, final int every, final double factor) {
		return kind == Kind.NONE ? NONE : new LearningRateSchedule(kind, every, factor);
	}

	public static LearningRateSchedule step(final int everyEpochs, final double factor) {
		return new LearningRateSchedule(Kind.STEP, everyEpochs, factor);
	}

	public static LearningRateSchedule plateau(final int patience, final double factor) {
		return new LearningRateSchedule(Kind.PLATEAU, patience, factor);
	}

	public static LearningRateSchedule cosine(final int overEpochs, final double finalFactor) {
		return new LearningRateSchedule(Kind.COSINE, overEpochs, finalFactor);
	}

	/** The learning rate for the epoch after {@code history}'s last one. */
	public double next(final double current, final List<EpochStats> history) {
		final int done = history.size();
		return switch (kind) {
			case NONE -> current;
			case STEP -> done > 0 && done % every == 0 ? current * factor : current;
			case PLATEAU -> plateaued(history) ? current * factor : current;
			case COSINE -> done == 0 ? current : cosine(history.get(0).learningRate(), done);
		};
	}

	private double cosine(final double start, final int epochsDone) {
		final double t = Math.min(epochsDone, every) / (double) every;
		return start * (factor + (1 - factor) * 0.5 * (1 + Math.cos(Math.PI * t)));
	}

	private boolean plateaued(final List<EpochStats> history) {
		if (history.size() <= every) return false;
		double bestBefore = Double.POSITIVE_INFINITY;
		for (int i = 0; i < history.size() - every; i++)
			bestBefore = Math.min(bestBefore, monitored(history.get(i)));
		// the learning rate drops once per stretch of 'every' epochs without improvement
		final double lastLr = history.get(history.size() - 1).learningRate();
		final double lrAtStart = history.get(history.size() - every).learningRate();
		if (lastLr != lrAtStart) return false;
		for (int i = history.size() - every; i < history.size(); i++)
			if (monitored(history.get(i)) < bestBefore) return false;
		return true;
	}

	private static double monitored(final EpochStats stats) {
		return Double.isNaN(stats.validationLoss()) ? stats.trainLoss() : stats.validationLoss();
	}
}
