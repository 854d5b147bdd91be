package io.deepclass.ij.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ij.ImagePlus;
import ij.gui.Overlay;
import ij.gui.Roi;
import ij.io.FileSaver;
import ij.process.ByteProcessor;

import io.deepclass.core.bundle.ModelFiles;

/** Runs every example in macros/ headless, as a user would from the command line. */
class MacroExamplesTest {

	@TempDir
	Path dir;

	private static final Path MACROS = Paths.get("macros");

	@Test
	void everyExampleRunsToItsEnd() throws Exception {
		final Path train = MacroHarness.stripesFolder(dir.resolve("train"), 80, 16, 1, false);
		final Path test = MacroHarness.stripesFolder(dir.resolve("test"), 20, 16, 2, false);
		final Path flat = MacroHarness.stripesFolder(dir.resolve("flat"), 6, 16, 3, true);
		final Path model = dir.resolve("model.zip");

		final Path tables = dir.resolve("tables");
		final MacroHarness.Run training = run("train_on_folder.ijm", "folder=" + train + ";model=" +
			model + ";epochs=20;architecture=mlp100;size=16;tables=" + tables);
		assertEquals(20, ModelFiles.load(model).info().history().size());
		// one batch of 64 an epoch: 20 steps learn the stripes (3 did not: the run stopped at chance)
		final java.util.regex.Matcher accuracy = java.util.regex.Pattern.compile(
			"validation accuracy ([0-9.]+) %").matcher(training.output());
		assertTrue(accuracy.find() && Double.parseDouble(accuracy.group(1)) >= 80, training.output());
		assertEquals(21, Files.readAllLines(tables.resolve("DeepClass Training History.csv")).size(),
			"header and 20 epochs");
		assertTrue(Files.isRegularFile(tables.resolve("DeepClass Import Report.csv")));

		final Path csv = dir.resolve("results.csv");
		run("classify_folder_headless.ijm", "model=" + model + ";folder=" + flat + ";csv=" + csv);
		assertEquals(7, Files.readAllLines(csv).size());

		final Path image = cellsWithRois();
		final Path roiCsv = dir.resolve("rois.csv");
		run("classify_rois.ijm", "model=" + model + ";image=" + image + ";csv=" + roiCsv);
		final List<String> rows = Files.readAllLines(roiCsv);
		assertEquals(3, rows.size(), "header and 2 ROIs");

		final Path out = Files.createDirectories(dir.resolve("pictures"));
		run("evaluate_model.ijm", "model=" + model + ";folder=" + test + ";out=" + out);
		assertTrue(Files.size(out.resolve("confusion-matrix.png")) > 1000);
		assertTrue(Files.size(out.resolve("sample-predictions.png")) > 1000);

		final Path shared = Files.createDirectories(dir.resolve("shared"));
		run("export_model.ijm", "model=" + model + ";folder=" + test + ";out=" + shared +
			";name=Stripes (demo);authors=A. Scientist, B. Engineer");
		final var exported = onnx.OnnxMl.ModelProto.parseFrom(Files.readAllBytes(shared.resolve(
			"model.onnx")));
		assertEquals("probabilities", exported.getGraph().getOutput(0).getName());
		final java.util.Map<String, byte[]> zip = new java.util.HashMap<>();
		try (var in = new java.util.zip.ZipInputStream(Files.newInputStream(shared.resolve(
			"model.bioimage.io.zip"))))
		{
			for (java.util.zip.ZipEntry e; (e = in.getNextEntry()) != null;)
				zip.put(e.getName(), in.readAllBytes());
		}
		final java.util.Map<String, Object> rdf = new org.yaml.snakeyaml.Yaml().load(new String(zip.get(
			"rdf.yaml"), java.nio.charset.StandardCharsets.UTF_8));
		assertEquals("Stripes (demo)", rdf.get("name"), rdf.toString());
		assertTrue(rdf.get("authors").toString().contains("name=B. Engineer"), rdf.toString());
		assertTrue(zip.get("cover.png").length > 1000, "a cover: confusion matrix and predictions");
		assertTrue(zip.keySet().containsAll(List.of("model.onnx", "test_input.npy",
			"test_output.npy", "README.md", "deepclass-model.zip")), zip.keySet().toString());
	}

	@Test
	void examplesStopWithUsageWhenArgumentsAreMissing() throws Exception {
		for (final String macro : new String[] { "train_on_folder.ijm",
			"classify_folder_headless.ijm", "classify_rois.ijm", "evaluate_model.ijm",
			"export_model.ijm" })
			assertTrue(!Headless.run(MACROS.resolve(macro), ""), macro + " must not succeed");
	}

	private static MacroHarness.Run run(final String macro, final String argument)
		throws Exception
	{
		final String code = Files.readString(MACROS.resolve(macro));
		final MacroHarness.Run run = MacroHarness.run(code, argument);
		assertTrue(run.completed(), macro + " did not complete:\n" + run.output());
		return run;
	}

	/** An 8-bit TIFF with horizontal stripes left, vertical right, and a ROI on each in its overlay. */
	private Path cellsWithRois() throws IOException {
		final ByteProcessor ip = new ByteProcessor(64, 32);
		for (int y = 0; y < 32; y++)
			for (int x = 0; x < 64; x++)
				ip.set(x, y, (x < 32 ? y : x) % 6 < 3 ? 220 : 40);
		final ImagePlus imp = new ImagePlus("cells", ip);
		final Overlay overlay = new Overlay(new Roi(6, 6, 16, 16));
		overlay.add(new Roi(36, 6, 16, 16));
		imp.setOverlay(overlay);
		final Path file = dir.resolve("cells.tif");
		new FileSaver(imp).saveAsTiff(file.toString());
		return file;
	}
}
