package io.deepclass.core.train;

/**
 * How to train: epochs, batch size, optimiser, learning rate (and SGD momentum), schedule and
 * seed. {@code trainEvalLimit} caps how many training images the end-of-epoch training accuracy
 * is measured on (in inference mode), so that measuring does not cost as much as training.
 * {@code earlyStopping} (0: off) stops when the validation loss has not improved for that many
 * epochs, and keeps the best epoch's parameters.
 */
public record TrainingSettings(int epochs, int batchSize, Optimizer optimizer,
	double learningRate, double momentum, LearningRateSchedule schedule, long seed,
	int trainEvalLimit, int earlyStopping)
{

	/** The seeds' recipe: 5 epochs, batch 64, SGD lr 0.01 momentum 0.9, seed 42. */
	public static TrainingSettings defaults() {
		return new TrainingSettings(5, 64, Optimizer.SGD, 0.01, 0.9, LearningRateSchedule.NONE, 42,
			10_000, 0);
	}

	public TrainingSettings {
		if (epochs < 1) throw new IllegalArgumentException("epochs must be >= 1, not " + epochs);
		if (batchSize < 1) throw new IllegalArgumentException("batch size must be >= 1, not " +
			batchSize);
		if (!(learningRate > 0) || Double.isInfinite(learningRate))
			throw new IllegalArgumentException("learning rate must be positive, not " + learningRate);
		if (!(momentum >= 0 && momentum < 1))
			throw new IllegalArgumentException("momentum must be in [0, 1), not " + momentum);
		if (schedule == null) schedule = LearningRateSchedule.NONE;
		if (trainEvalLimit < 0) trainEvalLimit = 0;
		if (earlyStopping < 0) throw new IllegalArgumentException("early_stopping must be 0 (off) " +
			"or a number of epochs, not " + earlyStopping);
	}

	public TrainingSettings withEpochs(final int value) {
		return new TrainingSettings(value, batchSize, optimizer, learningRate, momentum, schedule,
			seed, trainEvalLimit, earlyStopping);
	}

	public TrainingSettings withBatchSize(final int value) {
		return new TrainingSettings(epochs, value, optimizer, learningRate, momentum, schedule, seed,
			trainEvalLimit, earlyStopping);
	}

	public TrainingSettings withOptimizer(final Optimizer value, final double lr) {
		return new TrainingSettings(epochs, batchSize, value, lr, momentum, schedule, seed,
			trainEvalLimit, earlyStopping);
	}

	public TrainingSettings withSchedule(final LearningRateSchedule value) {
		return new TrainingSettings(epochs, batchSize, optimizer, learningRate, momentum, value, seed,
			trainEvalLimit, earlyStopping);
	}

	public TrainingSettings withSeed(final long value) {
		return new TrainingSettings(epochs, batchSize, optimizer, learningRate, momentum, schedule,
			value, trainEvalLimit, earlyStopping);
	}

	/** Stops when the validation loss has not improved for {@code patience} epochs (0: never). */
	public TrainingSettings withEarlyStopping(final int patience) {
		return new TrainingSettings(epochs, batchSize, optimizer, learningRate, momentum, schedule,
			seed, trainEvalLimit, patience);
	}
}
