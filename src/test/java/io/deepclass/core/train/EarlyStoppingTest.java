package io.deepclass.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.deepclass.core.DeepClassException;
import io.deepclass.core.TestData;
import io.deepclass.core.data.Dataset;
import io.deepclass.core.data.DiskImageStore;
import io.deepclass.core.data.Normalization;
import io.deepclass.core.model.ArchitectureSpec;
import io.deepclass.core.model.Architectures;
import io.deepclass.core.model.Network;

/**
 * Early stopping on a run that memorises (few noisy images, a large network, a high rate): it
 * stops once the validation loss has not improved for the patience, and the network holds the
 * best epoch's weights bit for bit: those of the same run stopped at that epoch.
 */
class EarlyStoppingTest {

	private final Dataset train = TestData.stripes(24, 12, 7);

	private final Dataset validation = TestData.stripes(40, 12, 8);

	private static final TrainingSettings MEMORISING = TrainingSettings.defaults().withEpochs(30)
		.withBatchSize(8).withOptimizer(Optimizer.ADAM, 0.01);

	private TrainingResult run(final TrainingSettings s) {
		final Network net = Architectures.build(ArchitectureSpec.parse("mlp512"), train.shape(), 2, s
			.seed(), s.optimizer().updater(s.learningRate(), s.momentum()));
		return new Trainer(s, null, null).train(net, Normalization.fit(train), train, validation);
	}

	@Test
	void stopsAfterThePatienceAndKeepsTheBestEpochExactly() {
		final TrainingResult stopped = run(MEMORISING.withEarlyStopping(3));
		final int best = stopped.keptEpoch();
		assertTrue(best >= 1 && stopped.history().size() == best + 3, "kept " + best + " of " +
			stopped.history().size() + " epochs: " + stopped.stop());
		for (final EpochStats e : stopped.history())
			assertTrue(e.validationLoss() >= stopped.history().get(best - 1).validationLoss(),
				"epoch " + best + " has the lowest validation loss");
		assertTrue(stopped.stop().startsWith("stopped early after epoch " + (best + 3)), stopped
			.stop());
		final TrainingResult reference = run(MEMORISING.withEpochs(best));
		assertEquals(reference.network().params(), stopped.network().params(),
			"the weights of the best epoch, bit for bit");
		assertEquals(reference.network().updaterState(), stopped.network().updaterState(),
			"and the optimiser's state of that epoch");
	}

	@Test
	void theSameWithTheImagesOnDiskAndTheBestEpochInAFile(@TempDir final Path dir) throws IOException {
		final TrainingSettings s = MEMORISING.withEarlyStopping(3);
		final TrainingResult inMemory = run(s);
		final Network net = Architectures.build(ArchitectureSpec.parse("mlp512"), train.shape(), 2, s
			.seed(), s.optimizer().updater(s.learningRate(), s.momentum()));
		final TrainingResult onDisk = new Trainer(s, null, null).withSnapshotsInFilesAbove(0).train(
			net, Normalization.fit(train), onDisk(train, dir.resolve("train")), onDisk(validation, dir
				.resolve("validation")));
		assertEquals(inMemory.keptEpoch(), onDisk.keptEpoch());
		assertEquals(inMemory.stop(), onDisk.stop());
		assertEquals(inMemory.history().size(), onDisk.history().size());
		assertEquals(inMemory.network().params(), onDisk.network().params(),
			"images read from disk, best epoch kept in a file: the same weights bit for bit");
		assertEquals(inMemory.network().updaterState(), onDisk.network().updaterState());
	}

	private static Dataset onDisk(final Dataset memory, final Path dir) throws IOException {
		Files.createDirectories(dir);
		final DiskImageStore.Writer w = DiskImageStore.writer(dir, memory.shape().size());
		final String[] sources = new String[memory.size()];
		final int[] depths = new int[memory.size()];
		for (int i = 0; i < memory.size(); i++) {
			w.append(memory.image(i));
			sources[i] = memory.source(i);
			depths[i] = memory.bitDepth(i);
		}
		final Dataset disk = new Dataset(memory.shape(), memory.classNames(), w.finish(), memory
			.labels().clone(), sources, depths);
		assertTrue(disk.images().onDisk(), "the images are read from the disk store");
		return disk;
	}

	@Test
	void needsAValidationSet() {
		final TrainingSettings s = MEMORISING.withEarlyStopping(2);
		final Network net = Architectures.build(ArchitectureSpec.parse("mlp100"), train.shape(), 2, 1,
			s.optimizer().updater(0.01, 0.9));
		final DeepClassException e = assertThrows(DeepClassException.class, () -> new Trainer(s, null,
			null).train(net, Normalization.fit(train), train, null));
		assertTrue(e.getMessage().contains("validation_fraction above 0"), e.getMessage());
	}
}
