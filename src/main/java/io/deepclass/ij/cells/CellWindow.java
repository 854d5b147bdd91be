package io.deepclass.ij.cells;

import java.awt.GraphicsEnvironment;
import java.util.List;

import javax.swing.SwingUtilities;

import ij.IJ;
import ij.ImagePlus;
import ij.gui.Roi;
import ij.plugin.frame.RoiManager;

import io.deepclass.core.DeepClassException;
import io.deepclass.core.cells.CellModel;
import io.deepclass.ij.display.WindowLayout;
import io.deepclass.ij.input.ImageInputs;

/**
 * Opens the interactive loop on an image: its ROIs (moved into the ROI Manager when they are
 * only in the overlay, so that the labels written on them are saved with the ROI set), every
 * cell's input computed with a progress bar (Esc stops), then the {@link CellPanel}.
 */
public final class CellWindow {

	private CellWindow() {}

	/** The panel, or null when Esc stopped the features. */
	public static CellPanel open(final ImagePlus imp, final CellModel model, final int[] channels,
		final int patchSize, final List<String> classes, final long seed)
	{
		if (GraphicsEnvironment.isHeadless()) throw new DeepClassException("it is a window and " +
			"needs a display; in a macro, train with Import Dataset (source=rois) and Train " +
			"Classifier, and apply with Classify Images (input=rois or folder).");
		final Roi[] rois = managedRois(imp);
		IJ.resetEscape();
		final int n = rois.length;
		final CellSession session;
		try {
			session = CellSession.open(imp, rois, model, channels, patchSize, classes, seed, done -> {
				IJ.showProgress(done, n);
				IJ.showStatus("DeepClass: features of " + done + " of " + n + " cells (Esc stops)");
			}, IJ::escapePressed);
		}
		finally {
			IJ.showProgress(1.0);
		}
		if (session == null) {
			IJ.showStatus("DeepClass: stopped (Esc)");
			return null;
		}
		IJ.showStatus("DeepClass: " + n + " cells ready");
		final CellPanel[] panel = new CellPanel[1];
		try {
			SwingUtilities.invokeAndWait(() -> {
				panel[0] = new CellPanel(session, RoiManager.getInstance(), model.describe());
				// beside the image, not over it (a small image is magnified first)
				WindowLayout.arrange(imp, null, List.of(), List.of(panel[0]));
				panel[0].setVisible(true);
			});
		}
		catch (final InterruptedException e) {
			Thread.currentThread().interrupt();
		}
		catch (final java.lang.reflect.InvocationTargetException e) {
			throw new IllegalStateException(e.getCause());
		}
		return panel[0];
	}

	/** The ROI Manager's ROIs; an overlay's area ROIs are added to the ROI Manager first. */
	static Roi[] managedRois(final ImagePlus imp) {
		final RoiManager existing = RoiManager.getInstance();
		if (existing != null && existing.getCount() > 0) return existing.getRoisAsArray();
		final Roi[] fromOverlay = ImageInputs.rois(imp);
		final RoiManager manager = existing != null ? existing : new RoiManager();
		for (final Roi roi : fromOverlay)
			manager.addRoi(roi);
		return manager.getRoisAsArray();
	}
}
