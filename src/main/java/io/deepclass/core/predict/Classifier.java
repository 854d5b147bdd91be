package io.deepclass.core.predict;

import java.util.Arrays;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;

import io.deepclass.core.backend.NativeThreads;
import io.deepclass.core.bundle.IncompatibleModelException;
import io.deepclass.core.bundle.ModelBundle;
import io.deepclass.core.data.Batches;
import io.deepclass.core.data.Dataset;
import io.deepclass.core.model.Network;

/**
 * Classifies images with a trained model: normalises them as the model was trained, runs the
 * network in batches, and answers per image the predicted class and all class probabilities.
 */
public final class Classifier {

	private final ModelBundle model;

	public Classifier(final ModelBundle model) {
		this.model = model;
	}

	public ModelBundle model() {
		return model;
	}

	/** Classifies all images; see {@link #classify(Dataset, BooleanSupplier, IntConsumer)}. */
	public Predictions classify(final Dataset images) {
		return classify(images, null, null);
	}

	/**
	 * @param cancelled checked between batches; when it answers true, only the images done so
	 *          far are returned
	 * @param progress receives the count of images done after each batch (may be null)
	 * @throws IncompatibleModelException when the images' shape is not the model's input shape
	 */
	public Predictions classify(final Dataset given, final BooleanSupplier cancelled,
		final IntConsumer progress)
	{
		// a pretrained backbone's model takes every image resized to its input
		final Dataset images = model.info().input().resizes() && !given.shape().equals(model.info()
			.inputShape()) ? given.converted(model.info().inputShape()) : given;
		checkCompatible(images);
		NativeThreads.configure();
		final float[][] all = Batches.probabilities(model.network()::output, images, model.info()
			.normalizationValues(), batchSize(), cancelled, progress);
		int done = 0;
		while (done < all.length && all[done] != null)
			done++;
		final float[][] probabilities = Arrays.copyOf(all, done);
		final int[] predicted = new int[done];
		final String[] sources = new String[done];
		for (int i = 0; i < done; i++) {
			predicted[i] = Predictions.argMax(probabilities[i]);
			sources[i] = images.source(i);
		}
		return new Predictions(model.info().classNames(), sources, predicted, probabilities);
	}

	/**
	 * Images per forward pass: up to {@value Network#MAX_INFERENCE_BATCH}, fewer for networks
	 * whose activations would take much memory at that many ({@link Network#inferenceBatch}).
	 */
	public int batchSize() {
		return model.network().inferenceBatch(model.info().inputShape());
	}

	/** Throws when images of {@code dataset}'s shape cannot go through this model. */
	public void checkCompatible(final Dataset dataset) {
		if (!dataset.shape().equals(model.info().inputShape()))
			throw new IncompatibleModelException("the model expects " + model.info().inputShape() +
				" images but these are " + dataset.shape() + ". Resize/convert them to " + model.info()
					.inputShape() + " (the import's target size and channels) or choose a model " +
				"trained on images like these.");
	}
}
