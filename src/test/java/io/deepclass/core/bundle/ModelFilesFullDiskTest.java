package io.deepclass.core.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.deepclass.core.DeepClassException;
import io.deepclass.core.TestData;
import io.deepclass.core.data.Dataset;
import io.deepclass.core.model.ArchitectureSpec;
import io.deepclass.core.pipeline.TrainedModel;
import io.deepclass.core.pipeline.TrainingPipeline;
import io.deepclass.core.pipeline.TrainingRecipe;
import io.deepclass.core.predict.Classifier;
import io.deepclass.core.train.TrainingSettings;

/**
 * A disk that fills up while a model is saved, at several points of the file: the target keeps
 * its previous model (or is not made), no temporary file stays, and the message says what to do.
 */
class ModelFilesFullDiskTest {

	@TempDir
	Path dir;

	private static final Dataset TRAIN = TestData.stripes(80, 12, 5);

	private static TrainedModel old, fresh;

	@BeforeAll
	static void train() {
		final TrainingSettings s = TrainingSettings.defaults().withEpochs(1).withBatchSize(16);
		old = train(s.withSeed(1));
		fresh = train(s.withSeed(2));
	}

	private static TrainedModel train(final TrainingSettings s) {
		return new TrainingPipeline(null, null).train(new TrainingRecipe(ArchitectureSpec.parse(
			"cnn:4,dense=8"), s, 0), TRAIN, null);
	}

	@Test
	void aFullDiskAnywhereInTheFileLeavesTheOldModelAndNoTemporaryFile() throws IOException {
		final long size = bytesWritten(fresh.bundle());
		final float[][] oldProbabilities = probabilities(old.bundle());
		final long[] failAt = { 0, 1, 30, 200, size / 4, size / 2, size - 2000, size - 100, size - 1 };
		for (final long n : failAt) {
			final Path file = dir.resolve("model.zip");
			ModelFiles.save(old.bundle(), file);
			final IOException e = assertThrows(IOException.class, () -> ModelFiles.save(fresh.bundle(),
				file, out -> new FullAfter(out, n)), "a full disk after " + n + " of " + size +
					" bytes is reported");
			assertTrue(e.getMessage().contains("'" + file + "'"), e.getMessage());
			assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
			assertTrue(e.getMessage().contains("The model already in it is unchanged. Free disk space " +
				"or choose another folder."), e.getMessage());
			assertEquals(List.of(file), list(dir), "no temporary file left after " + n + " bytes");
			assertArrayEquals(oldProbabilities, probabilities(ModelFiles.load(file)),
				"the old model is intact after a full disk at byte " + n);
		}
	}

	@Test
	void aFullDiskWhenThereWasNoModelYetMakesNoFile() {
		final Path file = dir.resolve("new.zip");
		final IOException e = assertThrows(IOException.class, () -> ModelFiles.save(fresh.bundle(),
			file, out -> new FullAfter(out, 500)));
		assertTrue(e.getMessage().contains("No file was made."), e.getMessage());
		assertFalse(Files.exists(file));
		assertEquals(List.of(), list(dir));
	}

	@Test
	void trainClassifierSaysWhyTheModelWasNotSavedAndWhatToDo() throws IOException {
		final Path notAFolder = Files.writeString(dir.resolve("notes.txt"), "a file");
		final DeepClassException e = assertThrows(DeepClassException.class, () -> TrainingPipeline
			.save(fresh, notAFolder.resolve("model.zip")));
		assertEquals("training finished but its model was not saved: cannot write the model file '" +
			notAFolder.resolve("model.zip") + "' ('" + notAFolder + "' is a file, not a folder). No " +
			"file was made. Free disk space or choose another folder. Then train again.", e
				.getMessage());
	}

	private long bytesWritten(final ModelBundle bundle) throws IOException {
		final Path probe = Files.createTempDirectory(dir.getParent(), "probe").resolve("probe.zip");
		ModelFiles.save(bundle, probe);
		final long size = Files.size(probe);
		Files.delete(probe);
		Files.delete(probe.getParent());
		return size;
	}

	private static float[][] probabilities(final ModelBundle bundle) {
		return new Classifier(bundle).classify(TRAIN).probabilities();
	}

	private static List<Path> list(final Path dir) {
		try (var files = Files.list(dir)) {
			return files.toList();
		}
		catch (final IOException e) {
			throw new AssertionError(e);
		}
	}

	private static class Counting extends FilterOutputStream {

		long written;

		Counting(final OutputStream out) {
			super(out);
		}

		@Override
		public void write(final int b) throws IOException {
			beforeWriting(1);
			out.write(b);
			written++;
		}

		@Override
		public void write(final byte[] b, final int off, final int len) throws IOException {
			beforeWriting(len);
			out.write(b, off, len);
			written += len;
		}

		void beforeWriting(final int len) throws IOException {}
	}

	/** A disk with room for {@code room} more bytes, failing as Linux does when it is full. */
	private static final class FullAfter extends Counting {

		private final long room;

		FullAfter(final OutputStream out, final long room) {
			super(out);
			this.room = room;
		}

		@Override
		void beforeWriting(final int len) throws IOException {
			if (written + len > room) {
				final int fits = (int) (room - written);
				if (fits > 0) {
					out.write(new byte[fits]); // a partial write, as write(2) does, then ENOSPC
					written += fits;
				}
				throw new IOException("No space left on device");
			}
		}
	}
}
