package io.deepclass.core.train;

/**
 * Figures of one finished epoch. Validation figures are NaN when there was no validation set.
 * {@code trainAccuracy} is measured after the epoch in inference mode on (up to a limit of)
 * training images; {@code trainLoss} is the mean loss of the epoch's batches.
 */
public record EpochStats(int epoch, double trainLoss, double trainAccuracy,
	double validationLoss, double validationAccuracy, double learningRate, double seconds,
	double imagesPerSecond)
{}
