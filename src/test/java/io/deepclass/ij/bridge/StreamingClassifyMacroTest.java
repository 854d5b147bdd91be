package io.deepclass.ij.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ij.measure.ResultsTable;
import io.deepclass.ij.display.ResultTables;

/**
 * Classify Images streaming folders and lists to CSV through macro strings, headless: the same
 * results as the in-memory table, nested folders, lists, skipped files, resuming a killed run.
 */
class StreamingClassifyMacroTest {

	@TempDir
	static Path dir;

	static Path test, model;

	@BeforeAll
	static void trainAModel() throws IOException {
		test = MacroHarness.stripesFolder(dir.resolve("test"), 40, 16, 2, false);
		model = MacroHarness.stripesModel(dir);
	}

	static MacroHarness.Run classify(final String options) {
		final MacroHarness.Run run = MacroHarness.run("setBatchMode(true);\nrun(\"Classify Images\", " +
			"\"model_file=[" + model + "] " + options.replace("\"", "\\\"") + "\");");
		assertTrue(run.completed(), run.output());
		return run;
	}

	@Test
	void streamedCsvHoldsWhatTheInMemoryTableHolds() throws IOException {
		classify("input=folder folder=[" + test + "]");
		final ResultsTable memory = MacroHarness.table(ResultTables.RESULTS);
		final Path csv = dir.resolve("streamed.csv");
		final MacroHarness.Run run = classify("input=folder folder=[" + test + "] save_csv=[" + csv +
			"]");
		assertTrue(run.output().contains("classified 40 of 40 files"), run.output());
		final List<String> lines = Files.readAllLines(csv);
		assertEquals(List.of("source", "slice", "roi", "class", "confidence", "p_horizontal",
			"p_vertical", "true_class", "correct"), List.of(lines.get(0).split(",")),
			"the columns of the in-memory table");
		assertEquals(memory.size() + 1, lines.size());
		for (int i = 0; i < memory.size(); i++) {
			final String[] f = lines.get(i + 1).split(",");
			assertEquals(memory.getStringValue("source", i), f[0]);
			assertEquals(memory.getStringValue("class", i), f[3]);
			assertEquals(memory.getValue("confidence", i), Double.parseDouble(f[4]), 1e-6);
			assertEquals(memory.getValue("p_horizontal", i), Double.parseDouble(f[5]), 1e-6);
			assertEquals(memory.getValue("p_vertical", i), Double.parseDouble(f[6]), 1e-6);
			assertEquals(memory.getStringValue("true_class", i), f[7]);
			assertEquals((int) memory.getValue("correct", i), Integer.parseInt(f[8]));
		}
		final ResultsTable confusion = MacroHarness.table(ResultTables.CONFUSION);
		assertConfusionCounts(lines, confusion);
		assertTrue(confusion.getValue("horizontal", 0) + confusion.getValue("vertical", 1) >= 36,
			"the confusion matrix, counted as the rows stream by");
	}

	/**
	 * The confusion table holds, cell by cell, the (true class, class) pairs of the CSV's rows:
	 * it was counted from this run's rows, not left by another run.
	 */
	static void assertConfusionCounts(final List<String> csv, final ResultsTable confusion) {
		final List<String> classes = List.of("horizontal", "vertical");
		final int[][] counts = new int[2][2];
		for (final String line : csv.subList(1, csv.size())) {
			final String[] f = line.split(",");
			counts[classes.indexOf(f[7])][classes.indexOf(f[3])]++;
		}
		assertEquals(2, confusion.size(), "a row per actual class");
		for (int actual = 0; actual < 2; actual++) {
			assertEquals(classes.get(actual), confusion.getStringValue("actual", actual));
			for (int predicted = 0; predicted < 2; predicted++)
				assertEquals(counts[actual][predicted], (int) confusion.getValue(classes.get(predicted),
					actual), "actual " + classes.get(actual) + ", predicted " + classes.get(predicted));
		}
	}

	@Test
	void recursiveFindsNestedFiles() throws IOException {
		final Path nested = dir.resolve("nested");
		final List<Path> originals;
		try (Stream<Path> s = Files.walk(test)) {
			originals = s.filter(Files::isRegularFile).sorted().limit(9).toList();
		}
		for (int i = 0; i < originals.size(); i++) {
			final Path target = nested.resolve("plate" + i % 2 + "/well" + i % 3 + "/" + originals.get(
				i).getFileName());
			Files.createDirectories(target.getParent());
			Files.copy(originals.get(i), target);
		}
		final Path csv = dir.resolve("nested.csv");
		final MacroHarness.Run flat = MacroHarness.run("setBatchMode(true);\nrun(\"Classify Images\", " +
			"\"model_file=[" + model + "] input=folder folder=[" + nested + "] save_csv=[" + csv + "]\");");
		assertFalse(flat.completed());
		assertTrue(flat.output().contains("tick recursive"), "without recursive, no file: " + flat
			.output());
		classify("input=folder folder=[" + nested + "] recursive save_csv=[" + csv + "]");
		final List<String> lines = Files.readAllLines(csv);
		assertEquals(10, lines.size(), "header and 9 nested files");
		assertEquals(-1, lines.get(0).indexOf("true_class"), "plate0 is no class: truth unknown");
	}

	@Test
	void listSkipsAndReportsBadFilesAndResumesAKilledRun() throws IOException {
		final List<String> entries = new ArrayList<>();
		try (Stream<Path> s = Files.walk(test)) {
			s.filter(Files::isRegularFile).sorted().forEach(p -> entries.add(p.toString()));
		}
		final Path broken = Files.writeString(dir.resolve("broken.png"), "not a png");
		entries.add(5, "broken.png"); // relative to the list's folder
		entries.add(9, dir.resolve("gone.png").toString());
		final Path list = Files.write(dir.resolve("todo.txt"), entries);
		final Path csv = dir.resolve("list.csv");
		final MacroHarness.Warned warned = MacroHarness.runKeepingWarnings(() -> classify(
			"input=list list_file=[" + list + "] save_csv=[" + csv + "]"));
		final MacroHarness.Run run = warned.run();
		final String log = warned.warnings();
		assertTrue(log.contains("skipped " + broken + ": "), log);
		assertTrue(log.contains("gone.png: vanished"), log);
		assertTrue(run.output().contains("classified 40 of 42 files, 2 skipped"), run.output());
		final List<String> full = Files.readAllLines(csv);
		assertEquals(41, full.size());
		assertEquals("not a png", Files.readString(broken), "user files are never modified");

		// killed while writing the 26th row
		long keep = 0;
		for (int i = 0; i < 26; i++)
			keep += full.get(i).length() + 1;
		try (RandomAccessFile raf = new RandomAccessFile(csv.toFile(), "rw")) {
			raf.setLength(keep + 12);
		}
		final MacroHarness.Run resumed = classify("input=list list_file=[" + list + "] save_csv=[" +
			csv + "] resume");
		assertTrue(resumed.output().contains("25 files already done; its half-written last line"),
			resumed.output());
		final List<String> lines = Files.readAllLines(csv);
		assertEquals(41, lines.size());
		assertEquals(41, new HashSet<>(lines.stream().map(l -> l.split(",")[0]).toList()).size(),
			"every file exactly once");
		assertEquals(full.subList(0, 26), lines.subList(0, 26));
	}

	@Test
	void resumedConfusionMatrixCountsTheWholeCsv() throws IOException {
		final Path csv = dir.resolve("resumed-confusion.csv");
		classify("input=folder folder=[" + test + "] save_csv=[" + csv + "]");
		final ResultsTable whole = MacroHarness.table(ResultTables.CONFUSION);
		final List<String> full = Files.readAllLines(csv);
		Files.write(csv, full.subList(0, 1 + 15)); // a run stopped after 15 files
		final MacroHarness.Run resumed = classify("input=folder folder=[" + test + "] save_csv=[" +
			csv + "] resume");
		assertTrue(resumed.output().contains("classified 25 of 40 files"), resumed.output());
		final ResultsTable again = MacroHarness.table(ResultTables.CONFUSION);
		assertConfusionCounts(Files.readAllLines(csv), again);
		double total = 0;
		for (final String predicted : List.of("horizontal", "vertical"))
			for (int actual = 0; actual < 2; actual++) {
				assertEquals(whole.getValue(predicted, actual), again.getValue(predicted, actual),
					"predicted " + predicted + ", row " + actual);
				total += again.getValue(predicted, actual);
			}
		assertEquals(40, total, "the 15 rows resumed and the 25 classified now");
	}
}
