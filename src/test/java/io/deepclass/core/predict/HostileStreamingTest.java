package io.deepclass.core.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.deepclass.core.HostileFiles;
import io.deepclass.core.TestData;
import io.deepclass.core.data.Dataset;
import io.deepclass.core.data.ImageFiles;
import io.deepclass.core.data.ImageFiles.ImageFile;
import io.deepclass.core.train.TrainingSettings;

/**
 * Classify Images on a list naming a device, a named pipe and a link to the pipe beside real
 * images whose names a spreadsheet would run as formulas: the run ends in bounded time, the
 * specials are skipped with their reason without being opened, a link to a real image is
 * classified, and resuming the CSV finds every row again, class names that a spreadsheet would
 * run as formulas included.
 */
class HostileStreamingTest {

	static final int SIZE = StreamingClassificationTest.SIZE;

	@TempDir
	static Path dir;

	static Classifier classifier;

	/** Class names from someone else's model that a spreadsheet would run as formulas. */
	static final List<String> CLASSES = List.of("=HYPERLINK(\"http://x\",\"y\")", "@SUM(A1)");

	@BeforeAll
	static void model() {
		final Dataset stripes = TestData.stripes(100, SIZE, 1);
		final String[] sources = new String[stripes.size()];
		for (int i = 0; i < sources.length; i++)
			sources[i] = stripes.source(i);
		classifier = new Classifier(TestData.model("mlp100", new Dataset(stripes.shape(), CLASSES,
			stripes.images(), stripes.labels(), sources), null, TrainingSettings.defaults().withEpochs(
				1).withBatchSize(20)));
	}

	@Test
	void listedSpecialsAreSkippedAndFormulaNamesResumeExactly() throws Exception {
		final Path images = Files.createDirectories(dir.resolve("images"));
		final Dataset stripes = TestData.stripes(2, SIZE, 2);
		final List<ImageFile> real = StreamingClassificationTest.write(stripes, images);
		final Path formula = Files.move(real.get(0).path(), images.resolve("=cmd|' -C calc'!A0.raw"));
		final Path linked = Files.createSymbolicLink(images.resolve("-link.raw"), real.get(1).path());
		final Path fifo = HostileFiles.fifo(images.resolve("pipe.raw"));
		final Path fifoLink = Files.createSymbolicLink(images.resolve("pipe-link.raw"), fifo);
		final Path list = Files.writeString(dir.resolve("todo.txt"), String.join("\n", formula
			.toString(), "/dev/zero", fifo.toString(), fifoLink.toString(), linked.toString()) + "\n");
		final List<ImageFile> files = ImageFiles.inList(list).files();
		final Path csv = dir.resolve("out.csv");
		final StreamingClassification engine = new StreamingClassification(classifier,
			StreamingClassificationTest.RAW, new StreamingClassification.Settings(2, 2, 2, false));
		final Map<String, String> skipped = new TreeMap<>();
		final StreamingClassification.Summary s = assertTimeoutPreemptively(Duration.ofSeconds(20),
			() -> engine.toCsv(files, false, csv, false, null, new StreamingClassification.Listener() {

				@Override
				public void skipped(final String source, final String reason) {
					skipped.put(Path.of(source).getFileName().toString(), reason);
				}
			}));
		assertEquals(2, s.classified(), "the image named like a formula and the link to an image");
		assertEquals(List.of("pipe-link.raw", "pipe.raw", "zero"), List.copyOf(skipped.keySet()));
		for (final String reason : skipped.values())
			assertTrue(reason.contains("not a regular file") && !reason.contains("\n"), reason);
		final String written = Files.readString(csv);
		assertTrue(written.contains("\"'@SUM(A1)\"") || written.contains("\"'=HYPERLINK("), written);
		final List<ResultsCsv.KeptRow> kept = new ArrayList<>();
		final StreamingClassification.Summary again = assertTimeoutPreemptively(Duration.ofSeconds(
			20), () -> engine.toCsv(files, false, csv, true, null, new StreamingClassification.Listener() {

				@Override
				public void resumed(final List<ResultsCsv.KeptRow> rows) {
					kept.addAll(rows);
				}
			}));
		assertEquals(2, kept.size());
		for (final ResultsCsv.KeptRow row : kept)
			assertTrue(CLASSES.contains(row.predictedClass()), "class read back exactly: " + row);
		assertEquals(2, again.alreadyDone(), "resume matches '=cmd...' and '-link.raw' exactly");
		assertEquals(0, again.classified());
		assertEquals(written, Files.readString(csv));
		assertEquals(List.of("images", "out.csv", "todo.txt"), HostileFiles.names(dir));
	}
}
