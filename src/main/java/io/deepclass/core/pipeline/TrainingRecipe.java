package io.deepclass.core.pipeline;

import java.nio.file.Path;

import io.deepclass.core.DeepClassException;
import io.deepclass.core.data.Augmentation;
import io.deepclass.core.data.Normalization;
import io.deepclass.core.model.ArchitectureSpec;
import io.deepclass.core.train.TrainingSettings;
import io.deepclass.core.transfer.TransferTraining;

/**
 * How to make a model from a labelled dataset: which network, how to train it, which part of
 * the dataset to hold out for validation (stratified, seeded with the settings' seed; 0 keeps
 * every image for training), how pixel values are normalised (see {@link Normalization}; the
 * {@code dataset} method is fitted on the training part), and whether the loss weighs classes by
 * their size; which random changes training images get (off in the Fashion-MNIST recipe); and,
 * recorded in the model file so that classification does the same, which
 * channels of the source images were kept (1-based, in order; null: all) and whether Z was
 * max-projected. Train Classifier, the demo and the tests all train through
 * {@link TrainingPipeline} with one of these, so a new choice (augmentation, a pretrained
 * backbone) is added here once.
 */
public record TrainingRecipe(ArchitectureSpec architecture, TrainingSettings settings,
	double validationFraction, Normalization.Method normalization, double lowPercentile,
	double highPercentile, boolean balancedClassWeights, int[] selectedChannels,
	boolean zMaxProjection, Augmentation augmentation, Pretrained pretrained)
{

	/**
	 * Transfer learning instead of {@code architecture}: a backbone from an ONNX file (cut at
	 * {@code cutAt}, or found; for square inputs of {@code inputSize} pixels, 0: its own), trained
	 * as {@code transfer} says.
	 */
	public record Pretrained(Path backbone, String cutAt, int inputSize,
		TransferTraining.Settings transfer)
	{}

	public TrainingRecipe {
		if (architecture == null) throw new DeepClassException("no architecture given.");
		if (settings == null) throw new DeepClassException("no training settings given.");
		if (!(validationFraction >= 0 && validationFraction < 1))
			throw new DeepClassException("validation_fraction must be at least 0 and below 1, not " +
				validationFraction + ".");
		if (normalization == null) normalization = Normalization.Method.DATASET;
		if (augmentation == null) augmentation = Augmentation.NONE;
		if (normalization == Normalization.Method.PERCENTILE && !(lowPercentile >= 0 &&
			lowPercentile < highPercentile && highPercentile <= 100))
			throw new DeepClassException("the percentiles must satisfy 0 <= low < high <= 100, not " +
				lowPercentile + " and " + highPercentile + ".");
	}

	/**
	 * The Fashion-MNIST recipe's choices: dataset mean/std normalisation, unweighted loss (so
	 * that seeded figures stay comparable with earlier runs and the PyTorch peer).
	 */
	public TrainingRecipe(final ArchitectureSpec architecture, final TrainingSettings settings,
		final double validationFraction)
	{
		this(architecture, settings, validationFraction, Normalization.Method.DATASET,
			Normalization.DEFAULT_LOW, Normalization.DEFAULT_HIGH, false, null, false,
			Augmentation.NONE, null);
	}

	/** This recipe with another normalisation. */
	public TrainingRecipe withNormalization(final Normalization.Method method, final double low,
		final double high)
	{
		return new TrainingRecipe(architecture, settings, validationFraction, method, low, high,
			balancedClassWeights, selectedChannels, zMaxProjection, augmentation, pretrained);
	}

	/** This recipe with balanced class weights on or off. */
	public TrainingRecipe withBalancedClassWeights(final boolean value) {
		return new TrainingRecipe(architecture, settings, validationFraction, normalization,
			lowPercentile, highPercentile, value, selectedChannels, zMaxProjection, augmentation, pretrained);
	}

	/** This recipe recording how images were made from the source data. */
	public TrainingRecipe withInputSelection(final int[] channels, final boolean zMax) {
		return new TrainingRecipe(architecture, settings, validationFraction, normalization,
			lowPercentile, highPercentile, balancedClassWeights, channels, zMax, augmentation, pretrained);
	}

	/** This recipe with training images changed by {@code value} (see {@link Augmentation}). */
	public TrainingRecipe withAugmentation(final Augmentation value) {
		return new TrainingRecipe(architecture, settings, validationFraction, normalization,
			lowPercentile, highPercentile, balancedClassWeights, selectedChannels, zMaxProjection,
			value, pretrained);
	}

	/** This recipe training a pretrained backbone instead of {@code architecture}. */
	public TrainingRecipe withPretrained(final Pretrained value) {
		return new TrainingRecipe(architecture, settings, validationFraction, normalization,
			lowPercentile, highPercentile, balancedClassWeights, selectedChannels, zMaxProjection,
			augmentation, value);
	}
}
