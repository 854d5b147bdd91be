package io.deepclass.core.train;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.deepclass.core.model.ArchitectureSpec;
import io.deepclass.core.model.Architectures;
import io.deepclass.core.model.Network;
import io.deepclass.core.data.ImageShape;

/**
 * The epoch snapshot a run killed with kill -9 leaves behind (a file no JVM holds a lock on) is
 * deleted by the next run's first snapshot; the file of a snapshot still in use is not.
 */
class SnapshotSweepTest {

	@TempDir
	Path cache;

	private String before;

	@BeforeEach
	void useTheTemporaryFolder() {
		before = System.getProperty("deepclass.cache");
		System.setProperty("deepclass.cache", cache.toString());
	}

	@AfterEach
	void restore() {
		if (before == null) System.clearProperty("deepclass.cache");
		else System.setProperty("deepclass.cache", before);
	}

	@Test
	void aKilledRunsSnapshotIsSweptALivingOneIsNot() throws IOException {
		final Path killed = Files.write(cache.resolve(Trainer.Snapshot.PREFIX + "123" +
			Trainer.Snapshot.SUFFIX), new byte[64]);
		final Path other = Files.write(cache.resolve("deepclass-snapshot-notes.txt"), new byte[1]);
		final Network net = Architectures.build(ArchitectureSpec.parse("mlp100"), new ImageShape(1,
			12, 12), 2, 1, TrainingSettings.defaults().optimizer().updater(0.01, 0.9));
		final Trainer.Snapshot living = new Trainer.Snapshot(net, 0);
		assertTrue(living.file() != null && living.file().startsWith(cache), "in the cache folder");
		assertFalse(Files.exists(killed), "the killed run's snapshot is swept");
		assertTrue(Files.exists(other), "only snapshot files are swept");
		final Trainer.Snapshot next = new Trainer.Snapshot(net, 0);
		assertTrue(Files.exists(living.file()), "a snapshot in use is kept");
		next.discard();
		living.discard();
		assertFalse(Files.exists(living.file()));
	}
}
