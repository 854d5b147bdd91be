package io.deepclass.ij.cells;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ij.ImagePlus;
import ij.gui.Roi;
import ij.io.FileSaver;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.ImageProcessor;
import ij.process.ShortProcessor;

import io.deepclass.core.DeepClassException;
import io.deepclass.core.data.Dataset;
import io.deepclass.core.data.ImageShape;
import io.deepclass.core.data.ImportResult;
import io.deepclass.ij.input.ImageInputs;
import io.deepclass.ij.input.ImageSamples;

/**
 * A folder of cell crops as the panel's image: every crop in its own tile with a ROI exactly its
 * size, labelled by its sub-folder, read back pixel for pixel as the panel's patches.
 */
class CellCropsTest {

	@TempDir
	Path dir;

	/** A crop of {@code w x h} whose pixel (x, y) is {@code base + x + 3 y}. */
	private static ImageProcessor crop(final ImageProcessor ip, final int base) {
		for (int y = 0; y < ip.getHeight(); y++)
			for (int x = 0; x < ip.getWidth(); x++)
				ip.setf(x, y, base + x + 3 * y);
		return ip;
	}

	private static Path save(final Path file, final ImageProcessor ip) throws IOException {
		Files.createDirectories(file.getParent());
		new FileSaver(new ImagePlus(file.getFileName().toString(), ip)).saveAsTiff(file.toString());
		return file;
	}

	@Test
	void cropsSideBySideEachWithItsRoiAndSubFolderLabel() throws IOException {
		save(dir.resolve("a.tif"), crop(new ByteProcessor(7, 5), 10));
		save(dir.resolve("b.tif"), crop(new ByteProcessor(9, 11), 40));
		save(dir.resolve("mitotic/m1.tif"), crop(new ByteProcessor(6, 6), 100));
		save(dir.resolve("interphase/i1.tif"), crop(new ByteProcessor(12, 4), 150));
		save(dir.resolve("interphase/i2.tif"), crop(new ByteProcessor(5, 8), 200));
		Files.writeString(dir.resolve("notes.txt"), "not an image");
		final List<String> log = new ArrayList<>();
		final ImagePlus grid = CellCrops.open(dir, log::add);

		assertEquals("DeepClass cells " + dir.getFileName(), grid.getTitle());
		assertEquals(8, grid.getBitDepth(), "all 8-bit: kept 8-bit");
		final Roi[] rois = grid.getOverlay().toArray();
		assertEquals(5, rois.length, "5 crops; the text file skipped");
		assertEquals(1, log.size(), String.join("\n", log));
		assertTrue(log.get(0).contains("notes.txt"), log.get(0));
		// files directly in the folder first, unlabelled, then each class folder in name order
		assertEquals(List.of("a.tif", "b.tif", "interphase/i1.tif", "interphase/i2.tif",
			"mitotic/m1.tif"), java.util.Arrays.stream(rois).map(Roi::getName).toList());
		assertNull(CellLabels.read(rois[0]));
		assertNull(CellLabels.read(rois[1]));
		assertEquals("interphase", CellLabels.read(rois[2]));
		assertEquals("interphase", CellLabels.read(rois[3]));
		assertEquals("mitotic", CellLabels.read(rois[4]));
		// a 3 x 2 grid of 12 x 11 tiles with 2-pixel gaps
		assertEquals(2 + 3 * (12 + 2), grid.getWidth());
		assertEquals(2 + 2 * (11 + 2), grid.getHeight());
		for (final Roi roi : rois)
			assertEquals(0, grid.getProcessor().getPixel(roi.getBounds().x - 1, roi.getBounds().y),
				"gap left of " + roi.getName());
		assertEquals(new java.awt.Rectangle(2 + 14, 2, 9, 11), rois[1].getBounds());

		// the panel's patches (bounding box) are the crops, pixel for pixel
		final ImportResult patches = ImageInputs.roiPatches(grid, rois, List.of("interphase",
			"mitotic"), 0, new ImageShape(1, 11, 9), new ImageSamples.Options(null, false));
		final Dataset data = patches.dataset();
		assertEquals(5, data.size());
		final float[] b = new float[9 * 11];
		data.images().copyTo(1, b, 0);
		for (int y = 0; y < 11; y++)
			for (int x = 0; x < 9; x++)
				assertEquals(40 + x + 3 * y, b[y * 9 + x], 0, "b at " + x + "," + y);
		assertTrue(Files.exists(dir.resolve("notes.txt")), "nothing in the folder is changed");
	}

	@Test
	void mixedBitDepthsKeepTheirValuesWithAWarning() throws IOException {
		save(dir.resolve("eight.tif"), crop(new ByteProcessor(4, 4), 10));
		save(dir.resolve("sixteen.tif"), crop(new ShortProcessor(4, 4), 3000));
		final List<String> log = new ArrayList<>();
		final ImagePlus grid = CellCrops.open(dir, log::add);
		assertEquals(32, grid.getBitDepth());
		assertEquals(1, log.size());
		assertTrue(log.get(0).startsWith("WARNING: Classify Cells Interactively: the crops have " +
			"mixed bit depths {8=1, 16=1}"), log.get(0));
		final Roi[] rois = grid.getOverlay().toArray();
		assertEquals(3000 + 1 + 3, grid.getProcessor().getf(rois[1].getBounds().x + 1, rois[1]
			.getBounds().y + 1), 0, "a 16-bit value as stored");
	}

	@Test
	void rgbCropsStayRgb() throws IOException {
		final ColorProcessor cp = new ColorProcessor(5, 5);
		cp.setColor(new java.awt.Color(200, 120, 40));
		cp.fill();
		save(dir.resolve("c1.tif"), cp);
		save(dir.resolve("c2.tif"), cp.duplicate());
		final ImagePlus grid = CellCrops.open(dir, line -> {});
		assertEquals(24, grid.getBitDepth());
		final Roi roi = grid.getOverlay().get(1);
		assertEquals(new java.awt.Color(200, 120, 40).getRGB() & 0xffffff, grid.getProcessor()
			.getPixel(roi.getBounds().x, roi.getBounds().y) & 0xffffff);
	}

	@Test
	void whatIsNotAFolderOfCropsIsRefusedWithTheFix() throws IOException {
		final DeepClassException empty = assertThrows(DeepClassException.class, () -> CellCrops.open(
			dir, line -> {}));
		assertTrue(empty.getMessage().contains("holds no cell crops"), empty.getMessage());

		save(dir.resolve("cell.tif"), new ByteProcessor(10, 10));
		save(dir.resolve("slide.tif"), new ByteProcessor(CellCrops.MAX_CROP + 1, 20));
		final DeepClassException large = assertThrows(DeepClassException.class, () -> CellCrops.open(
			dir, line -> {}));
		assertTrue(large.getMessage().contains("slide.tif' is 513x20 pixels") && large.getMessage()
			.contains("open it with its cell ROIs"), large.getMessage());

		Files.delete(dir.resolve("slide.tif"));
		save(dir.resolve("two.tif"), new ColorProcessor(10, 10));
		final DeepClassException channels = assertThrows(DeepClassException.class, () -> CellCrops
			.open(dir, line -> {}));
		assertTrue(channels.getMessage().contains("must have the same channels"), channels
			.getMessage());

		final Path broken = Files.createDirectories(dir.resolveSibling(dir.getFileName() + "-broken"));
		Files.writeString(broken.resolve("x.tif"), "II*\0 broken");
		final DeepClassException none = assertThrows(DeepClassException.class, () -> CellCrops.open(
			broken, line -> {}));
		assertTrue(none.getMessage().contains("no crop in"), none.getMessage());
	}
}
