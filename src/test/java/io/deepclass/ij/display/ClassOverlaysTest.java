package io.deepclass.ij.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import ij.ImagePlus;
import ij.gui.OvalRoi;
import ij.gui.Overlay;
import ij.gui.Roi;
import ij.process.ByteProcessor;

import io.deepclass.core.predict.Predictions;

/** Class-coloured ROI overlays: names drawn where they fit, never hiding hundreds of cells. */
class ClassOverlaysTest {

	@Test
	void aFewObjectsAreNamedHundredsOfCellsOnlyOutlined() {
		assertTrue(ClassOverlays.drawsNames(rois(12, 28)), "12 objects: the guide's result picture");
		assertTrue(ClassOverlays.drawsNames(rois(ClassOverlays.LABELLED_ROIS, 28)));
		assertFalse(ClassOverlays.drawsNames(rois(ClassOverlays.LABELLED_ROIS + 1, 28)));
		assertFalse(ClassOverlays.drawsNames(rois(226, 20)), "the nuclei of the README's picture");
	}

	@Test
	void theOverlayKeepsEveryNameAndColourEitherWay() {
		final ImagePlus imp = new ImagePlus("cells", new ByteProcessor(600, 600));
		final Roi[] rois = rois(226, 20);
		final float[][] probabilities = new float[rois.length][];
		final int[] predicted = new int[rois.length];
		for (int i = 0; i < rois.length; i++) {
			predicted[i] = i % 3 == 0 ? 1 : 0;
			probabilities[i] = i % 3 == 0 ? new float[] { 0.2f, 0.8f } : new float[] { 0.9f, 0.1f };
		}
		final Overlay overlay = ClassOverlays.forRois(imp, rois, new Predictions(List.of(
			"epithelial", "stromal"), new String[rois.length], predicted, probabilities));
		assertEquals(226, overlay.size());
		assertFalse(overlay.getDrawNames());
		assertEquals("stromal (80%)", overlay.get(0).getName());
		assertEquals(ClassOverlays.color(1), overlay.get(0).getStrokeColor());
		assertEquals("epithelial (90%)", overlay.get(1).getName());
	}

	private static Roi[] rois(final int n, final int size) {
		final Roi[] rois = new Roi[n];
		for (int i = 0; i < n; i++)
			rois[i] = new OvalRoi(i % 20 * 30, i / 20 * 30, size, size);
		return rois;
	}
}
