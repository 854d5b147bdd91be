package io.deepclass.core.train;

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

	default void batchDone(final BatchProgress progress) {}

	default void epochDone(final EpochStats stats) {}
}
