package io.deepclass.core.pipeline;

import io.deepclass.core.DeepClassException;
import io.deepclass.core.model.ArchitectureSpec;
import io.deepclass.core.train.TrainingSettings;

/**
 * How to make a model from a labelled dataset: which network, how to train it, and which part
 * of the dataset to hold out for validation (stratified, seeded with the settings' seed; 0 keeps
 * every image for training). The input normalisation is fitted on the training part (per-channel
 * mean and standard deviation). Train Classifier, the demo and the tests all train through
 * {@link TrainingPipeline} with one of these, so a new choice (normalisation, augmentation, a
 * pretrained backbone) is added here once.
 */
public record TrainingRecipe(ArchitectureSpec architecture, TrainingSettings settings,
	double validationFraction)
{

	public TrainingRecipe {
		if (architecture == null) throw new DeepClassException("no architecture given.");
		if (settings == null) throw new DeepClassException("no training settings given.");
		if (!(validationFraction >= 0 && validationFraction < 1))
			throw new DeepClassException("validation_fraction must be at least 0 and below 1, not " +
				validationFraction + ".");
	}
}
