package io.deepclass.ij.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.deepclass.core.HostileFiles;
import io.deepclass.ij.input.HostileImagesTest;

/**
 * Classify Images run by a macro on inputs a user was handed: a named pipe as list_file or
 * save_csv (streamed, or written from the table of an open image) stops the macro with one line naming the file and the problem; a folder holding a
 * named pipe, a link to it and an image whose header declares 100 000 x 100 000 pixels is
 * classified with each of them skipped and named in the Log, in bounded time.
 */
class HostileInputsMacroTest {

	static final Duration BOUNDED = Duration.ofSeconds(60);

	@TempDir
	static Path dir;

	static Path model;

	@BeforeAll
	static void trainAModel() throws IOException {
		model = MacroHarness.stripesModel(dir);
	}

	/** The macro's output and what went to standard error (where headless warnings go). */
	static String[] classify(final String options, final boolean completes) {
		return classify(options, completes, "");
	}

	/** As {@link #classify(String, boolean)}, {@code before} run first (e.g. to open an image). */
	static String[] classify(final String options, final boolean completes, final String before) {
		final PrintStream stderr = System.err;
		final ByteArrayOutputStream warnings = new ByteArrayOutputStream();
		System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
		try {
			final MacroHarness.Run run = assertTimeoutPreemptively(BOUNDED, () -> MacroHarness.run(
				"setBatchMode(true);\n" + before + "run(\"Classify Images\", \"model_file=[" + model +
					"] " + options + "\");"));
			assertEquals(completes, run.completed(), run.output());
			return new String[] { run.output(), warnings.toString(StandardCharsets.UTF_8) };
		}
		finally {
			System.setErr(stderr);
		}
	}

	/** The one line of {@code text} holding {@code part}. */
	static String lineWith(final String text, final String part) {
		try { Files.writeString(Path.of("/tmp/h23/macro-lines.txt"), text.lines().filter(l -> l.contains(part)).findFirst().orElse("-") + "\n", java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND); } catch (IOException e) { throw new RuntimeException(e); }
		return text.lines().filter(l -> l.contains(part)).findFirst().orElseThrow(
			() -> new AssertionError("no line with '" + part + "' in:\n" + text));
	}

	@Test
	void aNamedPipeAsListFileStopsTheMacroInOneLine() throws Exception {
		final Path fifo = HostileFiles.fifo(dir.resolve("todo-pipe.txt"));
		final String[] out = classify("input=list list_file=[" + fifo + "] save_csv=[" + dir.resolve(
			"never.csv") + "]", false);
		final String line = lineWith(out[0] + out[1], "todo-pipe.txt");
		assertTrue(line.contains("not a regular file") && line.contains("one image path per line"),
			line);
		assertFalse(Files.exists(dir.resolve("never.csv")));
	}

	@Test
	void aNamedPipeAsSaveCsvStopsTheMacroInOneLine() throws Exception {
		final Path images = MacroHarness.stripesFolder(dir.resolve("few"), 2, 16, 3, true);
		final Path fifo = HostileFiles.fifo(dir.resolve("out-pipe.csv"));
		final String[] out = classify("input=folder folder=[" + images + "] save_csv=[" + fifo + "]",
			false);
		final String line = lineWith(out[0] + out[1], "out-pipe.csv");
		assertTrue(line.contains("not a regular file"), line);
	}

	@Test
	void aNamedPipeAsSaveCsvOfAnOpenImageStopsTheMacroInOneLine() throws Exception {
		final Path fifo = HostileFiles.fifo(dir.resolve("slice-pipe.csv"));
		final String[] out = classify("input=slice save_csv=[" + fifo + "]", false, "newImage(" +
			"\"cells\", \"8-bit ramp\", 16, 16, 1);\n");
		final String line = lineWith(out[0] + out[1], "slice-pipe.csv");
		assertTrue(line.contains("not a regular file"), line);
	}

	@Test
	void aFolderWithAPipeAndAHugeImageIsClassifiedWithoutThem() throws Exception {
		final Path images = MacroHarness.stripesFolder(dir.resolve("mixed"), 4, 16, 4, true);
		final Path fifo = HostileFiles.fifo(images.resolve("pipe.png"));
		Files.createSymbolicLink(images.resolve("pipe-link.png"), fifo);
		HostileImagesTest.tiff(images.resolve("huge.tif"), 100_000, 100_000, 8);
		final Path csv = dir.resolve("mixed.csv");
		final List<String> before = HostileFiles.names(images);
		final String[] out = classify("input=folder folder=[" + images + "] save_csv=[" + csv + "]",
			true);
		final String log = out[0] + out[1];
		assertTrue(lineWith(log, "huge.tif").contains("100000 x 100000 pixels"), log);
		assertTrue(lineWith(log, "pipe.png").contains("not a regular file"), log);
		assertTrue(lineWith(log, "pipe-link.png").contains("not a regular file"), log);
		assertTrue(log.contains("classified 4 of 7 files, 3 skipped"), log);
		assertEquals(5, Files.readAllLines(csv).size(), "header and the 4 images");
		assertEquals(before, HostileFiles.names(images), "nothing written next to the inputs");
	}
}
