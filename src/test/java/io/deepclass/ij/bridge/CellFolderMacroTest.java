package io.deepclass.ij.bridge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ij.gui.Roi;

import io.deepclass.core.bundle.ModelBundle;
import io.deepclass.core.bundle.ModelFiles;
import io.deepclass.core.cells.PretrainedCells;
import io.deepclass.core.predict.Classifier;
import io.deepclass.core.transfer.Backbone;
import io.deepclass.ij.cells.CellFolderClassification;
import io.deepclass.ij.cells.CellFolders;
import io.deepclass.ij.cells.CellFolders.Cells;
import io.deepclass.ij.cells.CellFolders.LabelIn;
import io.deepclass.ij.cells.CellLabels;
import io.deepclass.ij.cells.CellSession;
import io.deepclass.ij.cells.RoiSets;

/**
 * The headless half of Classify Cells Interactively, through the two example macros: train one
 * model from the labelled cells of several images (labels in properties, groups and names; 8- and
 * 16-bit; a two-channel image; an image without ROI set; an unlabelled ROI), then classify the
 * cells of other images, each ROI set written with its classes into an output folder while the
 * inputs stay as they were.
 */
class CellFolderMacroTest {

	@TempDir
	Path dir;

	private static final Path MACROS = Paths.get("macros");

	private static final int SIZE = 16;

	@AfterEach
	void forgetGroupNames() {
		Roi.setGroupNames("");
	}

	@Test
	void labelledCellsOfSeveralImagesTrainAModelThatClassifiesTheCellsOfOtherImages()
		throws Exception
	{
		final Path onnx = backbone();
		final Path labelled = Files.createDirectories(dir.resolve("labelled"));
		final Cells a = CellFolders.draw("a", 160, 120, 20, false, false, 1);
		CellFolders.label(a, LabelIn.PROPERTY, 3);
		CellFolders.save(a, labelled, true);
		final Cells b = CellFolders.draw("b", 200, 144, 30, true, false, 2);
		CellFolders.label(b, LabelIn.GROUP, -1);
		CellFolders.save(b, labelled, true);
		final Cells c = CellFolders.draw("c", 144, 144, 20, false, true, 3);
		CellFolders.label(c, LabelIn.NAME, -1);
		CellFolders.save(c, labelled, true);
		CellFolders.save(CellFolders.draw("d", 96, 96, 4, false, false, 4), labelled, false);
		// the names the scientist gave ImageJ's groups
		Roi.setGroupNames("bright,dark");

		final Path fresh = Files.createDirectories(dir.resolve("new"));
		final Cells e = CellFolders.draw("e", 192, 144, 40, false, false, 5);
		CellFolders.save(e, fresh, true);
		final Cells f = CellFolders.draw("f", 144, 120, 25, true, false, 6);
		CellFolders.save(f, fresh, true);
		final Map<Path, String> before = checksums(labelled, fresh);

		final Path model = dir.resolve("cells-model.zip");
		final MacroHarness.Run training = run("train_on_labelled_cells.ijm", "folder=" + labelled +
			";model=" + model + ";backbone=" + onnx + ";size=" + SIZE + ";channels=1;epochs=10");
		assertTrue(training.output().contains("69 labelled ROIs of 3 images imported, 1 unlabelled " +
			"ROIs left out"), training.output());
		assertTrue(training.output().contains("1 of the 4 images have no ROI set beside them " +
			"(image.zip for image.tif) and are left out: d.tif"), training.output());
		assertTrue(training.output().contains("bit depths differ"), training.output());
		final ModelBundle trained = ModelFiles.load(model);
		assertEquals(List.of("bright", "dark"), trained.info().classNames());
		assertArrayEquals(new int[] { 1 }, trained.info().input().selectedChannels());

		final Path out = dir.resolve("out");
		final MacroHarness.Run classifying = run("classify_cells_folder.ijm", "model=" + model +
			";folder=" + fresh + ";out=" + out);
		assertTrue(classifying.output().contains("65 cells classified"), classifying.output());
		final List<String> rows = Files.readAllLines(out.resolve("results.csv"));
		assertEquals("source,slice,roi,roi_name,class,confidence,p_bright,p_dark", rows.get(0)
			.replace("\"", ""));
		assertEquals(1 + 40 + 25, rows.size());
		final String[] predicted = new String[65];
		int correct = 0;
		for (int r = 1; r < rows.size(); r++) {
			final String[] cells = rows.get(r).split(",");
			final Cells from = cells[0].equals("e.tif") ? e : f;
			final int roi = Integer.parseInt(cells[2]) - 1;
			assertEquals(from.rois()[roi].getName(), cells[3]);
			predicted[r - 1] = cells[4];
			if (cells[4].equals(CellFolders.CLASSES.get(from.truth()[roi]))) correct++;
		}
		assertTrue(correct >= 0.9 * 65, correct + " of 65 held-out cells right (chance: half)");

		// each image's ROI set again, its classes in group and properties, read as predictions
		final Roi[] written = RoiSets.read(out.resolve("e.zip"));
		assertEquals(40, written.length);
		for (int i = 0; i < written.length; i++) {
			assertEquals(predicted[i], written[i].getProperty(CellLabels.PREDICTION));
			assertEquals(CellFolders.CLASSES.indexOf(predicted[i]) + 1, written[i].getGroup());
			assertTrue(Float.parseFloat(written[i].getProperty(CellLabels.CONFIDENCE)) >= 0.5f);
			assertNull(CellLabels.read(written[i]), "a prediction is not a label");
			assertEquals(e.rois()[i].getBounds(), written[i].getBounds());
		}
		assertTrue(Files.isRegularFile(out.resolve("f.zip")));
		assertEquals(before, checksums(labelled, fresh), "the input files are unchanged");

		// the panel, on image a's labels, builds a model that classifies the new cells alike
		final CellSession panel = CellSession.open(a.image(), a.rois(), PretrainedCells.of(Backbone
			.load(onnx, null, SIZE)), null, 0, List.of(), 42, null, () -> false);
		panel.retrain();
		final Path panelModel = dir.resolve("panel-model.zip");
		panel.saveModel(panelModel);
		final var fromPanel = CellFolderClassification.classify(new Classifier(ModelFiles.load(
			panelModel)), fresh, dir.resolve("out-panel"), 0, line -> {}, () -> false);
		int agree = 0;
		for (int r = 0; r < 65; r++)
			if (fromPanel.results().getStringValue("class", r).equals(predicted[r])) agree++;
		assertTrue(agree >= 0.9 * 65, agree + " of 65 cells classified alike by the panel's model");
	}

	@Test
	void aBrokenRoiSetStopsWithOneLineNamingIt() throws Exception {
		final Path folder = Files.createDirectories(dir.resolve("broken"));
		final Cells g = CellFolders.draw("g", 96, 96, 4, false, false, 7);
		CellFolders.save(g, folder, false);
		Files.write(folder.resolve("g.zip"), "not a zip at all".getBytes());
		final MacroHarness.Run importing = withWarnings(() -> MacroHarness.run("setBatchMode(true);\n" +
			"run(\"Import Dataset\", \"source=[rois in folder] folder=[" + folder + "] patch_size=0\");"));
		assertFalse(importing.completed());
		assertTrue(importing.output().contains("Import Dataset: the ROI set '" + folder.resolve(
			"g.zip") + "' holds no .roi entries"), importing.output());
		assertFalse(importing.output().contains("\tat "), "no stack trace: " + importing.output());
	}

	@Test
	void examplesStopWithUsageWhenArgumentsAreMissing() throws Exception {
		for (final String macro : new String[] { "train_on_labelled_cells.ijm",
			"classify_cells_folder.ijm" })
			assertFalse(Headless.run(MACROS.resolve(macro), ""), macro + " must not succeed");
	}

	private Path backbone() throws IOException {
		final Path onnx = dir.resolve("backbone.onnx");
		try (InputStream in = getClass().getResourceAsStream("/io/deepclass/core/onnx/residual.onnx")) {
			Files.copy(in, onnx);
		}
		return onnx;
	}

	/** Runs an example macro; its output holds what it printed and logged, warnings too. */
	private static MacroHarness.Run run(final String macro, final String argument)
		throws IOException
	{
		final MacroHarness.Run run = withWarnings(() -> MacroHarness.run(Files.readString(MACROS
			.resolve(macro)), argument));
		assertTrue(run.completed(), macro + " did not complete:\n" + run.output());
		return run;
	}

	private interface MacroCall {

		MacroHarness.Run run() throws IOException;
	}

	/** The run with the warnings (LogService's, on standard error headless) after its output. */
	private static MacroHarness.Run withWarnings(final MacroCall call) throws IOException {
		final PrintStream stderr = System.err;
		final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
		System.setErr(new PrintStream(buffer, true, StandardCharsets.UTF_8));
		try {
			final MacroHarness.Run run = call.run();
			return new MacroHarness.Run(run.completed(), run.output() + buffer.toString(
				StandardCharsets.UTF_8));
		}
		finally {
			System.setErr(stderr);
		}
	}

	private static Map<Path, String> checksums(final Path... folders) throws IOException,
		NoSuchAlgorithmException
	{
		final Map<Path, String> sums = new TreeMap<>();
		for (final Path folder : folders)
			try (Stream<Path> files = Files.list(folder)) {
				for (final Path file : files.toList())
					sums.put(file, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files
						.readAllBytes(file))));
			}
		return sums;
	}
}
