package io.deepclass.ij.cells;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.Roi;
import ij.io.FileSaver;
import ij.process.ByteProcessor;

import io.deepclass.core.data.Dataset;
import io.deepclass.core.data.DecodedImage;
import io.deepclass.core.data.ImageShape;
import io.deepclass.core.data.ImportResult;
import io.deepclass.ij.input.ImageInputs;
import io.deepclass.ij.input.ImageSamples;

/**
 * Where a cell's patch comes from in a stack or hyperstack, as the panel takes it
 * ({@link ImageInputs#roiPatches}) and as the folder import does ({@link LabelledCells}): the
 * plane of the ROI's position (a stack slice; a hyperstack's Z and T, or a stack index converted to
 * them), every channel whatever the ROI's C; a ROI without position takes the current plane, the
 * first when the image was just opened. Every plane holds one value that says where it is.
 */
class CellPatchPositionTest {

	@TempDir
	Path dir;

	/** A plane's value: 100 c + 10 z + t (a plain stack's slice s: 10 s). */
	private static ImagePlus hyperstack() {
		final ImageStack stack = new ImageStack(20, 20);
		for (int t = 1; t <= 2; t++)
			for (int z = 1; z <= 3; z++)
				for (int c = 1; c <= 2; c++) {
					final ByteProcessor ip = new ByteProcessor(20, 20);
					ip.setValue(100 * c + 10 * z + t);
					ip.fill();
					stack.addSlice(ip);
				}
		final ImagePlus imp = new ImagePlus("hyper", stack);
		imp.setDimensions(2, 3, 2);
		imp.setOpenAsHyperStack(true);
		return imp;
	}

	private static ImagePlus stack() {
		final ImageStack stack = new ImageStack(20, 20);
		for (int s = 1; s <= 4; s++) {
			final ByteProcessor ip = new ByteProcessor(20, 20);
			ip.setValue(10 * s);
			ip.fill();
			stack.addSlice(ip);
		}
		return new ImagePlus("stack", stack);
	}

	private static float[] channelValues(final ImagePlus imp, final Roi roi) {
		final DecodedImage patch = ImageInputs.patch(imp, roi, 0, ImageSamples.Options.ALL);
		final float[] values = new float[patch.channels()];
		for (int c = 0; c < values.length; c++)
			values[c] = patch.pixels()[c * patch.width() * patch.height()];
		return values;
	}

	@Test
	void aRoiOnAStackSliceTakesThatSliceAndOneWithoutTheCurrentSlice() {
		final ImagePlus imp = stack();
		final Roi placed = new Roi(2, 2, 8, 8);
		placed.setPosition(3);
		final Roi unplaced = new Roi(2, 2, 8, 8);
		imp.setSlice(2);
		assertEquals(30, channelValues(imp, placed)[0]);
		assertEquals(20, channelValues(imp, unplaced)[0]);
		assertFalse(ImageInputs.unplaced(imp, placed));
		assertTrue(ImageInputs.unplaced(imp, unplaced));
	}

	@Test
	void aRoiOnAHyperstackTakesItsZAndTWithEveryChannel() {
		final ImagePlus imp = hyperstack();
		final Roi czt = new Roi(2, 2, 8, 8);
		czt.setPosition(2, 3, 2);
		assertArrayEquals(new float[] { 132, 232 }, channelValues(imp, czt), "C is ignored");
		// a plain stack position on a hyperstack: index 9 is c 1, z 2, t 2
		final Roi indexed = new Roi(2, 2, 8, 8);
		indexed.setPosition(9);
		assertArrayEquals(new float[] { 122, 222 }, channelValues(imp, indexed));
		// Z fixed, T not: T is the current frame
		final Roi zOnly = new Roi(2, 2, 8, 8);
		zOnly.setPosition(0, 1, 0);
		imp.setPosition(1, 3, 2);
		assertArrayEquals(new float[] { 112, 212 }, channelValues(imp, zOnly));
		assertArrayEquals(new float[] { 132, 232 }, channelValues(imp, new Roi(2, 2, 8, 8)),
			"no position: the current plane");
	}

	@Test
	void thePanelsPatchesComeFromEachRoisPlane() {
		final ImagePlus imp = hyperstack();
		final Roi a = new Roi(0, 0, 10, 10), b = new Roi(10, 10, 10, 10);
		a.setPosition(1, 2, 1);
		b.setPosition(1, 1, 2);
		final ImportResult patches = ImageInputs.roiPatches(imp, new Roi[] { a, b }, List.of("x",
			"y"), 8, new ImageShape(2, 8, 8), new ImageSamples.Options(null, false));
		final Dataset d = patches.dataset();
		assertEquals(2, d.size());
		assertEquals(121, d.image(0)[0]);
		assertEquals(221, d.image(0)[64]);
		assertEquals(112, d.image(1)[0]);
		assertEquals(212, d.image(1)[64]);
	}

	@Test
	void theFolderImportTakesTheSamePlanesFromTheSavedFilesAndTheFirstForUnplacedRois()
		throws Exception
	{
		final ImagePlus imp = hyperstack();
		final Roi[] rois = new Roi[4];
		for (int i = 0; i < rois.length; i++)
			rois[i] = new Roi(2, 2, 8, 8);
		rois[0].setPosition(2, 3, 1);
		rois[1].setPosition(1, 2, 2);
		rois[2].setPosition(1, 1, 2);
		CellLabels.write(rois[0], 0, "a");
		CellLabels.write(rois[1], 1, "b");
		CellLabels.write(rois[2], 0, "a");
		CellLabels.write(rois[3], 1, "b");
		imp.setPosition(1, 2, 2); // where the user looked; not saved with the file
		new FileSaver(imp).saveAsTiff(dir.resolve("h.tif").toString());
		RoiSets.write(rois, dir.resolve("h.zip"));
		final ImportResult result = LabelledCells.read(dir, true, "", 0, null, ImageSamples.Options
			.ALL);
		final Dataset d = result.dataset();
		assertEquals(4, d.size());
		final float[] first = new float[4];
		for (int i = 0; i < 4; i++)
			first[i] = d.image(i)[0];
		assertArrayEquals(new float[] { 131, 122, 112, 111 }, first, "the last has no position");
		assertTrue(result.report().warnings().stream().anyMatch(w -> w.startsWith("1 labelled ROIs " +
			"on stacks have no position")), result.report().warnings().toString());
		assertTrue(Files.isRegularFile(dir.resolve("h.zip")));
		assertEquals(4, RoiSets.read(dir.resolve("h.zip")).length);
	}

	private static void assertArrayEquals(final float[] expected, final float[] actual) {
		assertArrayEquals(expected, actual, "");
	}

	private static void assertArrayEquals(final float[] expected, final float[] actual,
		final String message)
	{
		org.junit.jupiter.api.Assertions.assertArrayEquals(expected, actual, 0f, message);
	}
}
