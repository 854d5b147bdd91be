package io.deepclass.core.predict;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.deepclass.core.DeepClassException;
import io.deepclass.core.TestData;
import io.deepclass.core.data.Dataset;
import io.deepclass.core.data.DecodedImage;
import io.deepclass.core.data.ImageDecoder;
import io.deepclass.core.data.ImageFiles.ImageFile;
import io.deepclass.core.data.LabelledImageCollector;
import io.deepclass.core.train.TrainingSettings;

/**
 * The streaming engine on raw 8-bit files of stripes (a decoder of its own, so that these tests
 * need no ImageJ): same results as classifying in memory, in input order, bad files skipped,
 * a bounded number of batches in memory, and resuming a cancelled or killed run's CSV.
 */
class StreamingClassificationTest {

	static final int SIZE = 10;

	@TempDir
	static Path dir;

	static Classifier classifier;

	static Dataset images;

	static List<ImageFile> files;

	/** Raw bytes, one per pixel; anything of another length is "not an image". */
	static final ImageDecoder RAW = file -> {
		final byte[] bytes = Files.readAllBytes(file);
		if (bytes.length != SIZE * SIZE) throw new IOException("not an image");
		final float[] pixels = new float[bytes.length];
		for (int i = 0; i < bytes.length; i++)
			pixels[i] = bytes[i] & 0xff;
		return new DecodedImage(SIZE, SIZE, 1, pixels, 8);
	};

	@BeforeAll
	static void modelAndFiles() throws IOException {
		classifier = new Classifier(TestData.model("mlp100", TestData.stripes(200, SIZE, 1), null,
			TrainingSettings.defaults().withEpochs(2).withBatchSize(20)));
		final Dataset stripes = TestData.stripes(300, SIZE, 2);
		files = write(stripes, dir.resolve("images"));
		// as decoded: values rounded to bytes
		final LabelledImageCollector collector = new LabelledImageCollector(stripes.classNames(),
			stripes.shape());
		for (final ImageFile file : files)
			collector.add(RAW.decode(file.path()), -1, file.source());
		images = collector.finishUnlabelled("test files").dataset();
	}

	static List<ImageFile> write(final Dataset d, final Path folder) throws IOException {
		Files.createDirectories(folder);
		final List<ImageFile> list = new ArrayList<>();
		for (int i = 0; i < d.size(); i++) {
			final float[] pixels = d.image(i);
			final byte[] bytes = new byte[pixels.length];
			for (int p = 0; p < pixels.length; p++)
				bytes[p] = (byte) Math.max(0, Math.min(255, Math.round(pixels[p])));
			final Path file = folder.resolve(String.format("%04d.raw", i));
			Files.write(file, bytes);
			list.add(new ImageFile(file, d.classNames().get(d.label(i))));
		}
		return list;
	}

	static StreamingClassification engine(final int batch, final int queued) {
		return new StreamingClassification(classifier, RAW, new StreamingClassification.Settings(
			batch, queued, 2, false));
	}

	@Test
	void streamedRowsEqualTheInMemoryClassificationInOrder() throws IOException {
		final Predictions expected = classifier.classify(images);
		final List<ResultsCsv.Row> rows = new ArrayList<>();
		final List<StreamingClassification.Progress> progress = new ArrayList<>();
		final StreamingClassification.Summary s = engine(64, 2).run(files, null,
			new StreamingClassification.Listener() {

				@Override
				public void rows(final List<ResultsCsv.Row> batch) {
					rows.addAll(batch);
				}

				@Override
				public void progress(final StreamingClassification.Progress p) {
					progress.add(p);
				}
			});
		assertEquals(300, s.classified());
		assertEquals(0, s.skipped());
		assertEquals(300, rows.size());
		for (int i = 0; i < rows.size(); i++) {
			assertEquals(files.get(i).source(), rows.get(i).source());
			assertEquals(expected.predictedClass(i), rows.get(i).predictedClass());
			assertArrayEquals(expected.probabilities()[i], rows.get(i).probabilities(), 1e-6f);
		}
		assertEquals(List.of(64, 128, 192, 256, 300), progress.stream().map(
			StreamingClassification.Progress::done).toList(), "progress after each batch");
		assertEquals(0, progress.get(4).etaSeconds(), 1e-9);
	}

	@Test
	void neverHoldsMoreThanTheQueuedBatchesAndTheOneClassified() throws IOException {
		final AtomicInteger live = new AtomicInteger(), most = new AtomicInteger();
		final ImageDecoder counting = file -> {
			most.accumulateAndGet(live.incrementAndGet(), Math::max);
			return RAW.decode(file);
		};
		final StreamingClassification engine = new StreamingClassification(classifier, counting,
			new StreamingClassification.Settings(1, 3, 2, false));
		final StreamingClassification.Summary s = engine.run(files.subList(0, 40), null,
			new StreamingClassification.Listener() {

				@Override
				public void rows(final List<ResultsCsv.Row> batch) {
					// a slow consumer: an unbounded reader would decode everything meanwhile
					if (live.get() > 0 && most.get() < 4) sleep(300);
					live.addAndGet(-batch.size());
				}
			});
		assertEquals(40, s.classified());
		assertTrue(most.get() <= 4, "decoded batches alive at once: " + most.get());
		assertTrue(most.get() >= 2, "files are decoded while the network classifies: " + most.get());
		assertTrue(s.peakBatches() <= 4 && s.peakBatches() >= 2, "peak " + s.peakBatches());
	}

	@Test
	void vanishedUnreadableAndChangedFilesAreSkippedAndReported() throws IOException {
		final Path folder = dir.resolve("bad");
		final List<ImageFile> some = write(TestData.stripes(6, SIZE, 3), folder);
		Files.delete(some.get(1).path());
		Files.writeString(some.get(2).path(), "not an image");
		final Path growing = some.get(3).path();
		final byte[] before = Files.readAllBytes(growing);
		final ImageDecoder decoder = file -> {
			final DecodedImage image = RAW.decode(file);
			// another program still writing the file while it is read
			if (file.equals(growing)) Files.write(growing, new byte[] { 1 },
				java.nio.file.StandardOpenOption.APPEND);
			return image;
		};
		final Map<String, String> skipped = new TreeMap<>();
		final List<String> classified = new ArrayList<>();
		final StreamingClassification.Summary s = new StreamingClassification(classifier, decoder,
			new StreamingClassification.Settings(4, 1, 1, false)).run(some, null,
				new StreamingClassification.Listener() {

					@Override
					public void rows(final List<ResultsCsv.Row> rows) {
						rows.forEach(r -> classified.add(r.source()));
					}

					@Override
					public void skipped(final String source, final String reason) {
						skipped.put(Path.of(source).getFileName().toString(), reason);
					}
				});
		assertEquals(3, s.skipped());
		assertEquals(3, s.classified());
		assertEquals(List.of(some.get(0).source(), some.get(4).source(), some.get(5).source()),
			classified);
		assertTrue(skipped.get("0001.raw").contains("vanished"), skipped.toString());
		assertEquals("not an image", skipped.get("0002.raw"));
		assertTrue(skipped.get("0003.raw").contains("changed while being read"), skipped.toString());
		assertEquals(before.length + 1, Files.size(growing), "only the test's writer touched it");
	}

	@Test
	void resumingACancelledRunFinishesItWithEveryFileOnce() throws IOException {
		final Path full = dir.resolve("full.csv");
		engine(50, 2).toCsv(files, true, full, false, null, new StreamingClassification.Listener() {});
		final Path csv = dir.resolve("cancelled.csv");
		final int[] checks = { 0 };
		final StreamingClassification.Summary first = engine(50, 2).toCsv(files, true, csv, false,
			() -> ++checks[0] >= 2, new StreamingClassification.Listener() {});
		assertTrue(first.cancelled());
		assertEquals(100, first.classified(), "two batches, then Esc");
		assertEquals(101, Files.readAllLines(csv).size(), "flushed after each batch");

		final StreamingClassification.Summary second = engine(50, 2).toCsv(files, true, csv, true,
			null, new StreamingClassification.Listener() {});
		assertEquals(100, second.alreadyDone());
		assertEquals(200, second.classified());
		assertFalse(second.droppedPartialLine());
		assertEquals(Files.readString(full), Files.readString(csv));
	}

	@Test
	void resumingAfterAKillMidLineRedoesThatFile() throws IOException {
		final Path full = dir.resolve("full2.csv");
		engine(64, 2).toCsv(files, true, full, false, null, new StreamingClassification.Listener() {});
		final List<String> lines = Files.readAllLines(full);
		final Path csv = dir.resolve("killed.csv");
		Files.copy(full, csv);
		// killed while writing row 120: its first 20 characters made it to the disk
		long keep = 0;
		for (int i = 0; i < 120; i++)
			keep += lines.get(i).getBytes(StandardCharsets.UTF_8).length + 1;
		try (RandomAccessFile raf = new RandomAccessFile(csv.toFile(), "rw")) {
			raf.setLength(keep + 20);
		}
		final StreamingClassification.Summary s = engine(64, 2).toCsv(files, true, csv, true, null,
			new StreamingClassification.Listener() {});
		assertTrue(s.droppedPartialLine());
		assertEquals(119, s.alreadyDone());
		assertEquals(181, s.classified());
		assertSameResults(lines, Files.readAllLines(csv));
	}

	@Test
	void resumingIntoACsvOfOtherColumnsIsRefused() throws IOException {
		final Path csv = dir.resolve("other.csv");
		Files.writeString(csv, "source,slice,roi,class,confidence,p_a,p_b\nx,0,0,a,1,1,0\n");
		final DeepClassException e = assertThrows(DeepClassException.class, () -> engine(64, 2).toCsv(
			files, true, csv, true, null, new StreamingClassification.Listener() {}));
		assertTrue(e.getMessage().contains("untick resume"), e.getMessage());
		assertEquals(2, Files.readAllLines(csv).size(), "left as it was");
	}

	/** Same rows in the same order, probabilities equal to float rounding. */
	static void assertSameResults(final List<String> expected, final List<String> actual) {
		assertEquals(expected.size(), actual.size());
		assertEquals(expected.get(0), actual.get(0));
		for (int i = 1; i < expected.size(); i++) {
			final List<String> e = ResultsCsv.parse(expected.get(i)), a = ResultsCsv.parse(actual.get(
				i));
			assertEquals(e.subList(0, 4), a.subList(0, 4), "row " + i);
			for (int f = 4; f < e.size(); f++)
				if (e.get(f).matches("[-0-9.E]+")) assertEquals(Double.parseDouble(e.get(f)), Double
					.parseDouble(a.get(f)), 1e-6, "row " + i);
				else assertEquals(e.get(f), a.get(f));
		}
	}

	private static void sleep(final long ms) {
		try {
			Thread.sleep(ms);
		}
		catch (final InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}
}
