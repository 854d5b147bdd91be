package io.deepclass.core.bundle;

import java.util.List;

import io.deepclass.core.data.ImageShape;
import io.deepclass.core.data.Normalization;
import io.deepclass.core.model.Network;
import io.deepclass.core.train.EpochStats;
import io.deepclass.core.train.TrainingSettings;

/**
 * What a model file says about its network, stored as {@code deepclass.json} beside it: enough
 * to apply the model correctly (classes, input shape, normalisation) and to know where it came
 * from (architecture, training settings and seed, a fingerprint of the training data, history,
 * final metrics, versions, date).
 */
public record ModelInfo(String format, int formatVersion, List<String> classNames,
	Input input, Norm normalization, String architecture, String networkKind,
	long parameterCount, Training training, List<EpochStats> history, Metrics metrics,
	String deepclassVersion, String dl4jVersion, String created)
{

	/** Identifies DeepClass model files. */
	public static final String FORMAT = "deepclass-model";

	/** The newest format this code reads and the one it writes. */
	public static final int FORMAT_VERSION = 1;

	/**
	 * Input shape as stored in JSON, and how images were made from the source data: which of its
	 * channels, in which order (1-based; null: all), whether Z was max-projected, and the
	 * channels' names ("gray"; "red", "green", "blue"; "C1", "C3" after the source's channel
	 * numbers). Classify, Evaluate and Visualize apply the same.
	 */
	public record Input(int channels, int height, int width, int[] selectedChannels,
		boolean zMaxProjection, List<String> channelNames, boolean resizes)
	{

		public static Input of(final ImageShape shape) {
			return new Input(shape.channels(), shape.height(), shape.width(), null, false, null, false);
		}

		public ImageShape shape() {
			return new ImageShape(channels, height, width);
		}
	}

	/**
	 * Normalisation as stored in JSON: the method ("percentile", "bit depth", "dataset", "none";
	 * absent in files written before there was a choice, which all used "dataset"), the
	 * dataset's per-channel mean and std, the percentiles.
	 */
	public record Norm(String method, float[] mean, float[] std, double lowPercentile,
		double highPercentile)
	{

		public static Norm of(final Normalization n) {
			return new Norm(n.method().toString(), n.mean(), n.std(), n.lowPercentile(), n
				.highPercentile());
		}

		public Normalization normalization() {
			return new Normalization(method == null ? Normalization.Method.DATASET : Normalization.Method
				.parse(method), mean, std, lowPercentile, highPercentile);
		}
	}

	/**
	 * Training settings, the data they were applied to, the device that trained ("CPU
	 * (onednn-avx2, 2 cores)", "GPU: NVIDIA ..."; null in files written before it was recorded),
	 * and the loss's class weights (null: unweighted); {@code stop}, with early stopping, which
	 * epoch's weights the model holds and why training ended there (null otherwise);
	 * {@code lineage}, for training continued from a saved model, which model and how many
	 * epochs before and after (null for a model trained from scratch).
	 */
	public record Training(TrainingSettings settings, String dataFingerprint, int trainingImages,
		int validationImages, boolean cancelled, String device, float[] classWeights,
		String augmentation, String stop, String lineage)
	{}

	/** Final figures: on the validation set when there was one. */
	public record Metrics(double validationAccuracy, double validationLoss, double trainAccuracy,
		double trainLoss)
	{}

	/** This description with how input images are made from the source data. */
	public ModelInfo withInputSelection(final int[] selectedChannels,
		final boolean zMaxProjection, final List<String> channelNames)
	{
		return new ModelInfo(format, formatVersion, classNames, new Input(input.channels(), input
			.height(), input.width(), selectedChannels == null ? null : selectedChannels.clone(),
			zMaxProjection, channelNames == null ? null : List.copyOf(channelNames), input.resizes()),
			normalization,
			architecture, networkKind, parameterCount, training, history, metrics, deepclassVersion,
			dl4jVersion, created);
	}

	/**
	 * This description for a network that takes images of any size and channel count, resized
	 * and converted to its input (a pretrained backbone's 3 x 224 x 224, say).
	 */
	public ModelInfo resizingInput() {
		return new ModelInfo(format, formatVersion, classNames, new Input(input.channels(), input
			.height(), input.width(), input.selectedChannels(), input.zMaxProjection(), input
				.channelNames(), true), normalization, architecture, networkKind, parameterCount, training,
			history, metrics, deepclassVersion, dl4jVersion, created);
	}

	/** This description with the augmentation training used (its spec, "none"). */
	public ModelInfo withAugmentation(final String augmentation) {
		final Training t = training;
		return new ModelInfo(format, formatVersion, classNames, input, normalization, architecture,
			networkKind, parameterCount, t == null ? null : new Training(t.settings(), t
				.dataFingerprint(), t.trainingImages(), t.validationImages(), t.cancelled(), t.device(), t
					.classWeights(), augmentation, t.stop(), t.lineage()), history, metrics, deepclassVersion,
			dl4jVersion, created);
	}

	/** This description of a model whose training went on from another: {@code lineage} says how. */
	public ModelInfo withLineage(final String lineage) {
		final Training t = training;
		return new ModelInfo(format, formatVersion, classNames, input, normalization, architecture,
			networkKind, parameterCount, t == null ? null : new Training(t.settings(), t
				.dataFingerprint(), t.trainingImages(), t.validationImages(), t.cancelled(), t.device(), t
					.classWeights(), t.augmentation(), t.stop(), lineage), history, metrics, deepclassVersion,
			dl4jVersion, created);
	}

	/** This description for another network (kind and parameter count from the network). */
	public ModelInfo forNetwork(final Network network) {
		return new ModelInfo(format, formatVersion, classNames, input, normalization, architecture,
			network.kind(), network.numParams(), training, history, metrics, deepclassVersion,
			dl4jVersion, created);
	}

	/** The most classes a model file may name: far more than any classifier has. */
	static final int MAX_CLASSES = 1 << 20;

	/**
	 * The most values an input image may have (2048 x 2048 gray, 1024 x 1024 x 4), far more than
	 * a classifier trained on a CPU takes. Checked before anything is allocated for it: ND4J
	 * crashes the JVM when an allocation fails, and load runs the network once on such an image.
	 */
	static final long MAX_INPUT_VALUES = 1L << 22;

	/**
	 * Checks what a model file read from disk says before it is used: classes, input shape and
	 * normalisation must be present and in range.
	 *
	 * @throws IllegalArgumentException saying what is wrong, for the user
	 */
	void check() {
		if (classNames == null || classNames.size() < 2)
			throw new IllegalArgumentException("it names " + (classNames == null ? "no" : classNames
				.size()) + " classes, at least 2 are needed");
		if (classNames.size() > MAX_CLASSES)
			throw new IllegalArgumentException("it names " + classNames.size() + " classes, more than " +
				"the " + MAX_CLASSES + " a model may have");
		if (classNames.contains(null))
			throw new IllegalArgumentException("a class has no name");
		if (input == null) throw new IllegalArgumentException("it has no input shape");
		final ImageShape shape = inputShape();
		if (shape.isSizeOnly()) throw new IllegalArgumentException("its input has no channels");
		final long values = (long) shape.channels() * shape.height() * shape.width();
		if (values > MAX_INPUT_VALUES)
			throw new IllegalArgumentException("its input of " + shape.width() + "x" + shape.height() +
				" pixels and " + shape.channels() + " channels is larger than the " + MAX_INPUT_VALUES +
				" values DeepClass handles");
		if (input.selectedChannels() != null) for (final int c : input.selectedChannels())
			if (c < 1) throw new IllegalArgumentException("it selects channel " + c);
		if (normalization == null || normalization.mean() == null || normalization.std() == null)
			throw new IllegalArgumentException("it has no normalisation values");
		if (normalization.mean().length > shape.channels())
			throw new IllegalArgumentException("its normalisation has " + normalization.mean().length +
				" channels but its input " + shape.channels());
		for (final float m : normalization.mean())
			if (!Float.isFinite(m)) throw new IllegalArgumentException("a normalisation mean is " + m);
		normalizationValues();
		if (networkKind == null) throw new IllegalArgumentException("it does not say which kind " +
			"of network it holds");
	}

	public ImageShape inputShape() {
		return input.shape();
	}

	public Normalization normalizationValues() {
		return normalization.normalization();
	}
}
