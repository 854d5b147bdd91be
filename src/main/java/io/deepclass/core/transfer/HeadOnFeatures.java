package io.deepclass.core.transfer;

import org.deeplearning4j.nn.api.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import io.deepclass.core.data.Dataset;
import io.deepclass.core.data.ImageShape;
import io.deepclass.core.data.Normalization;
import io.deepclass.core.train.TrainingSettings;

/**
 * How the features strategy's head learns on a backbone's features: on per-channel standardised
 * features, folded back into its first layer afterwards, at a learning rate fit for them, with a
 * few optimiser steps in each epoch at least when labels are very few.
 */
public final class HeadOnFeatures {

	private HeadOnFeatures() {}

	/**
	 * How many times the learning rate asked the head learns at: the rate is chosen for images
	 * and networks (the tutorials' Adam 0.001), where a linear head on standardised features, a
	 * logistic regression, takes steps ten times as long. At 0.001 it had hardly moved after the
	 * recipe's 40 steps at 10 labels per class (the PyTorch peer's 60 % on the digits bench) and
	 * still gained after 200 (71 %); at 0.01 the recipe's own steps give 73 % and 90 % at 50
	 * labels per class (87 % after 320 steps at 0.001). Fine-tuning stays at its own rate.
	 */
	public static final double RATE_FACTOR = 10;

	/**
	 * The fewest optimiser steps the head takes in each epoch on the features
	 * ({@link #headRepeats}): with 2 classes of 5 labels, one batch would make 10 epochs 10 steps.
	 * Per epoch, not per run, so that an epoch means the same whatever the number asked: early
	 * stopping's best epoch is then that of a run asked for that many epochs.
	 */
	public static final int MIN_HEAD_STEPS_PER_EPOCH = 4;

	/** {@code settings} as the head trains with them: at {@link #RATE_FACTOR} times the rate. */
	public static TrainingSettings settings(final TrainingSettings settings) {
		return settings.withOptimizer(settings.optimizer(), settings.learningRate() * RATE_FACTOR);
	}

	/**
	 * How many times each epoch of the head goes over the {@code images} feature vectors so that
	 * it takes at least {@link #MIN_HEAD_STEPS_PER_EPOCH} optimiser steps of {@code settings}'
	 * batch size (1 when it does anyway); a step of a linear head costs about a millisecond.
	 */
	public static int headRepeats(final TrainingSettings settings, final int images) {
		if (images <= 0) return 1;
		final long needed = (long) MIN_HEAD_STEPS_PER_EPOCH * settings.batchSize();
		return (int) Math.max(1, Math.min(1000, (needed + images - 1) / images));
	}

	/** {@code features} each {@code times} times over, in order (the trainer shuffles them). */
	static Dataset repeated(final Dataset features, final int times) {
		if (times <= 1) return features;
		final int[] indices = new int[features.size() * times];
		for (int i = 0; i < indices.length; i++)
			indices[i] = i % features.size();
		return features.subset(indices);
	}

	/**
	 * What the head's input is standardised with while it trains: each feature channel to mean 0
	 * and spread 1 over the training images. A backbone's pooled features have scales that differ
	 * by orders of magnitude between channels (ReLU outputs, many near 0); standardised, one
	 * learning rate suits them all, as for a logistic regression on features. Folded into the
	 * head's first layer afterwards ({@link #foldScaling}), so the model takes raw features.
	 */
	public static Normalization featureScaling(final Dataset features) {
		return Normalization.fit(Normalization.Method.DATASET, features, 0, 0);
	}

	/**
	 * Makes a head's first layer (hidden or output) compute on raw features what it learned on
	 * standardised ones: with x' = (x - mean) / std, W x' + b = (W / std) x + (b - W mean / std).
	 * Channel c of a C x H x W feature map is flattened to inputs c*H*W .. (c+1)*H*W - 1.
	 */
	public static void foldScaling(final Layer layer, final Normalization scaling,
		final ImageShape features)
	{
		final INDArray w = layer.getParam("W"), b = layer.getParam("b");
		final int plane = features.height() * features.width();
		final float[] mean = new float[(int) w.size(0)], std = new float[mean.length];
		for (int i = 0; i < mean.length; i++) {
			mean[i] = scaling.mean()[i / plane];
			std[i] = scaling.std()[i / plane];
		}
		final INDArray folded = w.divColumnVector(Nd4j.createFromArray(std).reshape(std.length, 1));
		final INDArray shift = Nd4j.createFromArray(mean).reshape(1, mean.length).mmul(folded);
		w.assign(folded);
		b.subi(shift.reshape(b.shape()));
	}
}
