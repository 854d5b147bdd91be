package io.deepclass.core.transfer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.nn.transferlearning.TransferLearningHelper;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

import io.deepclass.core.DeepClassException;
import io.deepclass.core.data.ArrayImageStore;
import io.deepclass.core.data.Augmentation;
import io.deepclass.core.data.Dataset;
import io.deepclass.core.data.ImageShape;
import io.deepclass.core.data.Normalization;
import io.deepclass.core.engine.Batches;
import io.deepclass.core.model.Network;
import io.deepclass.core.train.EpochStats;
import io.deepclass.core.train.Trainer;
import io.deepclass.core.train.TrainingListener;
import io.deepclass.core.train.TrainingResult;
import io.deepclass.core.train.TrainingSettings;

/**
 * Transfer learning as the PyTorch tutorials teach it, on DL4J's own transfer-learning API: a
 * pretrained {@link Backbone} gets a new head for the dataset's classes (optionally one hidden
 * layer with dropout), its layers frozen ({@code FrozenLayer}: their weights stay bit-identical).
 * {@link Strategy#FEATURES}: every image's features are computed once and kept in memory, then
 * only the head trains on them, fast. {@link Strategy#FINE_TUNE}: the same, then the whole
 * network unfrozen and trained on the images at a lower learning rate.
 */
public final class TransferTraining {

	/** How much of the pretrained network trains. */
	public enum Strategy {
		FEATURES, FINE_TUNE;

		public static Strategy parse(final String text) {
			return switch (text == null ? "" : text.trim().toLowerCase(Locale.ROOT)) {
				case "features" -> FEATURES;
				case "fine-tune", "fine_tune", "finetune" -> FINE_TUNE;
				default -> throw new DeepClassException("strategy must be features or fine-tune, not '" +
					text + "'.");
			};
		}

		@Override
		public String toString() {
			return this == FEATURES ? "features" : "fine-tune";
		}
	}

	/**
	 * @param hidden units of the head's hidden layer, 0 for none
	 * @param dropout probability of dropping a hidden unit (0: none)
	 * @param fineTuneEpochs epochs of the unfrozen network (fine-tune only)
	 * @param fineTuneFactor the fine-tuning learning rate as a fraction of the head's
	 * @param classWeights the head's loss weights per class (null: every class the same)
	 */
	public record Settings(Strategy strategy, int hidden, double dropout, int fineTuneEpochs,
		double fineTuneFactor, float[] classWeights)
	{

		/** A head whose loss weighs every class the same. */
		public Settings(final Strategy strategy, final int hidden, final double dropout,
			final int fineTuneEpochs, final double fineTuneFactor)
		{
			this(strategy, hidden, dropout, fineTuneEpochs, fineTuneFactor, null);
		}

		/** These settings with the head's loss weighing class c by {@code weights[c]}. */
		public Settings withClassWeights(final float[] weights) {
			return new Settings(strategy, hidden, dropout, fineTuneEpochs, fineTuneFactor, weights ==
				null ? null : weights.clone());
		}

		public Settings {
			if (hidden < 0 || dropout < 0 || dropout >= 1 || fineTuneEpochs < 0 || !(fineTuneFactor > 0))
				throw new DeepClassException("transfer settings out of range: hidden >= 0, 0 <= dropout " +
					"< 1, fine-tune epochs >= 0, fine-tune learning-rate factor > 0.");
		}

		/** The tutorials' recipe: a plain linear head; fine-tuning at a tenth of its rate. */
		public static Settings of(final Strategy strategy) {
			return new Settings(strategy, 0, 0, strategy == Strategy.FINE_TUNE ? 3 : 0, 0.1);
		}
	}

	/** The whole trained network (backbone and head) and its history, head epochs first. */
	public record Result(Network network, TrainingResult result) {}

	/** torchvision's ImageNet normalisation, applied after scaling images to 0..1. */
	public static final float[] IMAGENET_MEAN = { 0.485f, 0.456f, 0.406f },
		IMAGENET_STD = { 0.229f, 0.224f, 0.225f };

	/** Name of the new output layer. */
	static final String HEAD = "deepclass_head", HIDDEN = "deepclass_hidden";

	private TransferTraining() {}

	/**
	 * Trains a new head (and with fine-tuning, the whole network) on images already in the
	 * backbone's input shape ({@link #toBackboneInput}).
	 */
	public static Result train(final Backbone backbone, final Settings transfer,
		final TrainingSettings settings, final Normalization normalization, final Dataset train,
		final Dataset validation, final TrainingListener listener, final BooleanSupplier cancel)
	{
		return train(backbone, transfer, settings, normalization, train, validation, listener, cancel,
			Augmentation.NONE);
	}

	/**
	 * As above, with the fine-tuning stage's images changed by {@code augmentation} (the features
	 * stage computes each image's features once, so it sees them unchanged).
	 */
	public static Result train(final Backbone backbone, final Settings transfer,
		final TrainingSettings settings, final Normalization normalization, final Dataset train,
		final Dataset validation, final TrainingListener listener, final BooleanSupplier cancel,
		final Augmentation augmentation)
	{
		if (!train.shape().equals(backbone.input()))
			throw new IllegalArgumentException("images are " + train.shape() + ", the backbone takes " +
				backbone.input());
		final IUpdater updater = settings.optimizer().updater(settings.learningRate(), settings
			.momentum());
		final ComputationGraph frozen = withHead(backbone, train.numClasses(), transfer, updater,
			settings.seed(), true);

		// features: the frozen part once per image, then the head alone on them
		final TransferLearningHelper helper = new TransferLearningHelper(frozen);
		final Dataset trainFeatures = features(helper, train, normalization, settings.batchSize());
		final Dataset validationFeatures = validation == null ? null : features(helper, validation,
			normalization, settings.batchSize());
		final ComputationGraph head = helper.unfrozenGraph();
		final Normalization none = Normalization.fit(Normalization.Method.NONE, trainFeatures, 0, 0);
		final TrainingResult headResult = new Trainer(settings, listener, cancel).train(Network.of(
			head), none, trainFeatures, validationFeatures);
		for (final String name : List.of(HIDDEN, HEAD))
			if (head.getConfiguration().getVertices().containsKey(name)) frozen.getLayer(name).params()
				.assign(head.getLayer(name).params());
		if (transfer.strategy() == Strategy.FEATURES || headResult.cancelled() || transfer
			.fineTuneEpochs() == 0)
		{
			final Network whole = Network.of(frozen);
			return new Result(whole, new TrainingResult(whole, headResult.history(), headResult
				.cancelled()));
		}

		// fine-tune: everything trainable, from the trained head, at a lower learning rate
		final double rate = settings.learningRate() * transfer.fineTuneFactor();
		final ComputationGraph open = withHead(backbone, train.numClasses(), transfer, settings
			.optimizer().updater(rate, settings.momentum()), settings.seed(), false);
		for (final var layer : open.getLayers())
			if (layer.numParams() > 0) layer.params().assign(frozen.getLayer(layer.conf().getLayer()
				.getLayerName()).params());
		final TrainingResult tuned = new Trainer(settings.withEpochs(transfer.fineTuneEpochs())
			.withOptimizer(settings.optimizer(), rate), listener, cancel).withAugmentation(augmentation)
				.train(Network.of(open), normalization, train, validation);
		final List<EpochStats> history = new ArrayList<>(headResult.history());
		for (final EpochStats s : tuned.history())
			history.add(new EpochStats(headResult.history().size() + s.epoch(), s.trainLoss(), s
				.trainAccuracy(), s.validationLoss(), s.validationAccuracy(), s.learningRate(), s.seconds(),
				s.imagesPerSecond()));
		return new Result(tuned.network(), new TrainingResult(tuned.network(), history, tuned
			.cancelled()));
	}

	/** The backbone cut at its cut vertex with a new head; its layers frozen when {@code freeze}. */
	public static ComputationGraph withHead(final Backbone backbone, final int classes,
		final Settings transfer, final IUpdater updater, final long seed, final boolean freeze)
	{
		final ComputationGraphConfiguration conf = backbone.graph().getConfiguration();
		final TransferLearning.GraphBuilder builder = new TransferLearning.GraphBuilder(backbone
			.graph()).fineTuneConfiguration(new FineTuneConfiguration.Builder().updater(updater).seed(
				seed).build());
		for (final String name : downstream(conf, backbone.cut()))
			builder.removeVertexAndConnections(name);
		final INDArray example = backbone.graph().feedForward(org.nd4j.linalg.factory.Nd4j.zeros(
			backbone.input().batchShape(1)), false).get(backbone.cut());
		final var flatten = example.rank() == 4 ? new CnnToFeedForwardPreProcessor(example.size(2),
			example.size(3), example.size(1)) : null;
		String previous = backbone.cut();
		long width = backbone.features();
		if (transfer.hidden() > 0) {
			final DenseLayer.Builder hidden = new DenseLayer.Builder().nIn(width).nOut(transfer.hidden())
				.activation(Activation.RELU).weightInit(WeightInit.XAVIER);
			if (transfer.dropout() > 0) hidden.dropOut(1 - transfer.dropout());
			builder.addLayer(HIDDEN, hidden.build(), flatten, previous);
			previous = HIDDEN;
			width = transfer.hidden();
		}
		final OutputLayer.Builder out = transfer.classWeights() == null ? new OutputLayer.Builder(
			LossFunction.MCXENT) : new OutputLayer.Builder(new org.nd4j.linalg.lossfunctions.impl.LossMCXENT(
				org.nd4j.linalg.factory.Nd4j.createFromArray(transfer.classWeights())));
		builder.addLayer(HEAD, out.nIn(width).nOut(classes)
			.activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).build(), transfer.hidden() > 0
				? null : flatten, previous);
		builder.setOutputs(HEAD);
		if (freeze) builder.setFeatureExtractor(backbone.cut());
		return builder.build();
	}

	/** Every vertex fed, directly or not, by {@code cut}: the old classifier. */
	static Set<String> downstream(final ComputationGraphConfiguration conf, final String cut) {
		final Set<String> found = new LinkedHashSet<>();
		final Deque<String> todo = new ArrayDeque<>(List.of(cut));
		while (!todo.isEmpty()) {
			final String from = todo.pop();
			for (final Map.Entry<String, List<String>> e : conf.getVertexInputs().entrySet())
				if (e.getValue().contains(from) && found.add(e.getKey())) todo.push(e.getKey());
		}
		return found;
	}

	/** The frozen part's output for every image, as a dataset of C x H x W features. */
	static Dataset features(final TransferLearningHelper helper, final Dataset images,
		final Normalization normalization, final int batchSize)
	{
		final Batches batches = new Batches(images, normalization, batchSize);
		final int n = images.size();
		final int[] order = new int[n];
		for (int i = 0; i < n; i++)
			order[i] = i;
		float[] all = null;
		ImageShape shape = null;
		for (int from = 0; from < n; from += batchSize) {
			final int to = Math.min(n, from + batchSize);
			final DataSet featured = helper.featurize(new DataSet(batches.features(order, from, to)
				.dup(), batches.oneHot(order, from, to).dup()));
			final INDArray f = featured.getFeatures();
			if (shape == null) {
				shape = f.rank() == 4 ? new ImageShape((int) f.size(1), (int) f.size(2), (int) f.size(3))
					: new ImageShape((int) f.size(1), 1, 1);
				all = new float[n * shape.size()];
			}
			final float[] values = f.dup('c').data().asFloat();
			System.arraycopy(values, 0, all, from * shape.size(), values.length);
		}
		final String[] sources = new String[n];
		for (int i = 0; i < n; i++)
			sources[i] = images.source(i);
		return new Dataset(shape, images.classNames(), new ArrayImageStore(all, shape.size()), images
			.labels(), sources);
	}

	/**
	 * Images as the backbone takes them: resized to its input size, gray replicated to its 3
	 * channels (other channel counts must be chosen with select_channels first).
	 */
	public static Dataset toBackboneInput(final Dataset images, final ImageShape input) {
		if (images.shape().equals(input)) return images;
		if (images.shape().channels() != input.channels() && images.shape().channels() != 1)
			throw new DeepClassException("the backbone takes " + input.channels() + " channels, the " +
				"images have " + images.shape().channels() + "; choose " + input.channels() + " of them " +
				"with select_channels (or 1, which is repeated).");
		return images.converted(input);
	}
}
