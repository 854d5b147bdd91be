package io.deepclass.core.predict;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.deepclass.core.DeepClassException;

/** Resuming never changes a CSV that is not a DeepClass results file of the same columns. */
class ResultsCsvTest {

	@TempDir
	Path dir;

	@Test
	void aForeignCsvWithoutFinalNewlineIsRefusedAndLeftByteForByte() throws IOException {
		final List<String> header = ResultsCsv.header(List.of("a", "b"), false);
		for (final String content : new String[] { "name,value\nx,1\ny,2", "one line, no newline",
			"source,slice,roi,class,confidence,p_a,p_b\nimg1,0,0,a,0.9,0.9,0.1\nimg2,0,0" + ",b" })
		{
			final Path file = dir.resolve("foreign.csv");
			Files.writeString(file, content);
			final byte[] before = Files.readAllBytes(file);
			if (content.startsWith("source")) {
				// ours, killed mid-line: the half row goes, the complete one stays
				try (ResultsCsv csv = ResultsCsv.open(file, header, true)) {
					assertTrue(csv.done().contains("img1"));
					assertTrue(csv.droppedBytes() > 0);
				}
				continue;
			}
			final DeepClassException e = assertThrows(DeepClassException.class, () -> ResultsCsv.open(
				file, header, true));
			assertTrue(e.getMessage().contains("cannot resume into"), e.getMessage());
			assertArrayEquals(before, Files.readAllBytes(file), "untouched: " + content);
		}
	}
}
