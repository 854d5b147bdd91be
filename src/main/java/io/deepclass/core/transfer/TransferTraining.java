package io.deepclass.core.transfer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.BooleanSupplier;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

import io.deepclass.core.DeepClassException;
import io.deepclass.core.backend.NativeSeed;
import io.deepclass.core.data.Augmentation;
import io.deepclass.core.data.Dataset;
import io.deepclass.core.data.ImageShape;
import io.deepclass.core.data.Normalization;
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
	 * @param unfreeze fine-tune only the last this many convolution or dense layers of the
	 *   backbone, and what follows them (0: all of it)
	 * @param freezeBatchNorm fine-tune with the backbone's BatchNorm layers as they are: their
	 *   running statistics used, not updated, and their scale and shift not trained (small
	 *   batches, as in PyTorch's {@code model.eval()} for them); false: updated as they train
	 */
	public record Settings(Strategy strategy, int hidden, double dropout, int fineTuneEpochs,
		double fineTuneFactor, float[] classWeights, int unfreeze, boolean freezeBatchNorm)
	{

		/** A head whose loss weighs every class the same; all of the backbone fine-tuned. */
		public Settings(final Strategy strategy, final int hidden, final double dropout,
			final int fineTuneEpochs, final double fineTuneFactor)
		{
			this(strategy, hidden, dropout, fineTuneEpochs, fineTuneFactor, null, 0, false);
		}

		/** These settings with the head's loss weighing class c by {@code weights[c]}. */
		public Settings withClassWeights(final float[] weights) {
			return new Settings(strategy, hidden, dropout, fineTuneEpochs, fineTuneFactor, weights ==
				null ? null : weights.clone(), unfreeze, freezeBatchNorm);
		}

		/** These settings with {@code epochs} of fine-tuning (used by {@link Strategy#FINE_TUNE}). */
		public Settings withFineTuneEpochs(final int epochs) {
			return new Settings(strategy, hidden, dropout, epochs, fineTuneFactor, classWeights,
				unfreeze, freezeBatchNorm);
		}

		/** These settings fine-tuning the last {@code layers} layers (0: all), BatchNorm as said. */
		public Settings withUnfreeze(final int layers, final boolean frozenBatchNorm) {
			return new Settings(strategy, hidden, dropout, fineTuneEpochs, fineTuneFactor, classWeights,
				layers, frozenBatchNorm);
		}

		public Settings {
			if (hidden < 0 || dropout < 0 || dropout >= 1 || fineTuneEpochs < 0 || !(fineTuneFactor >
				0) || unfreeze < 0)
				throw new DeepClassException("transfer settings out of range: hidden >= 0, 0 <= dropout " +
					"< 1, fine-tune epochs >= 0, fine-tune learning-rate factor > 0, unfreeze >= 0.");
		}

		/** The tutorials' recipe: a plain linear head; fine-tuning at a tenth of its rate. */
		public static Settings of(final Strategy strategy) {
			return new Settings(strategy, 0, 0, strategy == Strategy.FINE_TUNE ? 3 : 0, 0.1);
		}

		/** How the model card states the fine-tuning: "all layers" or "last 4 layers", BatchNorm. */
		public String fineTuning() {
			return (unfreeze == 0 ? "all layers" : "last " + unfreeze + " layers") + ", BatchNorm " + (
				freezeBatchNorm ? "frozen" : "updated");
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
		// the whole network, the backbone's weights copied and a new head, is built on another
		// thread while the features are computed on the backbone itself (resnet18: 0.45 s)
		final FutureTask<ComputationGraph> building = new FutureTask<>(() -> withHead(backbone, train
			.numClasses(), transfer, updater, settings.seed(), true));
		final Thread builder = new Thread(building, "DeepClass: building the network");
		builder.setDaemon(true);
		builder.start();

		// features: the backbone once per image, then the head alone on them
		final int total = train.size() + (validation == null ? 0 : validation.size());
		final Dataset trainFeatures = features(backbone, train, normalization, settings.batchSize(),
			done -> progress(listener, done, total), cancel);
		final Dataset validationFeatures = validation == null || trainFeatures == null ? null
			: features(backbone, validation, normalization, settings.batchSize(), done -> progress(
				listener, train.size() + done, total), cancel);
		final ComputationGraph frozen = built(building);
		if (trainFeatures == null || validation != null && validationFeatures == null) {
			final Network whole = Network.of(frozen);
			return new Result(whole, new TrainingResult(whole, List.of(), true));
		}
		// the head alone, a MultiLayerNetwork on the features: DL4J's training step costs it a third
		// to a half of what the same head costs as a ComputationGraph (160 steps: 0.43 s against 0.92 s)
		final MultiLayerNetwork head = headNetwork(trainFeatures.shape(), train.numClasses(), transfer,
			updater, settings.seed());
		final Normalization scaling = HeadOnFeatures.featureScaling(trainFeatures);
		final TrainingResult headResult = new Trainer(HeadOnFeatures.settings(settings), listener,
			cancel).train(Network.of(head),
			scaling, HeadOnFeatures.repeated(trainFeatures, HeadOnFeatures.headRepeats(settings,
				trainFeatures.size())),
			validationFeatures);
		HeadOnFeatures.foldScaling(head.getLayer(0), scaling, trainFeatures.shape());
		final List<String> names = transfer.hidden() > 0 ? List.of(HIDDEN, HEAD) : List.of(HEAD);
		for (int i = 0; i < names.size(); i++)
			frozen.getLayer(names.get(i)).params().assign(head.getLayer(i).params());
		if (transfer.strategy() == Strategy.FEATURES || headResult.cancelled() || transfer
			.fineTuneEpochs() == 0)
		{
			final Network whole = Network.of(frozen);
			return new Result(whole, new TrainingResult(whole, headResult.history(), headResult
				.cancelled(), headResult.keptEpoch(), headResult.stop()));
		}

		// fine-tune: the chosen layers trainable, from the trained head, at a lower learning rate
		final double rate = settings.learningRate() * transfer.fineTuneFactor();
		final ComputationGraph open = fineTuneGraph(backbone, train.numClasses(), transfer, settings
			.optimizer().updater(rate, settings.momentum()), settings.seed());
		for (final String name : List.of(HIDDEN, HEAD))
			if (open.getConfiguration().getVertices().containsKey(name)) open.getLayer(name).params()
				.assign(frozen.getLayer(name).params());
		final TrainingResult tuned = new Trainer(settings.withEpochs(transfer.fineTuneEpochs())
			.withOptimizer(settings.optimizer(), rate), listener, cancel).withAugmentation(augmentation)
				.train(Network.of(open), normalization, train, validation);
		final List<EpochStats> history = new ArrayList<>(headResult.history());
		for (final EpochStats s : tuned.history())
			history.add(new EpochStats(headResult.history().size() + s.epoch(), s.trainLoss(), s
				.trainAccuracy(), s.validationLoss(), s.validationAccuracy(), s.learningRate(), s.seconds(),
				s.imagesPerSecond()));
		// with early stopping, either stage may have kept an earlier epoch: say which, in the
		// numbering of the whole history, and why each stage ended where it did
		final int headEpochs = headResult.history().size();
		final int kept = tuned.keptEpoch() > 0 ? headEpochs + tuned.keptEpoch() : 0;
		final String stop = headResult.stop() == null && tuned.stop() == null ? null : "features: " +
			(headResult.stop() == null ? "all " + headEpochs + " epochs" : headResult.stop()) +
			"; fine-tuning: " + (tuned.stop() == null ? "all " + tuned.history().size() + " epochs"
				: tuned.stop());
		return new Result(tuned.network(), new TrainingResult(tuned.network(), history, tuned
			.cancelled(), kept, stop));
	}

	/** The backbone cut at its cut vertex with a new head; its layers frozen when {@code freeze}. */
	public static ComputationGraph withHead(final Backbone backbone, final int classes,
		final Settings transfer, final IUpdater updater, final long seed, final boolean freeze)
	{
		return withHead(backbone, classes, transfer, updater, seed, freeze ? new String[] { backbone
			.cut() } : new String[0]);
	}

	/**
	 * The graph fine-tuning trains: the backbone frozen up to the last {@code unfreeze}
	 * convolution or dense layers; with frozen BatchNorm, each BatchNorm layer becomes what it
	 * computes at inference, a fixed per-channel scale and shift (a 1x1 depthwise convolution,
	 * frozen, gradients passed through; detectron2's FrozenBatchNorm2d does the same). DL4J's own
	 * BatchNorm cannot backpropagate in inference mode (M2.1's helper fails), and in training mode
	 * it would normalise with each small batch's statistics.
	 */
	static ComputationGraph fineTuneGraph(final Backbone backbone, final int classes,
		final Settings transfer, final IUpdater updater, final long seed)
	{
		final ComputationGraph graph = withHead(backbone, classes, transfer, updater, seed,
			frozenUpTo(backbone, transfer.unfreeze()));
		if (!transfer.freezeBatchNorm()) return graph;
		final ComputationGraphConfiguration conf = graph.getConfiguration().clone();
		final Map<String, INDArray[]> folded = new java.util.HashMap<>();
		for (final var e : conf.getVertices().entrySet()) {
			if (!(e.getValue() instanceof org.deeplearning4j.nn.conf.graph.LayerVertex lv)) continue;
			final var inner = lv.getLayerConf().getLayer() instanceof
				org.deeplearning4j.nn.conf.layers.misc.FrozenLayer f ? f.getLayer() : lv.getLayerConf()
					.getLayer();
			if (!(inner instanceof org.deeplearning4j.nn.conf.layers.BatchNormalization bn)) continue;
			final var layer = graph.getLayer(e.getKey());
			final INDArray gamma = layer.getParam("gamma"), beta = layer.getParam("beta");
			final INDArray scale = gamma.div(org.nd4j.linalg.ops.transforms.Transforms.sqrt(layer
				.getParam("var").add(bn.getEps()), false));
			folded.put(e.getKey(), new INDArray[] { scale, beta.sub(layer.getParam("mean").mul(scale)) });
			final var depthwise = new org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D.Builder(1,
				1).nIn(gamma.length()).depthMultiplier(1).hasBias(true).activation(Activation.IDENTITY)
					.convolutionMode(org.deeplearning4j.nn.conf.ConvolutionMode.Truncate).weightInit(WeightInit.ZERO)
					.biasInit(0).updater(new org.nd4j.linalg.learning.config.NoOp()).name(e.getKey())
					.build();
			// in the frozen part (unfreeze > 0) nothing below needs gradients, and the frozen layer
			// above passes none: passing them through here fails DL4J's backward pass
			final org.deeplearning4j.nn.conf.layers.Layer affine = lv.getLayerConf()
				.getLayer() instanceof org.deeplearning4j.nn.conf.layers.misc.FrozenLayer
					? new org.deeplearning4j.nn.conf.layers.misc.FrozenLayer(depthwise)
					: new org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop(depthwise);
			affine.setLayerName(e.getKey());
			lv.getLayerConf().setLayer(affine);
		}
		final ComputationGraph kept = new ComputationGraph(conf);
		kept.init();
		for (final var layer : kept.getLayers()) {
			final String name = layer.conf().getLayer().getLayerName();
			final INDArray[] affine = folded.get(name);
			if (affine != null) {
				layer.getParam("W").assign(affine[0].reshape(layer.getParam("W").shape()));
				layer.getParam("b").assign(affine[1].reshape(layer.getParam("b").shape()));
			}
			else if (layer.numParams() > 0) layer.params().assign(graph.getLayer(name).params());
		}
		return kept;
	}

	/**
	 * The vertices whose output and everything before it stay frozen so that only the last
	 * {@code unfreeze} convolution or dense layers of the backbone train (none for 0 or more
	 * layers than it has): the inputs of that layer.
	 */
	static String[] frozenUpTo(final Backbone backbone, final int unfreeze) {
		if (unfreeze == 0) return new String[0];
		final ComputationGraphConfiguration conf = backbone.graph().getConfiguration();
		final Set<String> old = downstream(conf, backbone.cut());
		final List<String> trainable = new ArrayList<>();
		for (final String name : backbone.graph().getConfiguration().getTopologicalOrderStr())
			if (!old.contains(name) && conf.getVertices().get(
				name) instanceof org.deeplearning4j.nn.conf.graph.LayerVertex lv && (lv.getLayerConf()
					.getLayer() instanceof org.deeplearning4j.nn.conf.layers.ConvolutionLayer || lv
						.getLayerConf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.DenseLayer))
				trainable.add(name);
		if (unfreeze >= trainable.size()) return new String[0];
		final List<String> inputs = conf.getVertexInputs().get(trainable.get(trainable.size() -
			unfreeze));
		return inputs.stream().filter(v -> !conf.getNetworkInputs().contains(v)).toArray(
			String[]::new);
	}

	private static ComputationGraph withHead(final Backbone backbone, final int classes,
		final Settings transfer, final IUpdater updater, final long seed, final String[] frozen)
	{
		final ComputationGraphConfiguration conf = backbone.graph().getConfiguration();
		final TransferLearning.GraphBuilder builder = new TransferLearning.GraphBuilder(backbone
			.graph()).fineTuneConfiguration(new FineTuneConfiguration.Builder().updater(updater).seed(
				NativeSeed.of(seed)).build());
		for (final String name : downstream(conf, backbone.cut()))
			builder.removeVertexAndConnections(name);
		final var flatten = Backbone.outputType(conf, backbone.input(), backbone
			.cut()) instanceof InputType.InputTypeConvolutional c ? new CnnToFeedForwardPreProcessor(c
				.getHeight(), c.getWidth(), c.getChannels()) : null;
		String previous = backbone.cut();
		final List<org.deeplearning4j.nn.conf.layers.Layer> head = headLayers(backbone.features(),
			classes, transfer);
		if (head.size() > 1) {
			builder.addLayer(HIDDEN, head.get(0), flatten, previous);
			previous = HIDDEN;
		}
		builder.addLayer(HEAD, head.get(head.size() - 1), head.size() > 1 ? null : flatten, previous);
		builder.setOutputs(HEAD);
		if (frozen.length > 0) builder.setFeatureExtractor(frozen);
		final ComputationGraph graph = builder.build();
		// by name: TransferLearning copies flat parameter vectors, and a FrozenLayerWithBackprop's
		// (an imported per-channel constant) lays out its weights and bias in another order there
		for (final var layer : graph.getLayers()) {
			final String name = layer.conf().getLayer().getLayerName();
			if (!conf.getVertices().containsKey(name)) continue;
			final var original = backbone.graph().getLayer(name);
			for (final var p : layer.paramTable().entrySet())
				p.getValue().assign(original.getParam(p.getKey()));
		}
		return graph;
	}

	/**
	 * The new head's layers for {@code features} inputs: the hidden layer (when the settings ask
	 * for one, with its dropout), then the softmax output, with the class weights in its loss.
	 */
	static List<org.deeplearning4j.nn.conf.layers.Layer> headLayers(final long features,
		final int classes, final Settings transfer)
	{
		final List<org.deeplearning4j.nn.conf.layers.Layer> layers = new ArrayList<>();
		long width = features;
		if (transfer.hidden() > 0) {
			final DenseLayer.Builder hidden = new DenseLayer.Builder().nIn(width).nOut(transfer.hidden())
				.activation(Activation.RELU).weightInit(WeightInit.XAVIER);
			if (transfer.dropout() > 0) hidden.dropOut(1 - transfer.dropout());
			layers.add(hidden.build());
			width = transfer.hidden();
		}
		final OutputLayer.Builder out = transfer.classWeights() == null ? new OutputLayer.Builder(
			LossFunction.MCXENT) : new OutputLayer.Builder(new org.nd4j.linalg.lossfunctions.impl.LossMCXENT(
				org.nd4j.linalg.factory.Nd4j.createFromArray(transfer.classWeights())));
		layers.add(out.nIn(width).nOut(classes).activation(Activation.SOFTMAX).weightInit(
			WeightInit.XAVIER).build());
		return layers;
	}

	/**
	 * The head alone, as a network that takes the backbone's features ({@code features}: C x H x
	 * W, flattened channel by channel as {@link #withHead} flattens them) and trains with
	 * {@code updater}; its layers are those of {@link #withHead}'s head, in order.
	 */
	static MultiLayerNetwork headNetwork(final ImageShape features, final int classes,
		final Settings transfer, final IUpdater updater, final long seed)
	{
		final NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(
			NativeSeed.of(seed)).updater(updater).list();
		final List<org.deeplearning4j.nn.conf.layers.Layer> layers = headLayers(features.size(),
			classes, transfer);
		for (final org.deeplearning4j.nn.conf.layers.Layer layer : layers)
			list.layer(layer);
		list.inputPreProcessor(0, new CnnToFeedForwardPreProcessor(features.height(), features.width(),
			features.channels()));
		final MultiLayerNetwork head = new MultiLayerNetwork(list.build());
		head.init();
		return head;
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

	private static void progress(final TrainingListener listener, final int done, final int total) {
		if (listener != null) listener.preparing("backbone features", done, total);
	}

	/**
	 * The backbone's features of every image, as a dataset of C x H x W features; null when
	 * cancelled. {@code done} hears how many images are done after each batch.
	 */
	static Dataset features(final Backbone backbone, final Dataset images,
		final Normalization normalization, final int batchSize,
		final java.util.function.IntConsumer done, final BooleanSupplier cancel)
	{
		final Backbone.Features features = backbone.featuresOf(images, normalization, batchSize, done,
			cancel);
		return features == null ? null : features.dataset(images);
	}

	/** The network {@code building} built, waiting for it; its failure thrown as it was. */
	private static ComputationGraph built(final FutureTask<ComputationGraph> building) {
		boolean interrupted = false;
		try {
			while (true) {
				try {
					return building.get();
				}
				catch (final InterruptedException e) {
					interrupted = true; // the build is short: finish waiting, keep the interrupt
				}
				catch (final ExecutionException e) {
					if (e.getCause() instanceof RuntimeException r) throw r;
					if (e.getCause() instanceof Error r) throw r;
					throw new IllegalStateException(e.getCause());
				}
			}
		}
		finally {
			if (interrupted) Thread.currentThread().interrupt();
		}
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
