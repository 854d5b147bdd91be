package io.deepclass.ij.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ij.measure.ResultsTable;

import io.deepclass.core.HostileFiles;

/**
 * save_tables (and save_csv of an in-memory classification) with names from someone else's
 * model: a title cannot write outside the chosen folder, and a class or file name that a
 * spreadsheet would run as a formula is written as text while numbers stay numbers.
 */
class TablesCsvTest {

	@TempDir
	Path dir;

	@Test
	void hostileTitlesWriteInsideTheFolder() throws IOException {
		final Path out = Files.createDirectories(dir.resolve("tables"));
		final ResultsTable table = new ResultsTable();
		table.incrementCounter();
		table.addValue("x", 1);
		for (final String title : List.of("../../escaped", "a/b", "CON", "x\ny", "x\0y", ".."))
			assertEquals(out, Tables.save(table, title, out.toFile()).toPath().getParent(), title);
		assertEquals(List.of("tables"), HostileFiles.names(dir), "nothing written beside the folder");
		assertEquals(List.of("_CON.csv", "__.csv", "___.._escaped.csv", "a_b.csv", "x_y.csv"),
			HostileFiles.names(out), "x\\ny and x\\0y both give x_y");
	}

	@Test
	void formulaCellsAreTextAndNumbersStayNumbers() throws IOException {
		final ResultsTable table = new ResultsTable();
		table.showRowNumbers(false);
		table.incrementCounter();
		table.addValue("source", "=HYPERLINK(\"http://x\",\"y\")");
		table.addValue("class", "@SUM(A1)");
		table.addValue("confidence", -0.5);
		table.incrementCounter();
		table.addValue("source", "-1+2");
		table.addValue("class", "plain");
		table.addValue("confidence", 0.25);
		final File file = Tables.save(table, "DeepClass Results", dir.toFile());
		assertEquals(List.of("source,class,confidence",
			"\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",\"'@SUM(A1)\",-0.500",
			"\"'-1+2\",plain,0.250"), Files.readAllLines(file.toPath()));
	}

	@Test
	void ordinaryTablesAreWrittenAsImageJWritesThem() throws IOException {
		final ResultsTable table = new ResultsTable();
		table.incrementCounter();
		table.addLabel("first");
		table.addValue("name", "a b");
		table.addValue("value", 1.5);
		table.addValue("count", 3);
		final Path ours = Tables.save(table, "t", dir.toFile()).toPath();
		final Path imagej = dir.resolve("imagej.csv");
		table.save(imagej.toString());
		assertEquals(Files.readString(imagej), Files.readString(ours));
	}
}
