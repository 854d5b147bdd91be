package io.deepclass.ij.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ij.measure.ResultsTable;
import io.deepclass.ij.display.ResultTables;

/**
 * Import Dataset's sources other than a folder, through macro strings as README shows them:
 * the ROIs of the open image (class from each ROI's name, or from its group) and IDX files.
 */
class ImportDatasetSourcesMacroTest {

	@TempDir
	Path dir;

	/**
	 * A 64x32 image, left half 200, right half 20, with two 8x8 ROIs on each half; each slice of
	 * the dataset is the patch of one ROI, so its mean tells which ROI it came from.
	 */
	private static String imageWithRois(final String bright, final String dark) {
		return "setBatchMode(true);\n" +
			"newImage(\"cells\", \"8-bit black\", 64, 32, 1);\n" +
			"setColor(200); fillRect(0, 0, 32, 32); setColor(20); fillRect(32, 0, 32, 32);\n" +
			"makeRectangle(2, 2, 8, 8); " + bright + " Overlay.addSelection;\n" +
			"makeRectangle(40, 4, 8, 8); " + dark + " Overlay.addSelection;\n" +
			"makeRectangle(12, 20, 8, 8); " + bright + " Overlay.addSelection;\n" +
			"makeRectangle(50, 18, 8, 8); " + dark + " Overlay.addSelection; Roi.remove;\n";
	}

	private static final String LIST_SLICES = "print(\"slices=\" + nSlices + \" size=\" + " +
		"getWidth() + \"x\" + getHeight());\n" +
		"for (i = 1; i <= nSlices; i++) { setSlice(i); getStatistics(area, mean);\n" +
		"  print(\"slice \" + getInfo(\"slice.label\") + \" mean=\" + mean); }\n";

	/** Each line "slice <class>/<source> mean=<m>": the ROI's class and its patch's mean. */
	private static void assertBrightAndDarkPatches(final MacroHarness.Run run, final String bright,
		final String dark)
	{
		assertTrue(run.completed(), run.output());
		assertTrue(run.output().contains("slices=4 size=8x8"), run.output());
		int brightSlices = 0, darkSlices = 0;
		for (final String line : run.output().lines().filter(l -> l.startsWith("slice ")).toList()) {
			final double mean = Double.parseDouble(line.substring(line.indexOf("mean=") + 5));
			if (line.startsWith("slice " + bright + "/")) {
				assertEquals(200, mean, 1e-6, line);
				brightSlices++;
			}
			else if (line.startsWith("slice " + dark + "/")) {
				assertEquals(20, mean, 1e-6, line);
				darkSlices++;
			}
			else throw new AssertionError("a slice of neither class: " + line);
		}
		assertEquals(2, brightSlices, run.output());
		assertEquals(2, darkSlices, run.output());
		final ResultsTable report = MacroHarness.table(ResultTables.IMPORT_REPORT);
		assertEquals(List.of(bright, dark), List.of(report.getStringValue("name", 0), report
			.getStringValue("name", 1)));
		assertEquals(2, (int) report.getValue("images", 0));
		assertEquals(2, (int) report.getValue("images", 1));
	}

	@Test
	void roisGiveOnePatchPerRoiClassedByName() {
		final MacroHarness.Run run = MacroHarness.run(imageWithRois("Roi.setName(\"bright\");",
			"Roi.setName(\"dark\");") + "run(\"Import Dataset\", \"source=rois roi_class=name " +
				"patch_size=0 width=8 height=8 channels=gray\");\n" + LIST_SLICES);
		assertBrightAndDarkPatches(run, "bright", "dark");
	}

	@Test
	void roisGiveOnePatchPerRoiClassedByGroup() {
		// names that would give other classes: the group decides
		final MacroHarness.Run run = MacroHarness.run("names = Roi.getGroupNames;\n" +
			"Roi.setGroupNames(\"shiny,dim\");\n" + imageWithRois(
				"Roi.setName(\"dim\"); Roi.setGroup(1);", "Roi.setName(\"shiny\"); Roi.setGroup(2);") +
			"run(\"Import Dataset\", \"source=rois roi_class=group patch_size=0 width=8 height=8 " +
			"channels=gray\");\n" + LIST_SLICES + "Roi.setGroupNames(names);");
		assertBrightAndDarkPatches(run, "shiny", "dim");
	}

	/** IDX: big-endian int32 magic and sizes, then unsigned bytes. */
	private static Path idx(final Path file, final int magic, final int[] dims, final byte[] data)
		throws IOException
	{
		try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(file))) {
			out.writeInt(magic);
			for (final int d : dims)
				out.writeInt(d);
			out.write(data);
		}
		return file;
	}

	@Test
	void idxFilesImportAtTheirOwnSizeWithTheNamedClasses() throws IOException {
		// 6 images of 4x3 pixels, image i filled with 40 * i + 10, labels 2 1 0 2 1 0
		final byte[] pixels = new byte[6 * 12], labels = { 2, 1, 0, 2, 1, 0 };
		for (int i = 0; i < 6; i++)
			java.util.Arrays.fill(pixels, i * 12, (i + 1) * 12, (byte) (40 * i + 10));
		final Path images = idx(dir.resolve("tiny-images-idx3-ubyte"), 0x803, new int[] { 6, 3, 4 },
			pixels);
		final Path labelFile = idx(dir.resolve("tiny-labels-idx1-ubyte"), 0x801, new int[] { 6 },
			labels);
		final MacroHarness.Run run = MacroHarness.run("setBatchMode(true);\n" +
			"run(\"Import Dataset\", \"source=idx idx_images=[" + images + "] idx_labels=[" + labelFile +
			"] idx_classes=[ant, bee, cat]\");\n" + LIST_SLICES.replace("getStatistics(area, mean);",
				"getStatistics(area, mean);"));
		assertTrue(run.completed(), run.output());
		assertTrue(run.output().contains("slices=6 size=4x3"), run.output());
		final List<String> slices = run.output().lines().filter(l -> l.startsWith("slice ")).toList();
		final List<String> classes = List.of("ant", "bee", "cat");
		for (int i = 0; i < 6; i++) {
			assertTrue(slices.get(i).startsWith("slice " + classes.get(labels[i]) + "/"), slices.get(i));
			assertTrue(slices.get(i).endsWith(" mean=" + (40 * i + 10)), slices.get(i));
		}
		final ResultsTable report = MacroHarness.table(ResultTables.IMPORT_REPORT);
		for (int c = 0; c < 3; c++) {
			assertEquals(classes.get(c), report.getStringValue("name", c));
			assertEquals(2, (int) report.getValue("images", c));
		}

		final MacroHarness.Run resized = MacroHarness.run("setBatchMode(true);\n" +
			"run(\"Import Dataset\", \"source=idx idx_images=[" + images + "] idx_labels=[" + labelFile +
			"] width=8 height=8\");\nprint(\"AFTER\");");
		assertFalse(resized.completed());
		assertTrue(resized.output().contains("IDX images are imported at their own size"), resized
			.output());
		final MacroHarness.Run swapped = MacroHarness.run("setBatchMode(true);\n" +
			"run(\"Import Dataset\", \"source=idx idx_images=[" + labelFile + "] idx_labels=[" + images +
			"]\");");
		assertFalse(swapped.completed());
		assertTrue(swapped.output().contains("is not an IDX images file"), swapped.output());
	}
}
