package io.deepclass.core.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.deepclass.core.TestData;
import io.deepclass.core.data.Dataset;
import io.deepclass.core.predict.Classifier;
import io.deepclass.core.train.TrainingSettings;

/**
 * kill -9 while a model is saved over an existing one: a child JVM saves two models in turn over
 * one file and is killed at many different moments; after every kill the file is one of the two
 * complete models, and the temporary files killed saves leave are never taken for models.
 */
class ModelFilesKillTest {

	@TempDir
	Path dir;

	private static final Dataset TRAIN = TestData.stripes(80, 12, 5);

	/** Each kill costs a JVM start (about a second here); two children run side by side. */
	private static final int KILLS = 16;

	@Test
	void aKilledSaveLeavesTheOldOrTheNewModelAndOnlyHiddenTemporaryFiles() throws Exception {
		final TrainingSettings s = TrainingSettings.defaults().withEpochs(1).withBatchSize(16);
		final Path a = dir.resolve("a.zip"), b = dir.resolve("b.zip");
		ModelFiles.save(TestData.model("cnn:4,dense=8", TRAIN, null, s.withSeed(1)), a);
		ModelFiles.save(TestData.model("cnn:4,dense=8", TRAIN, null, s.withSeed(2)), b);
		final float[][] pa = probabilities(ModelFiles.load(a)), pb = probabilities(ModelFiles.load(
			b));
		assertFalse(Arrays.deepEquals(pa, pb), "the two versions can be told apart");

		final Path[] folders = { Files.createDirectory(dir.resolve("one")), Files.createDirectory(dir
			.resolve("two")) };
		final Path[] targets = new Path[folders.length];
		for (int f = 0; f < folders.length; f++) {
			targets[f] = folders[f].resolve("model.zip");
			Files.copy(a, targets[f], StandardCopyOption.REPLACE_EXISTING);
		}
		final Random random = new Random(18);
		final int[] left = new int[folders.length];
		int midSave = 0, leftovers = 0, versionA = 0, versionB = 0, maxSaves = 0;
		final List<Long> delays = new ArrayList<>();
		for (int k = 0; k < KILLS; k += folders.length) {
			final Child[] children = new Child[folders.length];
			for (int f = 0; f < folders.length; f++)
				children[f] = new Child(targets[f], a, b);
			for (int f = 0; f < folders.length; f++) {
				// from the first save's start to well into the loop: saves take 5-30 ms
				final long delay = random.nextInt(400);
				delays.add(delay);
				final Child child = children[f];
				child.awaitReady();
				Thread.sleep(delay);
				final String last = child.kill();
				if (last.startsWith("saving")) midSave++;
				if (last.startsWith("sav")) maxSaves = Math.max(maxSaves, Integer.parseInt(last
					.substring(last.indexOf(' ') + 1)));
				// a new leftover: killed between creating the temporary file and renaming it
				final int after = temporaryFiles(folders[f]).size();
				if (after > left[f]) leftovers++;
				left[f] = after;
				final float[][] p = probabilities(ModelFiles.load(targets[f]));
				if (Arrays.deepEquals(p, pa)) versionA++;
				else if (Arrays.deepEquals(p, pb)) versionB++;
				else fail("after kill " + (k + f) + " (" + last + ") the model is neither version");
			}
		}
		final List<Path> temporaries = new ArrayList<>();
		for (final Path folder : folders)
			temporaries.addAll(temporaryFiles(folder));
		System.out.println("ModelFilesKillTest: " + KILLS + " kills after " + delays + " ms, " +
			midSave + " during a save, " + leftovers + " left a temporary file, up to " + maxSaves +
			" saves before a kill; the file then held version A " + versionA + " times, B " +
			versionB + " times");
		assertTrue(midSave >= KILLS / 2, "most kills land during a save: " + midSave);
		assertTrue(versionA > 0 && versionB > 0, "both versions were seen: " + versionA + "/" +
			versionB);
		assertEquals(leftovers, temporaries.size());
		for (final Path temporary : temporaries) {
			final ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFiles
				.load(temporary));
			assertTrue(e.getMessage().contains("temporary file of a save that was interrupted"));
			Files.setLastModifiedTime(temporary, FileTime.from(Instant.now().minus(
				ModelFiles.STALE_TEMPORARY).minusSeconds(1)));
		}
		for (final Path target : targets)
			ModelFiles.save(ModelFiles.load(a), target);
		for (final Path folder : folders)
			assertEquals(List.of(), temporaryFiles(folder), "the next save removed the stale ones");
	}

	private static float[][] probabilities(final ModelBundle model) {
		return new Classifier(model).classify(TRAIN).probabilities();
	}

	private static List<Path> temporaryFiles(final Path folder) throws IOException {
		try (var files = Files.list(folder)) {
			return files.filter(f -> f.getFileName().toString().endsWith(".part")).toList();
		}
	}

	/** A JVM running {@link ModelSaverProcess}, with the lines it printed. */
	private static final class Child {

		private final Process process;

		private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

		private final AtomicReference<String> last = new AtomicReference<>("");

		Child(final Path target, final Path a, final Path b) throws IOException {
			final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
			final ProcessBuilder builder = new ProcessBuilder(java, "-Xmx512m", "-XX:+UseSerialGC",
				"-XX:TieredStopAtLevel=1", "-Djava.awt.headless=true", "-cp", System.getProperty(
					"java.class.path"), ModelSaverProcess.class.getName(), target.toString(), a.toString(),
				b.toString()).redirectError(ProcessBuilder.Redirect.DISCARD);
			builder.environment().put("OMP_NUM_THREADS", "1");
			process = builder.start();
			final Thread reader = new Thread(() -> {
				try (BufferedReader in = new BufferedReader(new InputStreamReader(process
					.getInputStream(), StandardCharsets.UTF_8)))
				{
					for (String line; (line = in.readLine()) != null;) {
						if (line.startsWith("sav")) last.set(line);
						lines.add(line);
					}
				}
				catch (final IOException e) {
					lines.add("error " + e);
				}
			});
			reader.setDaemon(true);
			reader.start();
		}

		void awaitReady() throws InterruptedException {
			for (String line; (line = lines.poll(60, TimeUnit.SECONDS)) != null;)
				if (line.equals("ready")) return;
			process.destroyForcibly();
			fail("the saving process did not start (exit " + (process.isAlive() ? "none" : process
				.exitValue()) + ")");
		}

		/** SIGKILL on Linux; returns the last line the process printed before dying. */
		String kill() throws InterruptedException {
			process.destroyForcibly();
			assertTrue(process.waitFor(10, TimeUnit.SECONDS));
			// what the dead process wrote to the pipe is still read
			Thread.sleep(20);
			assertNotNull(last.get());
			return last.get();
		}
	}
}
