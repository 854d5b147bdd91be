package io.deepclass.core.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.FrozenLayer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import io.deepclass.core.TestData;
import io.deepclass.core.bundle.ModelBundle;
import io.deepclass.core.bundle.ModelFiles;
import io.deepclass.core.data.Dataset;
import io.deepclass.core.data.Normalization;
import io.deepclass.core.predict.Classifier;
import io.deepclass.core.predict.EvaluationReport;
import io.deepclass.core.predict.Predictions;
import io.deepclass.core.train.Optimizer;
import io.deepclass.core.train.TrainingSettings;

/**
 * A pretrained backbone (the residual fixture exported by PyTorch: 3 x 16 x 16 input, a
 * BatchNorm ResNet block, global pooling, a 5-class classifier) gets a head for 2 classes of
 * 12 x 12 gray images: frozen, its weights stay bit-identical while the head learns; fine-tuned,
 * they change; the model file keeps it and classifies as before.
 */
class TransferTrainingTest {

	@TempDir
	Path dir;

	private static final TrainingSettings SETTINGS = TrainingSettings.defaults().withEpochs(6)
		.withBatchSize(16).withOptimizer(Optimizer.ADAM, 0.01).withSeed(2);

	private Backbone backbone() throws IOException {
		final Path file = dir.resolve("residual.onnx");
		try (InputStream in = getClass().getResourceAsStream("/io/deepclass/core/onnx/residual.onnx")) {
			Files.copy(in, file);
		}
		return Backbone.load(file, null);
	}

	private static Normalization imagenet(final Dataset train) {
		return Normalization.fit(Normalization.Method.PERCENTILE, train, 1, 99.8).thenStandardize(
			TransferTraining.IMAGENET_MEAN, TransferTraining.IMAGENET_STD);
	}

	private static Map<String, INDArray> backboneWeights(final ComputationGraph graph,
		final Backbone b)
	{
		final Map<String, INDArray> weights = new HashMap<>();
		for (final var layer : b.graph().getLayers()) {
			final String name = layer.conf().getLayer().getLayerName();
			if (graph.getConfiguration().getVertices().containsKey(name) && graph.getLayer(name)
				.numParams() > 0) weights.put(name,
				graph.getLayer(name).params().dup());
		}
		return weights;
	}

	@Test
	void theCutIsFoundAtTheGlobalPooling() throws IOException {
		final Backbone b = backbone();
		assertTrue(b.cut().contains("GlobalAveragePool"), b.cut());
		assertEquals(8, b.features());
		assertEquals(new io.deepclass.core.data.ImageShape(3, 16, 16), b.input());
	}

	@Test
	void featuresKeepTheBackboneBitIdenticalAndTheHeadLearns() throws IOException {
		final Backbone b = backbone();
		final Map<String, INDArray> before = backboneWeights(b.graph(), b);
		final Dataset train = TransferTraining.toBackboneInput(TestData.stripes(160, 12, 1), b.input());
		final Dataset test = TransferTraining.toBackboneInput(TestData.stripes(60, 12, 2), b.input());
		final TransferTraining.Result r = TransferTraining.train(b, TransferTraining.Settings.of(
			TransferTraining.Strategy.FEATURES), SETTINGS, imagenet(train), train, null, null, null);
		final ComputationGraph trained = (ComputationGraph) r.network().model();
		int frozen = 0;
		for (final var e : before.entrySet()) {
			if (!trained.getConfiguration().getVertices().containsKey(e.getKey())) continue; // old head
			assertTrue(trained.getLayer(e.getKey()) instanceof FrozenLayer, e.getKey() + " is frozen");
			assertArrayEquals(e.getValue().dup().data().asFloat(), trained.getLayer(e.getKey()).params()
				.dup().data().asFloat(), e.getKey() + " unchanged, bit for bit");
			frozen++;
		}
		assertTrue(frozen >= 4, "conv and BatchNorm layers: " + frozen);
		assertEquals(6, r.result().history().size());
		final ModelBundle model = ModelBundle.of(r.result(), "pretrained residual (features)",
			SETTINGS, imagenet(train), null, train, null);
		final double accuracy = EvaluationReport.of(test, new Classifier(model).classify(test))
			.accuracy();
		System.out.printf("transfer, features: stripes accuracy %.3f%n", accuracy);
		assertTrue(accuracy > 0.85, "a head on frozen features learns the stripes: " + accuracy);

		final Path file = dir.resolve("transfer.zip");
		ModelFiles.save(model, file);
		final ModelBundle loaded = ModelFiles.load(file);
		final Predictions p1 = new Classifier(model).classify(test), p2 = new Classifier(loaded)
			.classify(test);
		for (int i = 0; i < test.size(); i++)
			assertArrayEquals(p1.probabilities()[i], p2.probabilities()[i], 1e-6f);
	}

	@Test
	void theSameSeedTrainsTheSameHeadAlsoSeedZero() throws IOException {
		final Backbone b = backbone();
		final Dataset train = TransferTraining.toBackboneInput(TestData.stripes(40, 12, 1), b.input());
		final float[][] heads = new float[3][];
		final long[] seeds = { 0, 0, 1 };
		for (int i = 0; i < 3; i++)
			heads[i] = ((ComputationGraph) TransferTraining.train(b, TransferTraining.Settings.of(
				TransferTraining.Strategy.FEATURES), SETTINGS.withEpochs(1).withSeed(seeds[i]), imagenet(
					train), train, null, null, null).network().model()).getLayer(TransferTraining.HEAD)
						.params().dup().data().asFloat();
		assertArrayEquals(heads[0], heads[1], "seed 0 twice: the same head, bit for bit");
		assertFalse(java.util.Arrays.equals(heads[0], heads[2]), "another seed, another head");
	}

	@Test
	void aBackboneWithGlobalPoolingTakesAnotherInputSize() throws IOException {
		final Path file = dir.resolve("r.onnx");
		try (InputStream in = getClass().getResourceAsStream("/io/deepclass/core/onnx/residual.onnx")) {
			Files.copy(in, file);
		}
		final Backbone b = Backbone.load(file, null, 24);
		assertEquals(new io.deepclass.core.data.ImageShape(3, 24, 24), b.input());
		assertEquals(8, b.features(), "global pooling: the same features at any size");
		final Dataset train = TransferTraining.toBackboneInput(TestData.stripes(60, 12, 4), b.input());
		final TransferTraining.Result r = TransferTraining.train(b, TransferTraining.Settings.of(
			TransferTraining.Strategy.FEATURES), SETTINGS.withEpochs(2), imagenet(train), train, null,
			null, null);
		assertEquals(2, r.result().history().size());
	}

	@Test
	void fineTuningChangesTheBackboneAtALowerRate() throws IOException {
		final Backbone b = backbone();
		final Map<String, INDArray> before = backboneWeights(b.graph(), b);
		final Dataset train = TransferTraining.toBackboneInput(TestData.blob(80, 16, 3), b.input());
		final TransferTraining.Result r = TransferTraining.train(b, new TransferTraining.Settings(
			TransferTraining.Strategy.FINE_TUNE, 16, 0.2, 2, 0.1), SETTINGS.withEpochs(3), imagenet(
				train), train, null, null, null);
		final ComputationGraph tuned = (ComputationGraph) r.network().model();
		boolean changed = false;
		for (final var e : before.entrySet()) {
			if (!tuned.getConfiguration().getVertices().containsKey(e.getKey())) continue; // old head
			assertFalse(tuned.getLayer(e.getKey()) instanceof FrozenLayer, e.getKey());
			changed |= !e.getValue().equals(tuned.getLayer(e.getKey()).params());
		}
		assertTrue(changed, "fine-tuning trains the backbone");
		assertEquals(5, r.result().history().size(), "3 head epochs, then 2 fine-tuning");
		assertEquals(0.001, r.result().history().get(4).learningRate(), 1e-12);
		// the rate the optimiser of every trainable layer uses, not only the one in the history
		int trainable = 0;
		for (final org.deeplearning4j.nn.api.Layer l : tuned.getLayers()) {
			if (l instanceof FrozenLayer || l instanceof org.deeplearning4j.nn.layers.FrozenLayerWithBackprop
				|| l.numParams() == 0)
				continue;
			final String name = l.conf().getLayer().getLayerName();
			assertEquals(0.001, tuned.getLearningRate(name), 1e-12, "the optimiser's rate for " + name);
			trainable++;
		}
		assertTrue(trainable >= 2, "the head and some of the backbone are trained: " + trainable);
	}

	@Test
	void balancedClassWeightsReachTheHeadsLoss() throws IOException {
		final Backbone b = backbone();
		final Dataset train = TransferTraining.toBackboneInput(TestData.stripes(40, 12, 8), b.input());
		final float[] weights = { 0.5f, 2f };
		final TransferTraining.Result r = TransferTraining.train(b, TransferTraining.Settings.of(
			TransferTraining.Strategy.FEATURES).withClassWeights(weights), SETTINGS.withEpochs(1),
			imagenet(train), train, null, null, null);
		final var head = ((ComputationGraph) r.network().model()).getLayer(TransferTraining.HEAD);
		final var loss = (org.nd4j.linalg.lossfunctions.impl.LossMCXENT)
			((org.deeplearning4j.nn.conf.layers.OutputLayer) head.conf().getLayer()).getLossFn();
		assertArrayEquals(weights, loss.getWeights().toFloatVector(), 0f);
	}

	private Backbone excite() throws IOException {
		final Path file = dir.resolve("excite.onnx");
		try (InputStream in = getClass().getResourceAsStream("/io/deepclass/core/onnx/excite.onnx")) {
			Files.copy(in, file);
		}
		return Backbone.load(file, null);
	}

	/**
	 * The features strategy's features are what the backbone computes at its cut: through the
	 * backbone's own classifier they give its output. (DL4J's {@code featurize} gave SiLU's
	 * x * sigmoid(x) as sigmoid(x)^2 here: its activation layer overwrote x in place.)
	 */
	@Test
	void featuresAreTheBackbonesOwnAtTheCut() throws IOException {
		final Backbone b = excite();
		org.nd4j.linalg.factory.Nd4j.getRandom().setSeed(5);
		final INDArray x = org.nd4j.linalg.factory.Nd4j.randn(org.nd4j.linalg.api.buffer.DataType.FLOAT,
			b.input().batchShape(6));
		final INDArray features = b.features(x);
		final var classifier = b.graph().getLayer("_head_head.2_Gemm");
		final INDArray scores = features.reshape(6, features.length() / 6).mmul(classifier.getParam(
			"W")).addRowVector(classifier.getParam("b"));
		final INDArray expected = b.graph().outputSingle(false, x);
		assertTrue(expected.sub(scores).amaxNumber().doubleValue() < 1e-5, "the backbone's output " +
			"from the features: " + expected.sub(scores).amaxNumber());
	}

	/**
	 * HardSwish, HardSigmoid, the broadcasting Mul of squeeze-and-excitation and SiLU, and the
	 * grouped convolution's slices give DL4J's backpropagation the gradients finite differences
	 * give.
	 */
	@Test
	void gradientsThroughSqueezeExcitationGroupsAndHardSwishAreRight() throws IOException {
		final Backbone b = excite();
		final ComputationGraph graph = TransferTraining.withHead(b, 2, TransferTraining.Settings.of(
			TransferTraining.Strategy.FINE_TUNE), new org.nd4j.linalg.learning.config.Sgd(1.0), 1, false)
			.convertDataType(org.nd4j.linalg.api.buffer.DataType.DOUBLE);
		org.nd4j.linalg.factory.Nd4j.getRandom().setSeed(3);
		final INDArray x = org.nd4j.linalg.factory.Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.DOUBLE,
			2, 3, 16, 16).subi(0.5).muli(4);
		final INDArray y = org.nd4j.linalg.factory.Nd4j.create(org.nd4j.linalg.api.buffer.DataType.DOUBLE,
			2, 2);
		y.putScalar(0, 0, 1);
		y.putScalar(1, 1, 1);
		// BatchNorm's running mean and variance are statistics DL4J updates, not gradients
		final java.util.Set<String> statistics = new java.util.HashSet<>();
		for (final String name : graph.paramTable().keySet())
			if (name.endsWith("_mean") || name.endsWith("_var")) statistics.add(name);
		final var floats = org.nd4j.linalg.api.buffer.DataType.FLOAT;
		org.nd4j.linalg.factory.Nd4j.setDefaultDataTypes(org.nd4j.linalg.api.buffer.DataType.DOUBLE,
			org.nd4j.linalg.api.buffer.DataType.DOUBLE);
		try {
			assertTrue(org.deeplearning4j.gradientcheck.GradientCheckUtil.checkGradients(
				new org.deeplearning4j.gradientcheck.GradientCheckUtil.GraphConfig().net(graph).inputs(
					new INDArray[] { x }).labels(new INDArray[] { y }).epsilon(1e-6).maxRelError(1e-3)
					.minAbsoluteError(1e-8).subset(true).maxPerParam(40).excludeParams(statistics)),
				"gradient check");
		}
		finally {
			org.nd4j.linalg.factory.Nd4j.setDefaultDataTypes(floats, floats);
		}
	}

	@Test
	void aSqueezeExcitationBackboneFineTunesAndKeepsInItsModelFile() throws IOException {
		final Backbone b = excite();
		final Dataset train = TransferTraining.toBackboneInput(TestData.stripes(80, 12, 5), b.input());
		final TransferTraining.Result r = TransferTraining.train(b, new TransferTraining.Settings(
			TransferTraining.Strategy.FINE_TUNE, 0, 0, 2, 0.1), SETTINGS.withEpochs(2), imagenet(train),
			train, null, null, null);
		assertEquals(4, r.result().history().size());
		for (final var s : r.result().history())
			assertTrue(Double.isFinite(s.trainLoss()), "finite loss: " + s);
		final ModelBundle model = ModelBundle.of(r.result(), "pretrained excite (fine-tune)", SETTINGS,
			imagenet(train), null, train, null);
		final Path file = dir.resolve("excite.zip");
		ModelFiles.save(model, file);
		final ModelBundle loaded = ModelFiles.load(file);
		final Predictions p1 = new Classifier(model).classify(train), p2 = new Classifier(loaded)
			.classify(train);
		for (int i = 0; i < train.size(); i++)
			assertArrayEquals(p1.probabilities()[i], p2.probabilities()[i], 1e-6f);
	}

	/** Layers by name whose parameters differ between two graphs (the old head left out). */
	private static java.util.Set<String> changed(final Map<String, INDArray> before,
		final ComputationGraph after)
	{
		final java.util.Set<String> names = new java.util.TreeSet<>();
		for (final var e : before.entrySet())
			if (after.getConfiguration().getVertices().containsKey(e.getKey()) && !java.util.Arrays
				.equals(e.getValue().dup().data().asFloat(), after.getLayer(e.getKey()).params().dup().data()
					.asFloat())) names.add(e.getKey());
		return names;
	}

	@Test
	void unfreezeTrainsOnlyTheLastLayersAndFrozenBatchNormKeepsItsStatistics() throws IOException {
		final Backbone b = backbone();
		final Map<String, INDArray> before = backboneWeights(b.graph(), b);
		final Dataset train = TransferTraining.toBackboneInput(TestData.blob(64, 16, 3), b.input());
		final TransferTraining.Settings settings = new TransferTraining.Settings(
			TransferTraining.Strategy.FINE_TUNE, 0, 0, 2, 0.5);

		// the last convolution (and what follows it) only: the stem and first block conv stay
		final TransferTraining.Result last = TransferTraining.train(b, settings.withUnfreeze(1, false),
			SETTINGS.withEpochs(1), imagenet(train), train, null, null, null);
		final java.util.Set<String> lastChanged = changed(before, (ComputationGraph) last.network()
			.model());
		assertEquals(2, lastChanged.size(), "the block's second conv and its BatchNorm: " +
			lastChanged);
		assertTrue(lastChanged.stream().allMatch(n -> n.contains("block.3") || n.contains("block.4")),
			lastChanged.toString());

		// everything, BatchNorm frozen: folded into a fixed scale and shift that computes the same
		final TransferTraining.Settings frozenBn = settings.withUnfreeze(0, true);
		final ComputationGraph plain = TransferTraining.withHead(b, 2, frozenBn,
			new org.nd4j.linalg.learning.config.Sgd(0.1), 2, false);
		final ComputationGraph folded = TransferTraining.fineTuneGraph(b, 2, frozenBn,
			new org.nd4j.linalg.learning.config.Sgd(0.1), 2);
		final INDArray x = org.nd4j.linalg.factory.Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT,
			4, 3, 16, 16);
		assertEquals(0, plain.outputSingle(false, x).sub(folded.outputSingle(false, x)).amaxNumber()
			.doubleValue(), 1e-5, "folded BatchNorm computes what BatchNorm computes at inference");
		final TransferTraining.Result frozenResult = TransferTraining.train(b, frozenBn, SETTINGS
			.withEpochs(1), imagenet(train), train, null, null, null);
		final ComputationGraph tuned = (ComputationGraph) frozenResult.network().model();
		final ModelBundle model = ModelBundle.of(frozenResult.result(), "frozen BatchNorm", SETTINGS,
			imagenet(train), null, train, null);
		ModelFiles.save(model, dir.resolve("frozen-bn.zip"));
		final Predictions p1 = new Classifier(model).classify(train), p2 = new Classifier(ModelFiles
			.load(dir.resolve("frozen-bn.zip"))).classify(train);
		for (int i = 0; i < train.size(); i++)
			assertArrayEquals(p1.probabilities()[i], p2.probabilities()[i], 1e-6f);
		int affine = 0;
		for (final String name : before.keySet()) {
			if (!name.contains("BatchNormalization")) continue;
			assertTrue(tuned.getLayer(name) instanceof org.deeplearning4j.nn.layers.FrozenLayerWithBackprop,
				name);
			assertArrayEquals(folded.getLayer(name).params().dup().data().asFloat(), tuned.getLayer(name)
				.params().dup().data().asFloat(), name + " bit-identical");
			affine++;
		}
		assertEquals(3, affine);
		final java.util.Set<String> convsChanged = changed(before, tuned);
		convsChanged.removeIf(n -> n.contains("BatchNormalization")); // folded: other parameters
		assertEquals(3, convsChanged.size(), "the three convolutions train: " + convsChanged);

		// and updated: the BatchNorm layers change too
		final TransferTraining.Result updated = TransferTraining.train(b, settings, SETTINGS
			.withEpochs(1), imagenet(train), train, null, null, null);
		assertEquals(6, changed(before, (ComputationGraph) updated.network().model()).size());
	}

	@Test
	void featureExtractionReportsProgressAndStops() throws IOException {
		final Backbone b = backbone();
		final Dataset train = TransferTraining.toBackboneInput(TestData.stripes(50, 12, 6), b.input());
		final java.util.List<Integer> seen = new java.util.ArrayList<>();
		final io.deepclass.core.train.TrainingListener listener =
			new io.deepclass.core.train.TrainingListener() {

				@Override
				public void preparing(final String what, final int done, final int total) {
					assertEquals(50, total);
					seen.add(done);
				}
			};
		final TransferTraining.Result r = TransferTraining.train(b, TransferTraining.Settings.of(
			TransferTraining.Strategy.FEATURES), SETTINGS.withEpochs(1).withBatchSize(16), imagenet(
				train), train, null, listener, () -> seen.size() >= 2);
		assertEquals(java.util.List.of(16, 32), seen, "after each batch, until stopped");
		assertTrue(r.result().cancelled());
		assertTrue(r.result().history().isEmpty(), "no epoch");
	}

	/**
	 * Early stopping in both stages of a run that can only memorise (labels at random): each stage
	 * keeps its best epoch, so the model equals a run without early stopping trained for those
	 * epochs, bit for bit; the result says which epoch it kept and why each stage ended.
	 */
	@Test
	void earlyStoppingKeepsTheBestEpochOfEachStage() throws IOException {
		final Backbone b = backbone();
		final Dataset train = TransferTraining.toBackboneInput(randomLabels(TestData.blob(24, 16, 3),
			5), b.input());
		final Dataset validation = TransferTraining.toBackboneInput(randomLabels(TestData.blob(24, 16,
			4), 6), b.input());
		final TrainingSettings s = SETTINGS.withEpochs(15);
		final TransferTraining.Result stopped = TransferTraining.train(b, new TransferTraining.Settings(
			TransferTraining.Strategy.FINE_TUNE, 16, 0, 10, 0.5), s.withEarlyStopping(2), imagenet(train),
			train, validation, null, null);
		final var history = stopped.result().history();
		int headEpochs = 0, headKept = 1;
		for (final var e : history)
			if (e.learningRate() == HeadOnFeatures.settings(s).learningRate()) { // the head's stage
				headEpochs++;
				if (e.validationLoss() < history.get(headKept - 1).validationLoss()) headKept = e.epoch();
			}
		assertTrue(headEpochs < 15 && headEpochs == headKept + 2, "the features stage stops 2 " +
			"epochs after its best, " + headKept + ": " + stopped.result().stop());
		final int tunedKept = stopped.result().keptEpoch() - headEpochs;
		assertTrue(tunedKept >= 1 && tunedKept <= history.size() - headEpochs, "kept " + stopped
			.result().keptEpoch() + " of " + history.size());
		assertTrue(stopped.result().stop().startsWith("features: stopped early after epoch " +
			headEpochs), stopped.result().stop());
		assertTrue(stopped.result().stop().contains("; fine-tuning: "), stopped.result().stop());

		final TransferTraining.Result reference = TransferTraining.train(b,
			new TransferTraining.Settings(TransferTraining.Strategy.FINE_TUNE, 16, 0, tunedKept, 0.5), s
				.withEpochs(headKept), imagenet(train), train, validation, null, null);
		assertEquals(headKept + tunedKept, reference.result().history().size());
		assertEquals(reference.network().params(), stopped.network().params(),
			"the best epoch of each stage, bit for bit");
	}

	/** {@code data} with its labels shuffled: nothing to learn but the images by heart. */
	private static Dataset randomLabels(final Dataset data, final long seed) {
		final int[] labels = data.labels().clone();
		final java.util.Random random = new java.util.Random(seed);
		for (int i = labels.length - 1; i > 0; i--) {
			final int j = random.nextInt(i + 1), t = labels[i];
			labels[i] = labels[j];
			labels[j] = t;
		}
		final String[] sources = new String[data.size()];
		for (int i = 0; i < sources.length; i++)
			sources[i] = data.source(i);
		return new Dataset(data.shape(), data.classNames(), data.images(), labels, sources);
	}

	@Test
	void aHeadTrainedOnStandardisedFeaturesGivesTheSameOutputOnRawOnesOnceFolded()
		throws IOException
	{
		final Backbone b = backbone();
		final ComputationGraph graph = TransferTraining.withHead(b, 3, new TransferTraining.Settings(
			TransferTraining.Strategy.FEATURES, 0, 0, 0, 0.1), new org.nd4j.linalg.learning.config.Adam(),
			7, true);
		final ComputationGraph head = new org.deeplearning4j.nn.transferlearning.TransferLearningHelper(
			graph).unfrozenGraph();
		final float[] mean = new float[8], std = new float[8], x = new float[5 * 8], z = new float[5 * 8];
		final java.util.Random random = new java.util.Random(3);
		for (int c = 0; c < 8; c++) {
			mean[c] = 0.5f * c - 1;
			std[c] = 0.5f + 0.4f * c;
		}
		for (int i = 0; i < x.length; i++) {
			x[i] = 6 * random.nextFloat() - 1;
			z[i] = (x[i] - mean[i % 8]) / std[i % 8];
		}
		final Normalization scaling = new Normalization(mean, std);
		final INDArray raw = org.nd4j.linalg.factory.Nd4j.create(x, new long[] { 5, 8, 1, 1 }),
			standardised = org.nd4j.linalg.factory.Nd4j.create(z, new long[] { 5, 8, 1, 1 });
		final INDArray before = head.outputSingle(false, standardised).dup();
		HeadOnFeatures.foldScaling(head.getLayer(TransferTraining.HEAD), scaling,
			new io.deepclass.core.data.ImageShape(8, 1, 1));
		final INDArray after = head.outputSingle(false, raw);
		assertArrayEquals(before.data().asFloat(), after.dup().data().asFloat(), 1e-5f);
		assertFalse(before.equalsWithEps(head.outputSingle(false, standardised), 1e-3),
			"the folded head no longer takes standardised features");
	}

	@Test
	void theHeadTakesAtLeastTheMinimumStepsInEachEpoch() {
		final TrainingSettings tenEpochs = SETTINGS.withEpochs(10).withBatchSize(32);
		// 5 labels for each of 2 classes: one batch an epoch
		final int repeats = HeadOnFeatures.headRepeats(tenEpochs, 10);
		assertEquals(13, repeats, "ceil(4 x 32 / 10)");
		assertTrue(Math.ceil(repeats * 10 / 32.0) >= HeadOnFeatures.MIN_HEAD_STEPS_PER_EPOCH);
		assertEquals(repeats, HeadOnFeatures.headRepeats(tenEpochs.withEpochs(3), 10),
			"an epoch is the same whatever the number of epochs");
		assertEquals(2, HeadOnFeatures.headRepeats(tenEpochs, 100), "10 of 10 classes: 4 batches");
		assertEquals(1, HeadOnFeatures.headRepeats(tenEpochs, 1437), "enough steps already");
		final TrainingSettings head = HeadOnFeatures.settings(tenEpochs);
		assertEquals(tenEpochs.learningRate() * HeadOnFeatures.RATE_FACTOR, head.learningRate(), 1e-12);
		assertEquals(tenEpochs.optimizer(), head.optimizer());
		assertEquals(tenEpochs.withOptimizer(head.optimizer(), head.learningRate()), head,
			"only the rate differs");
		final Dataset twice = HeadOnFeatures.repeated(TestData.stripes(6, 12, 1), 2);
		assertEquals(12, twice.size());
		assertEquals(twice.label(1), twice.label(7));
		assertArrayEquals(twice.image(1), twice.image(7));
	}
}
