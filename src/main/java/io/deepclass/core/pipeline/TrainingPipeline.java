package io.deepclass.core.pipeline;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import io.deepclass.core.DeepClassException;
import io.deepclass.core.bundle.ModelBundle;
import io.deepclass.core.bundle.ModelFiles;
import io.deepclass.core.data.Dataset;
import io.deepclass.core.data.DatasetSplit;
import io.deepclass.core.data.Normalization;
import io.deepclass.core.model.Architectures;
import io.deepclass.core.model.Network;
import io.deepclass.core.train.Trainer;
import io.deepclass.core.train.TrainingListener;
import io.deepclass.core.train.TrainingResult;
import io.deepclass.core.train.TrainingSettings;
import io.deepclass.core.transfer.Backbone;
import io.deepclass.core.transfer.TransferTraining;

/**
 * The one way DeepClass turns a {@link TrainingRecipe} and a labelled dataset into a model:
 * split, fit the normalisation on the training part, build the network, train, describe the
 * result as a {@link ModelBundle}, and (with {@link #trainToFile}) save it.
 */
public final class TrainingPipeline {

	private final TrainingListener listener;

	private final BooleanSupplier cancelRequested;

	/**
	 * @param listener receives {@link TrainingListener#trainingStarted} and progress (may be null)
	 * @param cancelRequested asked between batches (may be null)
	 */
	public TrainingPipeline(final TrainingListener listener, final BooleanSupplier cancelRequested) {
		this.listener = listener != null ? listener : new TrainingListener() {};
		this.cancelRequested = cancelRequested;
	}

	/** Trains on {@code dataset}, holding out the recipe's validation fraction. */
	public TrainedModel train(final TrainingRecipe recipe, final Dataset dataset) {
		final DatasetSplit split = recipe.validationFraction() > 0 ? DatasetSplit.stratified(dataset,
			recipe.validationFraction(), recipe.settings().seed()) : new DatasetSplit(dataset, null);
		return train(recipe, split.train(), split.validation());
	}

	/**
	 * Goes on training {@code initial} (saved as {@code initialName}) on {@code dataset} with the
	 * recipe's settings, validation fraction and augmentation; see {@link ContinuedTraining}.
	 */
	public TrainedModel continueTraining(final ModelBundle initial, final String initialName,
		final TrainingRecipe recipe, final Dataset dataset)
	{
		return ContinuedTraining.train(initial, initialName, recipe, dataset, listener,
			cancelRequested);
	}

	/**
	 * Trains on {@code train} and measures {@code validation} (may be null) after each epoch; the
	 * recipe's validation fraction is not applied.
	 */
	public TrainedModel train(final TrainingRecipe recipe, final Dataset train,
		final Dataset validation)
	{
		if (recipe.pretrained() != null) return transfer(recipe, train, validation);
		final TrainingSettings settings = recipe.settings();
		final Normalization normalization = Normalization.fit(recipe.normalization(), train, recipe
			.lowPercentile(), recipe.highPercentile());
		final float[] classWeights = recipe.balancedClassWeights() ? balancedWeights(train) : null;
		final Network network = Architectures.build(recipe.architecture(), train.shape(), train
			.numClasses(), settings.seed(), settings.optimizer().updater(settings.learningRate(),
				settings.momentum()), classWeights);
		listener.trainingStarted(recipe.architecture().toString(), network.numParams(), train,
			validation);
		final TrainingResult result = new Trainer(settings, listener, cancelRequested)
			.withAugmentation(recipe.augmentation()).train(network, normalization, train, validation);
		final ModelBundle bundle = ModelBundle.of(result, recipe.architecture(), settings,
			normalization, classWeights, train, validation);
		return new TrainedModel(new ModelBundle(bundle.network(), bundle.info().withInputSelection(
			recipe.selectedChannels(), recipe.zMaxProjection(), channelNames(train, recipe
				.selectedChannels())).withAugmentation(recipe.augmentation().toString())), result, train,
			validation);
	}

	/**
	 * A pretrained backbone with a new head (see {@link TransferTraining}): images resized and
	 * converted to its input, scaled as the recipe says, then standardised with ImageNet's
	 * per-channel mean and std as torchvision's backbones expect; the model file says so and that
	 * classification converts every image to the backbone's input.
	 */
	private TrainedModel transfer(final TrainingRecipe recipe, final Dataset images,
		final Dataset validationImages)
	{
		final TrainingRecipe.Pretrained p = recipe.pretrained();
		final Backbone backbone;
		try {
			backbone = Backbone.load(p.backbone(), p.cutAt(), p.inputSize());
		}
		catch (final IOException e) {
			throw new DeepClassException("cannot read the backbone '" + p.backbone() + "': " + e
				.getMessage(), e);
		}
		final Dataset train = TransferTraining.toBackboneInput(images, backbone.input());
		final Dataset validation = validationImages == null ? null : TransferTraining.toBackboneInput(
			validationImages, backbone.input());
		final Normalization normalization = backboneNormalization(backbone, recipe, train);
		final String description = "pretrained " + backbone.name() + " cut at " + backbone.cut() +
			", " + p.transfer().strategy() + (p.transfer().strategy() == TransferTraining.Strategy.FINE_TUNE
				? " (" + p.transfer().fineTuning() + ")" : "") + (p.transfer().hidden() > 0 ? ", hidden " + p
					.transfer().hidden() : "");
		listener.trainingStarted(description, backbone.graph().numParams(), train, validation);
		final float[] classWeights = recipe.balancedClassWeights() ? balancedWeights(train) : null;
		final TransferTraining.Result result = TransferTraining.train(backbone, p.transfer()
			.withClassWeights(classWeights), recipe.settings(), normalization, train, validation,
			listener, cancelRequested, recipe.augmentation());
		final ModelBundle bundle = ModelBundle.of(result.result(), description, recipe.settings(),
			normalization, classWeights, train, validation);
		final String augmented = p.transfer().strategy() == TransferTraining.Strategy.FINE_TUNE
			? recipe.augmentation().toString() : "none";
		return new TrainedModel(new ModelBundle(bundle.network(), bundle.info().withInputSelection(
			recipe.selectedChannels(), recipe.zMaxProjection(), channelNames(images, recipe
				.selectedChannels())).resizingInput().withAugmentation(augmented)), result.result(),
			train, validation);
	}

	/**
	 * ImageNet's standardisation after the recipe's normalisation; for a DeepClass export, whose
	 * standardisation is inside the graph, its own per-image step, which the recipe must match
	 * (images scaled otherwise than it learned would make a silently worse model).
	 */
	private static Normalization backboneNormalization(final Backbone backbone,
		final TrainingRecipe recipe, final Dataset train)
	{
		final Normalization exported = backbone.exportedNormalization();
		if (exported == null) return Normalization.fit(recipe.normalization(), train, recipe
			.lowPercentile(), recipe.highPercentile()).thenStandardize(TransferTraining.IMAGENET_MEAN,
				TransferTraining.IMAGENET_STD);
		if (exported.method() != recipe.normalization()) throw new DeepClassException("the " +
			"backbone '" + backbone.name() + "' is a DeepClass model exported with normalization=" +
			exported.method().toString().replace(' ', '_') + "; train on it with the same " +
			"normalization so that images are scaled as it learned them.");
		return exported.method() == Normalization.Method.DATASET ? Normalization.fit(
			Normalization.Method.NONE, train, 0, 0) : exported;
	}

	/**
	 * "gray" for one channel, "red", "green", "blue" for RGB images, else "C" and the source
	 * channel's number (the chosen ones, in their order).
	 */
	static List<String> channelNames(final Dataset train, final int[] selected) {
		final int channels = train.shape().channels();
		if (channels == 1 && selected == null) return List.of("gray");
		boolean rgb = channels == 3 && selected == null && train.size() > 0;
		for (int i = 0; rgb && i < train.size(); i++)
			rgb = train.bitDepth(i) == 24;
		if (rgb) return List.of("red", "green", "blue");
		final List<String> names = new ArrayList<>();
		for (int c = 0; c < channels; c++)
			names.add("C" + (selected != null ? selected[c] : c + 1));
		return names;
	}

	/**
	 * Weights that make every class count as much in the loss as if all were the same size:
	 * n / (k x count), scikit-learn's "balanced". Classes without images get weight 0.
	 */
	public static float[] balancedWeights(final Dataset train) {
		final int[] counts = train.classCounts();
		int n = 0, present = 0;
		for (final int c : counts) {
			n += c;
			if (c > 0) present++;
		}
		final float[] weights = new float[counts.length];
		for (int c = 0; c < counts.length; c++)
			weights[c] = counts[c] == 0 ? 0f : (float) n / (present * counts[c]);
		return weights;
	}

	/**
	 * Trains as {@link #train(TrainingRecipe, Dataset)} and saves the model to {@code file}
	 * (atomically: an existing file is replaced only by a complete model). A run stopped before
	 * its first epoch ended saves nothing and says so.
	 */
	public TrainedModel trainToFile(final TrainingRecipe recipe, final Dataset dataset,
		final Path file)
	{
		return save(train(recipe, dataset), file);
	}

	/** Saves a trained model; see {@link #trainToFile}. */
	public static TrainedModel save(final TrainedModel model, final Path file) {
		if (model.result().history().isEmpty())
			throw new DeepClassException("training was stopped before the first epoch ended; no " +
				"model was saved.");
		try {
			ModelFiles.save(model.bundle(), file);
		}
		catch (final IOException e) {
			// the message names the file, the cause and the fix; the trained network is lost with it
			throw new DeepClassException("training finished but its model was not saved: " + e
				.getMessage() + " Then train again.", e);
		}
		return model;
	}
}
