package io.deepclass.core.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static io.deepclass.core.HostileFiles.assertOneLine;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.deepclass.core.DeepClassException;
import io.deepclass.core.HostileFiles;

/**
 * Results CSVs a user hands us to resume or merge that are not ours: a gigabyte line, no line
 * end at all, a named pipe. Each is refused in one line naming the file and the problem, in
 * bounded time and memory, without a byte changed; and text cells a spreadsheet would run as
 * formulas are written as text and read back exactly.
 */
class HostileCsvTest {

	static final Duration QUICK = Duration.ofSeconds(10);

	static final List<String> HEADER = ResultsCsv.header(List.of("a", "b"), false);

	static final long GIB = 1L << 30;

	@TempDir
	Path dir;

	private DeepClassException refused(final Path file, final boolean resume) {
		return assertTimeoutPreemptively(QUICK, () -> {
			final long before = HostileFiles.allocated();
			final DeepClassException e = assertThrows(DeepClassException.class, () -> ResultsCsv
				.open(file, HEADER, resume).close());
			final long allocated = HostileFiles.allocated() - before;
			assertTrue(allocated < 64L << 20, "bounded memory: " + (allocated >> 20) + " MiB allocated");
			return e;
		});
	}

	@Test
	void aGigabyteLastLineIsRefusedNotCut() throws IOException {
		final Path csv = HostileFiles.sparse(dir.resolve("out.csv"), ResultsCsv.line(HEADER)
			.getBytes(StandardCharsets.UTF_8), GIB);
		final DeepClassException e = refused(csv, true);
		assertOneLine(e.getMessage(), "out.csv", "line 2 is longer than 4 MiB", "resume");
		assertEquals(GIB, Files.size(csv), "nothing cut from a file that is not ours");
		assertEquals(List.of("out.csv"), HostileFiles.names(dir));
	}

	@Test
	void aGigabyteWithoutAnyLineEndIsRefused() throws IOException {
		final Path csv = HostileFiles.sparse(dir.resolve("blob.csv"), new byte[0], GIB);
		final DeepClassException e = refused(csv, true);
		assertOneLine(e.getMessage(), "blob.csv", "line 1 is longer than 4 MiB");
		assertEquals(GIB, Files.size(csv));
		assertEquals(List.of("blob.csv"), HostileFiles.names(dir));
	}

	@Test
	void aShortForeignFileWithoutLineEndIsStillNotOurs() throws IOException {
		final Path csv = Files.writeString(dir.resolve("notes.csv"), "hello");
		final DeepClassException e = refused(csv, true);
		assertOneLine(e.getMessage(), "notes.csv", "not a DeepClass results file");
		assertEquals("hello", Files.readString(csv));
	}

	@Test
	void aNamedPipeAsSaveCsvIsRefusedWithoutOpeningIt() throws Exception {
		final Path fifo = HostileFiles.fifo(dir.resolve("pipe.csv"));
		for (final boolean resume : new boolean[] { true, false })
			assertOneLine(refused(fifo, resume).getMessage(), "pipe.csv", "not a regular file",
				"save_csv");
	}

	@Test
	void mergeRefusesAShardWithAGigabyteLine() throws IOException {
		final Path good = dir.resolve("shard-0.csv");
		Files.writeString(good, ResultsCsv.line(HEADER));
		final Path bad = HostileFiles.sparse(dir.resolve("shard-1.csv"), ResultsCsv.line(HEADER)
			.getBytes(StandardCharsets.UTF_8), GIB);
		final DeepClassException e = assertTimeoutPreemptively(QUICK, () -> assertThrows(
			DeepClassException.class, () -> ResultsCsv.merge(List.of(good, bad), List.of("x"), dir
				.resolve("merged.csv"))));
		assertOneLine(e.getMessage(), "shard-1.csv", "line 2 is longer than 4 MiB");
		assertEquals(List.of("shard-0.csv", "shard-1.csv"), HostileFiles.names(dir));
	}

	@Test
	void mergeRefusesAShardEndingInAHalfWrittenLine() throws IOException {
		final Path shard = dir.resolve("shard-0.csv");
		Files.writeString(shard, ResultsCsv.line(HEADER) + "x.png,0,0,a,0.5,0.5,0.5\ny.png,0,0");
		final DeepClassException e = assertThrows(DeepClassException.class, () -> ResultsCsv.merge(
			List.of(shard), List.of("x.png", "y.png"), dir.resolve("merged.csv")));
		assertOneLine(e.getMessage(), "shard-0.csv", "half-written line", "resume=true");
		assertEquals(List.of("shard-0.csv"), HostileFiles.names(dir));
	}

	/** File and class names that a spreadsheet would run as formulas, and CSV syntax in names. */
	static final List<String> HOSTILE_NAMES = List.of("=cmd|' /C calc'!A0.png", "+1+2.png",
		"-2+3.png", "@SUM(A1).png", "\t=tab.png", "\r=cr.png", "'quoted.png", "''=twice.png",
		"a,b\"c.png", "new\nline.png", "-1.5");

	@Test
	void formulaCellsAreWrittenAsTextAndResumeExactly() throws IOException {
		final Path csv = dir.resolve("out.csv");
		final List<String> header = ResultsCsv.header(List.of("=bad", "ok"), true);
		try (ResultsCsv out = ResultsCsv.open(csv, header, false)) {
			final List<ResultsCsv.Row> rows = new ArrayList<>();
			for (final String name : HOSTILE_NAMES)
				rows.add(new ResultsCsv.Row(name, "=bad", 0.75f, new float[] { 0.75f, 0.25f }, "@ok"));
			out.write(rows);
		}
		final String text = Files.readString(csv);
		assertTrue(text.contains("\"'=cmd|' /C calc'!A0.png\",0,0,\"'=bad\",0.75,0.75,0.25,\"'@ok\",0"),
			"formula cells behind a quote, in double quotes; numbers bare:\n" + text);
		for (final String line : text.split("\n"))
			for (final String cell : line.split(","))
				assertFalse(cell.matches("[=+@\t\r].*") || cell.matches("-[^0-9].*"),
					"a cell a spreadsheet would run: " + cell);
		assertTrue(text.contains(",\"'-2+3.png\",") || text.contains("\n\"'-2+3.png\","), text);
		assertTrue(text.contains("\n-1.5,"), "a number stays a number: " + text);
		try (ResultsCsv resumed = ResultsCsv.open(csv, header, true)) {
			assertEquals(Set.copyOf(HOSTILE_NAMES), resumed.done(), "sources read back exactly");
			assertEquals(new ResultsCsv.KeptRow("=bad", "@ok"), resumed.kept().get(0));
			assertEquals(0, resumed.droppedBytes());
		}
		final Path merged = dir.resolve("merged.csv");
		assertEquals(0, ResultsCsv.merge(List.of(csv), HOSTILE_NAMES, merged));
		assertEquals(text, Files.readString(merged), "merging writes the rows as they were");
	}
}
