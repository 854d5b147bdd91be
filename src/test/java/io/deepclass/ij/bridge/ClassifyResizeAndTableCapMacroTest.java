package io.deepclass.ij.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ij.IJ;
import ij.ImagePlus;
import ij.io.FileSaver;
import ij.measure.ResultsTable;
import io.deepclass.ij.display.ResultTables;

/**
 * Classify Images through macro strings: {@code resize} converts images of another size, and
 * with {@code save_csv} the table keeps the first 10 000 rows while the CSV holds them all.
 */
class ClassifyResizeAndTableCapMacroTest {

	@TempDir
	static Path dir;

	static Path model, flat;

	@BeforeAll
	static void trainAModel() throws IOException {
		flat = MacroHarness.stripesFolder(dir.resolve("flat"), 10, 16, 3, true);
		model = MacroHarness.stripesModel(dir);
	}

	private static List<Path> files(final Path folder) throws IOException {
		try (Stream<Path> s = Files.list(folder)) {
			return s.sorted().toList();
		}
	}

	/** 32x32 copies of the 16x16 stripes, each pixel doubled: resized back, the same stripes. */
	@Test
	void resizeClassifiesImagesOfAnotherSize() throws IOException {
		final Path big = Files.createDirectories(dir.resolve("big"));
		for (final Path f : files(flat)) {
			final ImagePlus imp = IJ.openImage(f.toString());
			imp.setProcessor(imp.getProcessor().resize(32, 32, false));
			new FileSaver(imp).saveAsPng(big.resolve(f.getFileName()).toString());
		}
		assertEquals(32, IJ.openImage(files(big).get(0).toString()).getWidth());
		final String classify = "setBatchMode(true);\nrun(\"Classify Images\", \"model_file=[" +
			model + "] input=folder folder=[" + big + "]";
		final MacroHarness.Run refused = MacroHarness.run(classify + "\");");
		assertFalse(refused.completed());
		assertTrue(refused.output().contains("tick 'resize'"), refused.output());

		final MacroHarness.Run run = MacroHarness.run(classify + " resize\");");
		assertTrue(run.completed(), run.output());
		final ResultsTable results = MacroHarness.table(ResultTables.RESULTS);
		assertEquals(10, results.size());
		int right = 0;
		for (int i = 0; i < results.size(); i++)
			if (Path.of(results.getStringValue("source", i)).getFileName().toString().startsWith(results
				.getStringValue("class", i))) right++;
		assertTrue(right >= 9, right + " of 10 right after resizing");
	}

	/** 10 001 files (copies of one image, fast to make): the table stops at 10 000 rows. */
	@Test
	void theTableKeepsTheFirst10000RowsAndTheCsvAll() throws IOException {
		final Path many = Files.createDirectories(dir.resolve("many"));
		final Path one = files(flat).get(0);
		for (int i = 0; i < 10_001; i++)
			Files.copy(one, many.resolve(String.format("img-%05d.png", i)));
		final Path csv = dir.resolve("many.csv");
		final MacroHarness.Run run = MacroHarness.run("setBatchMode(true);\nrun(\"Classify Images\", " +
			"\"model_file=[" + model + "] input=folder folder=[" + many + "] save_csv=[" + csv + "]\");");
		assertTrue(run.completed(), run.output());
		assertTrue(run.output().contains("shows the first 10000 of 10001 rows; the CSV holds them all"),
			run.output());
		assertEquals(10_002, Files.readAllLines(csv).size(), "header and every file");
		final ResultsTable results = MacroHarness.table(ResultTables.RESULTS);
		assertEquals(10_000, results.size());
		assertTrue(results.getStringValue("source", 9_999).endsWith("img-09999.png"), results
			.getStringValue("source", 9_999));
	}
}
