package io.deepclass.core.train;

import io.deepclass.core.data.Dataset;

/**
 * Receives training progress, on the training thread: keep the work done here short (hand it
 * to the UI thread). All methods default to doing nothing.
 */
public interface TrainingListener {

	/** Progress within an epoch, after each batch. */
	record BatchProgress(int epoch, int epochs, int batch, int batches, double loss,
		double imagesPerSecond, double etaSeconds)
	{
		/** Fraction of the whole run done, 0..1. */
		public double fractionDone() {
			return ((epoch - 1) + (double) batch / batches) / epochs;
		}
	}

	/**
	 * Before the first batch: the architecture, its parameter count and the data it trains and
	 * validates on ({@code validation} may be null).
	 */
	default void trainingStarted(final String architecture, final long parameters,
		final Dataset train, final Dataset validation)
	{}

	/**
	 * Progress of work done once before the epochs (a pretrained backbone's features of every
	 * image): {@code done} of {@code total} items.
	 */
	default void preparing(final String what, final int done, final int total) {}

	default void batchDone(final BatchProgress progress) {}

	default void epochDone(final EpochStats stats) {}
}
