package io.deepclass.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import io.deepclass.core.TestData;
import io.deepclass.core.data.Dataset;
import io.deepclass.core.data.Normalization;
import io.deepclass.core.model.ArchitectureSpec;
import io.deepclass.core.model.Architectures;
import io.deepclass.core.model.Network;

class TrainerTest {

	private final Dataset train = TestData.stripes(200, 12, 3);

	private final Dataset validation = TestData.stripes(60, 12, 4);

	private Network network(final String arch, final TrainingSettings s) {
		return Architectures.build(ArchitectureSpec.parse(arch), train.shape(), 2, s.seed(), s
			.optimizer().updater(s.learningRate(), s.momentum()));
	}

	private TrainingResult run(final String arch, final TrainingSettings s,
		final TrainingListener listener, final java.util.function.BooleanSupplier cancel)
	{
		return new Trainer(s, listener, cancel).train(network(arch, s), Normalization.fit(train),
			train, validation);
	}

	@Test
	void sameSeedGivesTheSameMetricsOtherSeedOthers() {
		// dropout and batch norm included: bncnn-like configurable CNN
		final TrainingSettings s = TrainingSettings.defaults().withEpochs(2).withBatchSize(16);
		final List<EpochStats> a = run("cnn:4-8,dense=16,dropout=0.3", s, null, null).history();
		final List<EpochStats> b = run("cnn:4-8,dense=16,dropout=0.3", s, null, null).history();
		final List<EpochStats> c = run("cnn:4-8,dense=16,dropout=0.3", s.withSeed(7), null, null)
			.history();
		for (int e = 0; e < 2; e++) {
			assertEquals(a.get(e).trainLoss(), b.get(e).trainLoss());
			assertEquals(a.get(e).validationLoss(), b.get(e).validationLoss());
			assertEquals(a.get(e).validationAccuracy(), b.get(e).validationAccuracy());
		}
		assertNotEquals(a.get(1).trainLoss(), c.get(1).trainLoss());
	}

	@Test
	void seedZeroIsASeedLikeAnyOther() {
		// ND4J takes 0 as "seed from the clock": without NativeSeed every run differed
		final TrainingSettings s = TrainingSettings.defaults().withEpochs(1).withBatchSize(16)
			.withSeed(0);
		final List<EpochStats> a = run("cnn:4-8,dense=16,dropout=0.3", s, null, null).history();
		final List<EpochStats> b = run("cnn:4-8,dense=16,dropout=0.3", s, null, null).history();
		assertEquals(a.get(0).trainLoss(), b.get(0).trainLoss(), "seed 0, same training");
		assertEquals(a.get(0).validationLoss(), b.get(0).validationLoss());
	}

	@Test
	void reportsEveryBatchWithAnEtaThatReachesZero() {
		final List<TrainingListener.BatchProgress> batches = new ArrayList<>();
		final List<EpochStats> epochs = new ArrayList<>();
		run("mlp100", TrainingSettings.defaults().withEpochs(2).withBatchSize(64),
			new TrainingListener() {

				@Override
				public void batchDone(final BatchProgress p) {
					batches.add(p);
				}

				@Override
				public void epochDone(final EpochStats stats) {
					epochs.add(stats);
				}
			}, null);
		assertEquals(2 * 4, batches.size(), "200 images in batches of 64: 4 per epoch");
		assertEquals(1.0, batches.get(batches.size() - 1).fractionDone(), 1e-9);
		assertEquals(0.0, batches.get(batches.size() - 1).etaSeconds(), 1e-9);
		assertTrue(batches.get(0).etaSeconds() > 0);
		assertEquals(List.of(1, 2), epochs.stream().map(EpochStats::epoch).toList());
		assertTrue(epochs.get(1).imagesPerSecond() > 0 && epochs.get(1).seconds() > 0);
		assertTrue(epochs.get(1).validationAccuracy() >= 0.9, "stripes are learnt");
	}

	@Test
	void cancelReturnsTheModelOfTheLastCompletedEpoch() {
		final AtomicBoolean cancel = new AtomicBoolean();
		final List<INDArray> paramsAfterEpoch = new ArrayList<>();
		final TrainingSettings s = TrainingSettings.defaults().withEpochs(3).withBatchSize(20);
		final Network net = network("mlp100", s);
		final TrainingResult result = new Trainer(s, new TrainingListener() {

			@Override
			public void batchDone(final BatchProgress p) {
				if (p.epoch() == 2 && p.batch() == 3) cancel.set(true);
			}

			@Override
			public void epochDone(final EpochStats stats) {
				paramsAfterEpoch.add(net.params().dup());
			}
		}, cancel::get).train(net, Normalization.fit(train), train, validation);
		assertTrue(result.cancelled());
		assertEquals(1, result.history().size());
		assertEquals(1, paramsAfterEpoch.size());
		assertEquals(paramsAfterEpoch.get(0), result.network().params(),
			"weights rolled back to the end of epoch 1");
	}

	@Test
	void cancelBeforeTheFirstEpochReturnsTheInitialWeights() {
		final TrainingSettings s = TrainingSettings.defaults().withEpochs(1);
		final Network net = network("linear", s);
		final INDArray initial = net.params().dup();
		final TrainingResult result = new Trainer(s, null, () -> true).train(net, Normalization.fit(
			train), train, validation);
		assertTrue(result.cancelled());
		assertTrue(result.history().isEmpty());
		assertEquals(initial, net.params());
	}

	@Test
	void largeSnapshotsGoToAFileAndComeBackExactly() throws java.io.IOException {
		final TrainingSettings s = TrainingSettings.defaults().withEpochs(1).withBatchSize(20)
			.withOptimizer(Optimizer.ADAM, 0.01);
		final Network net = network("mlp100", s);
		new Trainer(s, null, null).train(net, Normalization.fit(train), train, null);
		final INDArray params = net.params().dup(), state = net.updaterState().dup();
		final Trainer.Snapshot snapshot = new Trainer.Snapshot(net, 0);
		assertTrue(snapshot.file() != null && java.nio.file.Files.size(snapshot.file()) == 4 * (params
			.length() + state.length()), "parameters and Adam's state in the file");
		net.params().assign(0);
		net.updaterState().assign(7);
		snapshot.restore(net);
		assertEquals(params, net.params());
		assertEquals(state, net.updaterState());
		snapshot.discard();
		assertFalse(java.nio.file.Files.exists(snapshot.file()));
		assertEquals(null, new Trainer.Snapshot(net, Long.MAX_VALUE).file(), "small: in memory");
	}

	@Test
	void divergingLossStopsWithAdviceToLowerTheLearningRate() {
		final TrainingSettings s = TrainingSettings.defaults().withEpochs(3).withOptimizer(
			Optimizer.SGD, 1e6);
		// inputs of order 1e6 make any step of this size overflow
		final Normalization huge = new Normalization(new float[] { 0 }, new float[] { 1e-4f });
		final TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
			() -> new Trainer(s, null, null).train(network("mlp100", s), huge, train, validation));
		assertTrue(e.getMessage().contains("learning rate (1000000.0) is probably too high"), e
			.getMessage());
		assertTrue(e.getMessage().contains("try 100000.0"), e.getMessage());
	}

	@Test
	void stepScheduleLowersTheLearningRateBetweenEpochs() {
		final TrainingResult r = run("linear", TrainingSettings.defaults().withEpochs(3).withSchedule(
			LearningRateSchedule.step(1, 0.5)), null, null);
		assertEquals(List.of(0.01, 0.005, 0.0025), r.history().stream().map(
			EpochStats::learningRate).toList());
		assertFalse(r.cancelled());
	}

	/**
	 * The rate the optimiser uses, not the one written to the history: read from the DL4J
	 * updater's configuration at every batch, through the network's own accessor.
	 */
	@Test
	void stepScheduleLowersTheOptimisersLearningRate() {
		final TrainingSettings s = TrainingSettings.defaults().withEpochs(3).withSchedule(
			LearningRateSchedule.step(1, 0.5));
		final Network net = network("mlp:8", s);
		final List<List<Double>> perEpoch = List.of(new ArrayList<>(), new ArrayList<>(),
			new ArrayList<>());
		final TrainingListener spy = new TrainingListener() {

			@Override
			public void batchDone(final BatchProgress p) {
				perEpoch.get(p.epoch() - 1).add(optimiserLearningRate(net));
			}
		};
		final TrainingResult r = new Trainer(s, spy, null).train(net, Normalization.fit(train), train,
			validation);
		final double[] expected = { 0.01, 0.005, 0.0025 };
		for (int e = 0; e < 3; e++) {
			assertFalse(perEpoch.get(e).isEmpty());
			for (final double used : perEpoch.get(e))
				assertEquals(expected[e], used, 1e-12, "the optimiser's rate in epoch " + (e + 1));
			assertEquals(expected[e], r.history().get(e).learningRate(), 1e-12);
		}
	}

	/** Every layer's learning rate as the DL4J updater configuration holds it; all must agree. */
	static double optimiserLearningRate(final Network network) {
		final java.util.Set<Double> rates = new java.util.TreeSet<>();
		if (network.model() instanceof org.deeplearning4j.nn.multilayer.MultiLayerNetwork m) {
			for (int i = 0; i < m.getnLayers(); i++)
				if (m.getLayer(i).numParams() > 0) rates.add(m.getLearningRate(i));
		}
		else {
			final org.deeplearning4j.nn.graph.ComputationGraph g =
				(org.deeplearning4j.nn.graph.ComputationGraph) network.model();
			for (final org.deeplearning4j.nn.api.Layer l : g.getLayers())
				if (l.numParams() > 0) rates.add(g.getLearningRate(l.conf().getLayer().getLayerName()));
		}
		assertEquals(1, rates.size(), "one rate for all layers: " + rates);
		return rates.iterator().next();
	}

	@Test
	void plateauScheduleWaitsForPatienceEpochsWithoutImprovement() {
		final LearningRateSchedule plateau = LearningRateSchedule.plateau(2, 0.1);
		final List<EpochStats> history = new ArrayList<>();
		final double[] losses = { 1.0, 0.8, 0.9, 0.85 };
		final double[] expected = { 1, 1, 1, 0.1 };
		double lr = 1;
		for (int e = 0; e < losses.length; e++) {
			history.add(new EpochStats(e + 1, 0, 0, losses[e], 0, lr, 1, 1));
			lr = plateau.next(lr, history);
			assertEquals(expected[e], lr, 1e-12, "after epoch " + (e + 1));
		}
	}

	@Test
	void cosineScheduleFollowsHalfACosineThenStays() {
		// start 1, final factor 0.1 over 4 epochs: 0.1 + 0.45 (1 + cos(pi t / 4)), worked by hand
		final LearningRateSchedule cosine = LearningRateSchedule.cosine(4, 0.1);
		final List<EpochStats> history = new ArrayList<>();
		final double[] expected = { 0.868198, 0.55, 0.231802, 0.1, 0.1 };
		double lr = 1;
		for (int e = 0; e < expected.length; e++) {
			history.add(new EpochStats(e + 1, 0, 0, 1, 0, lr, 1, 1));
			lr = cosine.next(lr, history);
			assertEquals(expected[e], lr, 1e-6, "after epoch " + (e + 1));
		}
	}
}
