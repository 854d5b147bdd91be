package io.deepclass.core.cells;

import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

import io.deepclass.core.backend.NativeSeed;
import io.deepclass.core.bundle.ModelBundle;
import io.deepclass.core.data.ArrayImageStore;
import io.deepclass.core.data.Dataset;
import io.deepclass.core.data.ImageShape;
import io.deepclass.core.data.Normalization;
import io.deepclass.core.model.Network;
import io.deepclass.core.train.Optimizer;
import io.deepclass.core.train.TrainingResult;
import io.deepclass.core.train.TrainingSettings;
import io.deepclass.core.transfer.Backbone;
import io.deepclass.core.transfer.HeadOnFeatures;
import io.deepclass.core.transfer.TransferTraining;

/**
 * A pretrained backbone's features for every cell, computed once, and a linear softmax head
 * (DL4J's {@code OutputLayer}, Adam) retrained on the labelled cells' features in a fraction of
 * a second. The head learns on standardised features (each feature's mean and spread over all
 * cells, so that one learning rate suits every backbone); for the model file that
 * standardisation is folded into the head's weights, which then sit on the backbone exactly as
 * Train Classifier's {@code features} strategy puts them: the saved model takes raw patches.
 */
public final class PretrainedCells implements CellModel {

	private final Backbone backbone;

	private final Normalization normalization;

	private float[] featureMean, featureStd;

	/** @param normalization how patches are scaled before the backbone (its standardisation included) */
	public PretrainedCells(final Backbone backbone, final Normalization normalization) {
		this.backbone = backbone;
		this.normalization = normalization;
	}

	/** Patches scaled by their own 1-99.8 percentiles, then ImageNet's standardisation. */
	public static PretrainedCells of(final Backbone backbone) {
		final int channels = backbone.input().channels();
		final float[] zero = new float[channels], one = new float[channels];
		java.util.Arrays.fill(one, 1f);
		final Normalization percentile = new Normalization(Normalization.Method.PERCENTILE, zero, one,
			Normalization.DEFAULT_LOW, Normalization.DEFAULT_HIGH);
		return new PretrainedCells(backbone, channels == 3 ? percentile.thenStandardize(
			TransferTraining.IMAGENET_MEAN, TransferTraining.IMAGENET_STD) : percentile);
	}

	@Override
	public ImageShape patchShape() {
		return backbone.input();
	}

	@Override
	public Dataset inputs(final Dataset patches, final IntConsumer done,
		final BooleanSupplier cancel)
	{
		final Backbone.Features features = backbone.featuresOf(patches, normalization, 32, done,
			cancel);
		if (features == null) return null;
		final int d = features.shape().size(), n = patches.size();
		featureMean = new float[d];
		featureStd = new float[d];
		final float[] all = features.values();
		standardize(all, n, d);
		final String[] sources = new String[patches.size()];
		for (int i = 0; i < sources.length; i++)
			sources[i] = patches.source(i);
		return new Dataset(new ImageShape(d, 1, 1), patches.classNames(), new ArrayImageStore(all, d),
			patches.labels().clone(), sources);
	}

	/** Each feature to mean 0, spread 1 over all cells; remembers both for {@link #bundle}. */
	private void standardize(final float[] all, final int n, final int d) {
		for (int j = 0; j < d; j++) {
			double sum = 0, sumSq = 0;
			for (int i = 0; i < n; i++) {
				sum += all[i * d + j];
				sumSq += (double) all[i * d + j] * all[i * d + j];
			}
			final double mean = n == 0 ? 0 : sum / n;
			final double variance = n == 0 ? 0 : Math.max(0, sumSq / n - mean * mean);
			featureMean[j] = (float) mean;
			featureStd[j] = variance > 1e-12 ? (float) Math.sqrt(variance) : 1f;
			for (int i = 0; i < n; i++)
				all[i * d + j] = (all[i * d + j] - featureMean[j]) / featureStd[j];
		}
	}

	@Override
	public Network head(final ImageShape inputs, final int classes, final long seed) {
		final var conf = new NeuralNetConfiguration.Builder().seed(NativeSeed.of(seed)).updater(
			new Adam(0.01)).weightInit(WeightInit.XAVIER).l2(1e-3).list().layer(new OutputLayer.Builder(
				LossFunction.MCXENT).nIn(inputs.size()).nOut(classes).activation(Activation.SOFTMAX)
					.build()).setInputType(InputType.convolutional(inputs.height(), inputs.width(), inputs
						.channels())).build();
		final MultiLayerNetwork head = new MultiLayerNetwork(conf);
		head.init();
		return Network.of(head);
	}

	@Override
	public TrainingSettings settings(final int labelled, final long seed) {
		// all labelled cells in one batch (up to 256), about 100 Adam steps: enough for a linear
		// head on standardised features, and few calls into DL4J (each costs more than its maths)
		final int batch = 256;
		final int epochs = Math.max(30, Math.min(100, 100 * batch / Math.max(1, labelled)));
		return TrainingSettings.defaults().withOptimizer(Optimizer.ADAM, 0.01).withBatchSize(batch)
			.withEpochs(epochs).withSeed(seed);
	}

	@Override
	public ModelBundle bundle(final TrainingResult head, final TrainingSettings settings,
		final List<String> classNames, final Dataset labelledPatches)
	{
		final int classes = classNames.size();
		final ComputationGraph whole = TransferTraining.withHead(backbone, classes,
			new TransferTraining.Settings(TransferTraining.Strategy.FEATURES, 0, 0, 0, 0.1), new Adam(),
			1, false);
		// the head learned on (f - mean) / std: its weights, folded into the copy in the whole
		// network as the features strategy folds them; the loop's own head keeps learning
		final var layer = ((MultiLayerNetwork) head.network().model()).getLayer(0);
		final var out = whole.getOutputLayer(0);
		out.getParam("W").assign(layer.getParam("W"));
		out.getParam("b").assign(layer.getParam("b").reshape(out.getParam("b").shape()));
		HeadOnFeatures.foldScaling(out, new Normalization(featureMean, featureStd), new ImageShape(
			featureMean.length, 1, 1));
		final Network network = Network.of(whole);
		final TrainingResult result = new TrainingResult(network, head.history(), head.cancelled());
		final ModelBundle bundle = ModelBundle.of(result, describe(), settings, normalization, null, labelledPatches, null);
		return new ModelBundle(network, bundle.info().resizingInput());
	}

	@Override
	public boolean smallHead() {
		return true;
	}

	@Override
	public String describe() {
		return "pretrained " + backbone.name() + " cut at " + backbone.cut() + ", features, " +
			"interactive linear head";
	}
}
