package io.deepclass.ij.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ij.gui.Overlay;
import ij.gui.Roi;
import ij.gui.TextRoi;
import ij.measure.ResultsTable;

import io.deepclass.core.bundle.ModelBundle;
import io.deepclass.core.bundle.ModelFiles;
import io.deepclass.ij.display.ClassOverlays;
import io.deepclass.ij.display.ResultTables;

/**
 * Every command through real macro strings run by ImageJ's macro interpreter, headless, in
 * batch mode, as {@code run("Label", "key=value ...")} lines: the way recorded macros and
 * headless batch jobs use them.
 */
class MacroCommandsTest {

	@TempDir
	static Path dir;

	static Path train, test, flat, model;

	/** The history table the training macro made (read before any other macro runs). */
	static ResultsTable trainingHistory;

	@BeforeAll
	static void trainAModel() throws IOException {
		train = MacroHarness.stripesFolder(dir.resolve("train"), 80, 16, 1, false);
		test = MacroHarness.stripesFolder(dir.resolve("test"), 40, 16, 2, false);
		flat = MacroHarness.stripesFolder(dir.resolve("flat"), 10, 16, 3, true);
		model = dir.resolve("models/stripes.zip");
		final MacroHarness.Run run = MacroHarness.run("setBatchMode(true);\n" +
			"run(\"Import Dataset\", \"source=folder folder=[" + train + "] width=16 height=16 " +
			"channels=gray\");\n" + "print(\"title=\" + getTitle() + \" slices=\" + nSlices);\n" +
			"run(\"Train Classifier\", \"dataset=[\" + getTitle() + \"] architecture=custom " +
			"custom_architecture=mlp:32 epochs=4 batch_size=16 optimizer=adam learning_rate=0.003 " +
			"validation_fraction=0.25 seed=42 model_file=[" + model + "]\");\n" +
			"print(\"images after training: \" + nImages);");
		assertTrue(run.completed(), run.output());
		assertTrue(run.output().contains("title=DeepClass dataset train slices=80"), run.output());
		assertTrue(run.output().contains("DeepClass epoch 4:"), "a Log line per epoch: " + run
			.output());
		assertTrue(Files.isRegularFile(model));
		trainingHistory = MacroHarness.table(ResultTables.HISTORY);
	}

	@Test
	void importReportCountsClassesAndNamesSkippedFiles() throws IOException {
		Files.writeString(train.resolve("vertical/broken.png"), "not a png");
		try {
			final MacroHarness.Run run = MacroHarness.run("setBatchMode(true);\n" +
				"run(\"Import Dataset\", \"source=folder folder=[" + train + "] width=8 height=8 " +
				"channels=gray\");\nprint(getWidth() + \"x\" + getHeight() + \" \" + nSlices + \" \" + " +
				"getInfo(\"slice.label\"));");
			assertTrue(run.completed(), run.output());
			assertTrue(run.output().contains("8x8 80 horizontal/"), run.output());
			final ResultsTable report = MacroHarness.table(ResultTables.IMPORT_REPORT);
			assertEquals(3, report.size());
			assertEquals("horizontal", report.getStringValue("name", 0));
			assertEquals(40, (int) report.getValue("images", 1));
			assertEquals("skipped", report.getStringValue("item", 2));
			assertTrue(report.getStringValue("name", 2).endsWith("broken.png"));
		}
		finally {
			Files.delete(train.resolve("vertical/broken.png"));
		}
	}

	@Test
	void trainAndEvaluateNameTheFilesTheySkip() throws IOException {
		Files.writeString(train.resolve("vertical/broken.png"), "not a png");
		try {
			final Path other = dir.resolve("skipping.zip");
			final MacroHarness.Warned warned = MacroHarness.runKeepingWarnings(() -> MacroHarness.run(
				"setBatchMode(true);\nrun(\"Train Classifier\", \"folder=[" + train + "] architecture=" +
					"linear epochs=3 on_failure=warn model_file=[" + other + "]\");\n" +
					"run(\"Evaluate Classifier\", \"model_file=[" + other + "] folder=[" + train + "]\");"));
			assertTrue(warned.run().completed(), warned.run().output());
			for (final String command : List.of("Train Classifier", "Evaluate Classifier"))
				assertTrue(java.util.regex.Pattern.compile(command + ": skipped \\S*broken\\.png: ")
					.matcher(warned.warnings()).find(), command + " names the file: " + warned.warnings());
		}
		finally {
			Files.delete(train.resolve("vertical/broken.png"));
		}
	}

	@Test
	void trainingWroteAModelWithItsHistory() throws IOException {
		final ModelBundle bundle = ModelFiles.load(model);
		assertEquals(List.of("horizontal", "vertical"), bundle.info().classNames());
		assertEquals(4, bundle.info().history().size());
		assertEquals(60, bundle.info().training().trainingImages(), "75 % of 80");
		final ResultsTable history = trainingHistory;
		assertEquals(4, history.size());
		assertTrue(history.getValue("validation_accuracy", 3) >= 0.9, "stripes are learnt: " +
			history.getValue("validation_accuracy", 3));
	}

	@Test
	void classifyFolderHeadlessToCsv() throws IOException {
		final Path csv = dir.resolve("out/flat.csv");
		final MacroHarness.Run run = MacroHarness.run("setBatchMode(true);\nrun(\"Classify Images\", " +
			"\"model_file=[" + model + "] input=folder folder=[" + flat + "] save_csv=[" + csv + "]\");");
		assertTrue(run.completed(), run.output());
		final List<String> lines = Files.readAllLines(csv);
		assertEquals(11, lines.size(), "header and 10 rows");
		assertTrue(lines.get(0).contains("class") && lines.get(0).contains("p_horizontal") && lines
			.get(0).contains("p_vertical"), lines.get(0));
		final ResultsTable results = MacroHarness.table(ResultTables.RESULTS);
		int right = 0;
		for (int i = 0; i < results.size(); i++) {
			final String source = results.getStringValue("source", i);
			final String predicted = results.getStringValue("class", i);
			if (Path.of(source).getFileName().toString().startsWith(predicted)) right++;
			assertEquals(1.0, results.getValue("p_horizontal", i) + results.getValue("p_vertical", i),
				1e-4);
		}
		assertTrue(right >= 9, right + " of 10 right");
	}

	@Test
	void classifyLabelledFolderShowsTheConfusionMatrix() {
		final MacroHarness.Run run = MacroHarness.run("setBatchMode(true);\nrun(\"Classify Images\", " +
			"\"model_file=[" + model + "] input=folder folder=[" + test + "]\");");
		assertTrue(run.completed(), run.output());
		final ResultsTable confusion = MacroHarness.table(ResultTables.CONFUSION);
		assertEquals(2, confusion.size());
		final double correct = confusion.getValue("horizontal", 0) + confusion.getValue("vertical", 1);
		assertTrue(correct >= 36, "diagonal " + correct + " of 40");
		assertEquals("horizontal", MacroHarness.table(ResultTables.RESULTS).getStringValue("true_class", 0));
	}

	@Test
	void classifyRoisColoursOutlinesByClass() {
		// a 64x32 image: horizontal stripes left, vertical stripes right, one ROI on each, placed in
		// the stripes' phase as the training images (the small MLP learnt phase-0 stripes only)
		final MacroHarness.Run run = MacroHarness.run("setBatchMode(true);\n" +
			"newImage(\"cells\", \"8-bit black\", 64, 32, 1);\n" +
			"for (y = 0; y < 32; y++) for (x = 0; x < 32; x++) if (y % 6 < 3) setPixel(x, y, 220); " +
			"else setPixel(x, y, 40);\n" +
			"for (y = 0; y < 32; y++) for (x = 32; x < 64; x++) if (x % 6 < 3) setPixel(x, y, 220); " +
			"else setPixel(x, y, 40);\n" +
			"makeRectangle(6, 6, 16, 16); Overlay.addSelection;\n" +
			"makeRectangle(36, 6, 16, 16); Overlay.addSelection; Roi.remove;\n" +
			"run(\"Classify Images\", \"model_file=[" + model + "] input=rois patch_size=0 overlay\");\n" +
			"selectImage(\"cells\"); call(\"io.deepclass.ij.bridge.MacroHarness.grab\");");
		assertTrue(run.completed(), run.output());
		final Overlay overlay = MacroHarness.grabbed.getOverlay();
		assertEquals(2, overlay.size());
		final Roi left = overlay.get(0), right = overlay.get(1);
		assertTrue(left.getName().startsWith("horizontal ("), left.getName());
		assertTrue(right.getName().startsWith("vertical ("), right.getName());
		assertEquals(ClassOverlays.color(0), left.getStrokeColor());
		assertEquals(ClassOverlays.color(1), right.getStrokeColor());
		assertFalse(left.getStrokeColor().equals(right.getStrokeColor()));
		final ResultsTable results = MacroHarness.table(ResultTables.RESULTS);
		assertEquals(2, (int) results.getValue("roi", 1));
	}

	@Test
	void classifyStackWritesClassAndConfidenceOnEverySlice() {
		final MacroHarness.Run run = MacroHarness.run("setBatchMode(true);\n" +
			"run(\"Import Dataset\", \"source=folder folder=[" + test + "] width=16 height=16 " +
			"channels=gray\");\n" + "run(\"Classify Images\", \"model_file=[" + model +
			"] input=stack overlay\");\n" + "selectImage(\"DeepClass dataset test\"); call(\"io.deepclass.ij.bridge.MacroHarness.grab\");\n" +
			"print(\"legend: \" + isOpen(\"DeepClass Legend\"));");
		assertTrue(run.completed(), run.output());
		final Overlay overlay = MacroHarness.grabbed.getOverlay();
		assertEquals(40, overlay.size());
		final Roi first = overlay.get(0);
		assertTrue(first instanceof TextRoi);
		assertTrue(((TextRoi) first).getText().matches("(horizontal|vertical) \\(\\d+%\\)\\s*"), (
			(TextRoi) first).getText());
		assertEquals(40, overlay.get(39).getPosition());
		assertTrue(run.output().contains("legend: 1"), run.output());
		// a DeepClass stack knows its truth: the matrix counts this stack's 40 slices
		final ResultsTable results = MacroHarness.table(ResultTables.RESULTS);
		final ResultsTable confusion = MacroHarness.table(ResultTables.CONFUSION);
		assertEquals(40, results.size());
		final List<String> classes = List.of("horizontal", "vertical");
		final int[][] counts = new int[2][2];
		for (int i = 0; i < results.size(); i++)
			counts[classes.indexOf(results.getStringValue("true_class", i))][classes.indexOf(results
				.getStringValue("class", i))]++;
		for (int actual = 0; actual < 2; actual++)
			for (int predicted = 0; predicted < 2; predicted++)
				assertEquals(counts[actual][predicted], (int) confusion.getValue(classes.get(predicted),
					actual));
	}

	@Test
	void evaluateGivesMetricsHeatMapAndMontage() {
		final MacroHarness.Run run = MacroHarness.run("setBatchMode(true);\n" +
			"run(\"Evaluate Classifier\", \"model_file=[" + model + "] folder=[" + test +
			"] samples=16\");\n" + "selectImage(\"DeepClass Confusion Matrix\"); print(\"heat \" + " +
			"bitDepth());\n" + "selectImage(\"DeepClass Sample Predictions\"); print(\"montage \" + " +
			"getWidth());");
		assertTrue(run.completed(), run.output());
		assertTrue(run.output().contains("heat 24"), run.output());
		assertTrue(run.output().contains("montage "), run.output());
		final ResultsTable metrics = MacroHarness.table(ResultTables.EVALUATION);
		assertEquals(4, metrics.size());
		assertEquals("all (accuracy)", metrics.getStringValue("class", 2));
		assertTrue(metrics.getValue("precision", 2) >= 0.9);
		assertEquals(40, (int) metrics.getValue("support", 2));
		// the accuracy's 95 % interval (Wilson) around it, and the mean recall of the classes
		final double low = metrics.getValue("recall_low95", 2), high = metrics.getValue(
			"recall_high95", 2), accuracy = metrics.getValue("recall", 2);
		assertTrue(low < accuracy && accuracy <= high && high <= 1 && low > 0.7, low + " " + high);
		assertEquals("balanced accuracy", metrics.getStringValue("class", 3));
		assertEquals((metrics.getValue("recall", 0) + metrics.getValue("recall", 1)) / 2, metrics
			.getValue("recall", 3), 1e-9);
	}

	@Test
	void everyTableIsSavedAndReachableFromAHeadlessMacro() throws IOException {
		final Path out = dir.resolve("tables");
		final MacroHarness.Run run = MacroHarness.run("setBatchMode(true);\n" +
			"run(\"Evaluate Classifier\", \"model_file=[" + model + "] folder=[" + test +
			"] samples=4 save_tables=[" + out + "]\");\n" +
			"run(\"Get DeepClass Table\", \"table=[DeepClass Evaluation]\");\n" +
			"print(\"rows=\" + Table.size(\"Results\") + \" last=\" + Table.getString(\"class\", 2, " +
			"\"Results\") + \" support=\" + Table.get(\"support\", 2, \"Results\"));\n" +
			"Table.save(\"" + out.resolve("from-macro.csv") + "\", \"Results\");");
		assertTrue(run.completed(), run.output());
		assertTrue(run.output().contains("rows=4 last=all (accuracy) support=40"), run.output());
		final List<String> evaluation = Files.readAllLines(out.resolve("DeepClass Evaluation.csv"));
		assertEquals(5, evaluation.size(), "header and 4 rows: " + evaluation);
		assertTrue(evaluation.get(3).contains("all (accuracy)"), evaluation.get(3));
		final List<String> confusion = Files.readAllLines(out.resolve(
			"DeepClass Confusion Matrix.csv"));
		assertEquals(3, confusion.size(), "header and a row per class: " + confusion);
		// ImageJ writes the "Results" table with row numbers first (Edit > Options > Input/Output)
		final List<String> fromMacro = Files.readAllLines(out.resolve("from-macro.csv"));
		assertEquals(evaluation, fromMacro.stream().map(line -> line.substring(line.indexOf(',') +
			1)).toList(), "Table.save of the copied table writes the same values: " + fromMacro);
	}

	@Test
	void aMacroErrorHeadlessNamesTheLineInsteadOfAHeadlessException() {
		final MacroHarness.Run run = MacroHarness.run("x = 1;\nsave = \"\";\nprint(\"never\");");
		assertFalse(run.completed());
		assertTrue(run.output().contains("error at or just before line") && run.output().contains(
			"2: save = \"\";"), run.output());
		assertFalse(run.output().lines().anyMatch("never"::equals), "the macro stopped: " + run
			.output());
	}

	@Test
	void systemCheckReportsTheBackend() {
		final MacroHarness.Run run = MacroHarness.run("run(\"DeepClass System Check\");");
		assertTrue(run.completed(), run.output());
		final ResultsTable t = MacroHarness.table("DeepClass System Check");
		boolean cpu = false;
		for (int i = 0; i < t.size(); i++)
			if (t.getStringValue("item", i).equals("backend")) cpu = t.getStringValue("value", i)
				.contains("CPU");
		assertTrue(cpu, "CPU backend listed");
	}

	@Test
	void errorsNameTheCommandAndStopTheMacro() throws IOException {
		final Path corrupt = dir.resolve("corrupt.zip");
		Files.writeString(corrupt, "garbage");
		final String[][] cases = { { "run(\"Classify Images\", \"model_file=[" + model +
			"] input=stack\");", "Classify Images: input=stack needs an open image" }, {
				"run(\"Classify Images\", \"model_file=[" + dir.resolve("nope.zip") + "] input=folder " +
					"folder=[" + flat + "]\");", "Classify Images: the model file '" }, {
						"run(\"Classify Images\", \"model_file=[" + corrupt + "] input=folder folder=[" + flat +
							"]\");", "is not a DeepClass model file" }, {
								"newImage(\"big\", \"8-bit\", 32, 32, 1); run(\"Classify Images\", \"model_file=[" +
									model + "] input=slice\");", "is 32x32 gray but 16x16 gray is needed; tick 'resize'" },
			{ "run(\"Train Classifier\", \"folder=[" + train + "] epoch=3 model_file=[x.zip]\");",
				"Train Classifier: unknown parameter 'epoch'" }, { "run(\"Import Dataset\", " +
					"\"source=folder folder=[" + dir.resolve("empty") + "]\");", "is not a folder" }, {
						"run(\"Train Classifier\", \"folder=[" + train + "] architecture=resnet model_file=[" +
							dir.resolve("m.zip") + "]\");", "'resnet' is not a valid architecture; choose one of" }, {
								"run(\"Export Model\", \"model_file=[" + model + "] format=bioimage.io output=[" + dir
									.resolve("p.zip") + "]\");", "Export Model: a bioimage.io package needs labelled test " +
										"images" }, { "run(\"Export Model\", \"model_file=[" + model + "] format=keras " +
											"output=[" + dir.resolve("m.h5") + "]\");", "'keras' is not a valid format" } };
		for (final String[] c : cases) {
			final MacroHarness.Run run = MacroHarness.run("setBatchMode(true);\n" + c[0] +
				"\nprint(\"AFTER THE ERROR\");");
			assertFalse(run.completed(), "macro must stop: " + c[0] + "\n" + run.output());
			assertTrue(run.output().contains(c[1]), "expected '" + c[1] + "' in: " + run.output());
			assertFalse(run.output().contains("AFTER THE ERROR"));
			assertFalse(run.output().contains("\tat "), "no stack trace: " + run.output());
		}
	}

	@Test
	void recordedOptionsReplayToTheSameResult() {
		final MacroHarness.Run first = MacroHarness.run("run(\"Classify Images\", \"model_file=[" +
			model + "] input=folder folder=[" + flat + "] overlay\");");
		assertTrue(first.completed(), first.output());
		final ResultsTable original = MacroHarness.table(ResultTables.RESULTS);
		assertEquals(10, original.size());

		final java.util.Map<String, Object> recorded = new java.util.LinkedHashMap<>();
		recorded.put("model_file", model.toString());
		recorded.put("input", "folder");
		recorded.put("folder", flat.toString());
		recorded.put("resize", false);
		recorded.put("overlay", true);
		final String line = MacroOptions.format(recorded);
		assertEquals("model_file=" + model + " input=folder folder=" + flat + " overlay", line);
		final MacroHarness.Run run = MacroHarness.run("run(\"Classify Images\", \"" + line + "\");");
		assertTrue(run.completed(), run.output());
		final ResultsTable replayed = MacroHarness.table(ResultTables.RESULTS);
		assertFalse(original == replayed, "the replay made its own table");
		assertEquals(List.of(original.getHeadings()), List.of(replayed.getHeadings()));
		assertEquals(original.size(), replayed.size());
		for (int i = 0; i < original.size(); i++)
			for (final String column : original.getHeadings()) {
				assertEquals(original.getStringValue(column, i), replayed.getStringValue(column, i),
					column + ", row " + i);
				assertEquals(original.getValue(column, i), replayed.getValue(column, i), 1e-6, column +
					", row " + i);
			}
	}
}
