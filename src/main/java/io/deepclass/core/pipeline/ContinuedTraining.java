package io.deepclass.core.pipeline;

import java.util.List;
import java.util.function.BooleanSupplier;

import io.deepclass.core.DeepClassException;
import io.deepclass.core.bundle.ModelBundle;
import io.deepclass.core.bundle.ModelInfo;
import io.deepclass.core.data.Dataset;
import io.deepclass.core.data.DatasetSplit;
import io.deepclass.core.data.Normalization;
import io.deepclass.core.train.Trainer;
import io.deepclass.core.train.TrainingListener;
import io.deepclass.core.train.TrainingResult;
import io.deepclass.core.transfer.TransferTraining;

/**
 * Training that goes on from a saved model: its network with its parameters and optimiser state,
 * its normalisation, on the same or a larger dataset of the same classes and input, for the
 * recipe's epochs (its settings, validation fraction and augmentation; its architecture,
 * normalisation and backbone are the model's). The new model's history holds both runs, and its
 * description says which model it came from.
 */
final class ContinuedTraining {

	private ContinuedTraining() {}

	static TrainedModel train(final ModelBundle initial, final String initialName,
		final TrainingRecipe recipe, final Dataset images, final TrainingListener listener,
		final BooleanSupplier cancel)
	{
		final ModelInfo info = initial.info();
		if (!images.classNames().equals(info.classNames())) throw new DeepClassException("cannot " +
			"go on training '" + initialName + "': its classes are " + info.classNames() + ", the " +
			"images' " + images.classNames() + ". Label the images with the model's classes, or " +
			"train a new model.");
		final Dataset dataset = images.shape().equals(info.inputShape()) ? images : info.input()
			.resizes() ? TransferTraining.toBackboneInput(images, info.inputShape()) : null;
		if (dataset == null) throw new DeepClassException("cannot go on training '" + initialName +
			"': it takes " + info.inputShape() + " images, these are " + images.shape() + ". Import " +
			"them at the model's size and channels.");
		final DatasetSplit split = recipe.validationFraction() > 0 ? DatasetSplit.stratified(dataset,
			recipe.validationFraction(), recipe.settings().seed()) : new DatasetSplit(dataset, null);
		final Normalization normalization = info.normalizationValues();
		listener.trainingStarted(info.architecture() + ", from " + initialName, initial.network()
			.numParams(), split.train(), split.validation());
		final TrainingResult result = new Trainer(recipe.settings(), listener, cancel)
			.withAugmentation(recipe.augmentation()).train(initial.network(), normalization, split
				.train(), split.validation(), info.history() == null ? List.of() : info.history());
		final float[] classWeights = info.training() == null ? null : info.training().classWeights();
		final ModelBundle trained = ModelBundle.of(result, info.architecture(), recipe.settings(),
			normalization, classWeights, split.train(), split.validation());
		final int before = info.history() == null ? 0 : info.history().size();
		ModelInfo described = trained.info().withInputSelection(info.input().selectedChannels(), info
			.input().zMaxProjection(), info.input().channelNames()).withAugmentation(recipe
				.augmentation().toString()).withLineage("continued from " + initialName + " (" + before +
					" epochs, data fingerprint " + (info.training() == null ? "unknown" : info.training()
						.dataFingerprint()) + ") with " + (result.history().size() - before) + " more on " + split
							.train().size() + " images");
		if (info.input().resizes()) described = described.resizingInput();
		return new TrainedModel(new ModelBundle(trained.network(), described), result, split.train(),
			split.validation());
	}
}
