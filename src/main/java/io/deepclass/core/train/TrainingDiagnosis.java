package io.deepclass.core.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.deepclass.core.Interval;
import io.deepclass.core.data.Dataset;

/**
 * What a finished training run's history says about the model, so that no useless model is
 * saved in silence: accuracy not above chance for the class balance, a loss that never fell or
 * that exploded (the model learned nothing), and memorising (training accuracy far above
 * validation, validation loss rising).
 */
public record TrainingDiagnosis(List<Finding> findings) {

	/** One thing seen, in words that name it, its likely causes and the fix. */
	public record Finding(Kind kind, String message) {}

	public enum Kind {
			/**
			 * Accuracy not above the majority class's share by a one-sided test at the 5 % level
			 * (the lower Wilson bound with z = 1.645).
			 */
			CHANCE_LEVEL,
			/** The training loss of no epoch after the first fell below the first's. */
			LOSS_NEVER_FELL,
			/** The training loss rose far above a uniform guess's, without becoming NaN. */
			LOSS_EXPLODED,
			/** Training accuracy far above validation accuracy, and validation loss rising. */
			OVERFITTING;

		/** True for the kinds that mean the model learned nothing useful. */
		public boolean learnedNothing() {
			return this != OVERFITTING;
		}
	}

	/** Training accuracy this far above validation accuracy counts as memorising. */
	static final double OVERFIT_GAP = 0.15;

	/** A loss this many times a uniform guess's (ln k) has exploded. */
	static final double EXPLODED = 5;

	public TrainingDiagnosis {
		findings = List.copyOf(findings);
	}

	/**
	 * The diagnosis of a run with {@code history} on {@code train}, measured on
	 * {@code validation} (null or empty: on the training images).
	 *
	 * @param settings how the run trained: its learning rate is named in the advice, and
	 *          training accuracy is measured on its first {@code trainEvalLimit} images
	 */
	public static TrainingDiagnosis of(final List<EpochStats> history, final Dataset train,
		final Dataset validation, final TrainingSettings settings)
	{
		final double learningRate = settings.learningRate();
		final List<Finding> findings = new ArrayList<>();
		if (history.isEmpty()) return new TrainingDiagnosis(findings);
		final EpochStats first = history.get(0), last = history.get(history.size() - 1);
		final boolean validated = validation != null && validation.size() > 0;
		final Dataset measured = validated ? validation : settings.trainEvalLimit() > 0 ? train.head(
			settings.trainEvalLimit()) : train;
		final int n = measured.size();
		final double accuracy = validated ? last.validationAccuracy() : last.trainAccuracy();
		final int[] counts = measured.classCounts();
		int majority = 0;
		for (int c = 1; c < counts.length; c++)
			if (counts[c] > counts[majority]) majority = c;
		final double chance = (double) counts[majority] / Math.max(1, measured.size());
		final String advice = " Likely causes: a learning rate far too high or too low (it was " +
			number(learningRate) + "; the usual are 0.01 with SGD, 0.001 with Adam), labels that do " +
			"not match the images, images that do not differ between the classes (check their " +
			"normalisation and bit depths), or too few images per class.";
		final long correct = Math.round(accuracy * n);
		final Interval interval = Interval.wilson(correct, n);
		if (Double.isFinite(accuracy) && Interval.wilson(correct, n, Interval.Z_ONE_SIDED)
			.low() <= chance) findings.add(new Finding(
			Kind.CHANCE_LEVEL, (validated ? "validation" : "training") + " accuracy " + interval
				.percent(accuracy) + " on " + n + " images is not above chance for these classes (" +
				percent(chance) + " by always answering '" + measured.classNames().get(majority) +
				"'): the model learned nothing it can be shown to use." + advice));
		final int classes = train.numClasses();
		final double uniform = Math.log(Math.max(2, classes));
		double highest = first.trainLoss(), lowestLater = Double.POSITIVE_INFINITY;
		for (final EpochStats e : history.subList(1, history.size())) {
			highest = Math.max(highest, e.trainLoss());
			lowestLater = Math.min(lowestLater, e.trainLoss());
		}
		if (history.size() >= 2 && lowestLater >= first.trainLoss()) findings.add(new Finding(
			Kind.LOSS_NEVER_FELL, "the training loss never fell below its first epoch's (" + number(
				first.trainLoss()) + "; lowest later " + number(lowestLater) + ")." + advice));
		if (highest > EXPLODED * uniform + 1) findings.add(new Finding(Kind.LOSS_EXPLODED,
			"the training loss reached " + number(highest) + ", far above the " + number(uniform) +
				" of a uniform guess between " + classes + " classes: it exploded." + advice));
		overfitting(history, validated).ifPresent(findings::add);
		return new TrainingDiagnosis(findings);
	}

	/** Training accuracy far above validation, with validation loss rising at the end. */
	private static Optional<Finding> overfitting(final List<EpochStats> history,
		final boolean validated)
	{
		if (!validated || history.size() < 3) return Optional.empty();
		final EpochStats last = history.get(history.size() - 1);
		EpochStats best = history.get(0);
		for (final EpochStats e : history)
			if (e.validationLoss() < best.validationLoss()) best = e;
		if (last.trainAccuracy() - last.validationAccuracy() <= OVERFIT_GAP || best == last || !(last
			.validationLoss() > best.validationLoss() * 1.1)) return Optional.empty();
		return Optional.of(new Finding(Kind.OVERFITTING, "training accuracy " + percent(last
			.trainAccuracy()) + " but validation " + percent(last.validationAccuracy()) + ", and the " +
			"validation loss rose from " + number(best.validationLoss()) + " (epoch " + best.epoch() +
			") to " + number(last.validationLoss()) + ": the model memorises its training images. " +
			"Use early_stopping to keep the best epoch, augmentation, or more images."));
	}

	/** True when a finding says the model learned nothing useful. */
	public boolean learnedNothing() {
		return findings.stream().anyMatch(f -> f.kind().learnedNothing());
	}

	/** The findings' messages. */
	public List<String> messages() {
		return findings.stream().map(Finding::message).toList();
	}

	private static String percent(final double value) {
		return String.format(Locale.ROOT, "%.1f %%", 100 * value);
	}

	private static String number(final double value) {
		return String.format(Locale.ROOT, "%.3g", value);
	}
}
