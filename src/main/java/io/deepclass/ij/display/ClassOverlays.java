package io.deepclass.ij.display;

import java.awt.Color;
import java.awt.Font;
import java.util.List;

import ij.ImagePlus;
import ij.gui.Overlay;
import ij.gui.Roi;
import ij.gui.TextRoi;
import ij.process.ColorProcessor;

import io.deepclass.core.predict.Predictions;

/** Class colours, overlays of predictions on images, and a colour legend. */
public final class ClassOverlays {

	/** Distinct colours (Okabe-Ito, then a few more), cycled for more classes. */
	private static final Color[] PALETTE = { new Color(230, 159, 0), new Color(86, 180, 233),
		new Color(0, 158, 115), new Color(240, 228, 66), new Color(0, 114, 178), new Color(213, 94,
			0), new Color(204, 121, 167), new Color(255, 255, 255), new Color(153, 153, 255),
		new Color(255, 102, 102), new Color(102, 255, 178), new Color(178, 102, 255) };

	private ClassOverlays() {}

	public static Color color(final int classIndex) {
		return PALETTE[classIndex % PALETTE.length];
	}

	/**
	 * Above this many ROIs the names are not drawn: hundreds of "class (99%)" on small cells hide
	 * the cells. The outline colour and the legend still say the class, each ROI keeps its name
	 * (Image > Overlay > Labels draws them), and the results table holds every figure.
	 */
	static final int LABELLED_ROIS = 100;

	/**
	 * Outlines each ROI in its predicted class's colour, named "class (confidence %)", and
	 * replaces the image's overlay with them; the names are drawn up to {@link #LABELLED_ROIS} ROIs.
	 */
	public static Overlay forRois(final ImagePlus imp, final Roi[] rois, final Predictions p) {
		final Overlay overlay = new Overlay();
		for (int i = 0; i < p.size(); i++) {
			final Roi roi = (Roi) rois[i].clone();
			roi.setStrokeColor(color(p.predicted()[i]));
			roi.setStrokeWidth(Math.max(1, imp.getWidth() / 256.0));
			roi.setName(label(p, i));
			overlay.add(roi);
		}
		final boolean names = drawsNames(rois);
		overlay.drawLabels(names);
		overlay.drawNames(names);
		overlay.setLabelColor(Color.white);
		imp.setOverlay(overlay);
		return overlay;
	}

	/** Whether the ROIs' names are drawn: not on more than {@link #LABELLED_ROIS} ROIs. */
	static boolean drawsNames(final Roi[] rois) {
		return rois.length <= LABELLED_ROIS;
	}

	/**
	 * Writes "class (confidence %)" on each classified slice, in the class colour. On small
	 * images (a 28x28 patch) the text keeps its screen size at any zoom, else it would not fit.
	 */
	public static Overlay forSlices(final ImagePlus imp, final int[] slices, final Predictions p) {
		final Overlay overlay = new Overlay();
		final boolean small = imp.getWidth() < 12 * 12;
		final int size = small ? 12 : imp.getWidth() / 12;
		final Font font = new Font(Font.SANS_SERIF, Font.BOLD, size);
		for (int i = 0; i < p.size(); i++) {
			final TextRoi text = new TextRoi(1, 1, label(p, i), font);
			text.setStrokeColor(color(p.predicted()[i]));
			text.setAntialiased(true);
			text.setNonScalable(small);
			text.setName(p.predictedClass(i));
			if (imp.getStackSize() > 1) text.setPosition(slices[i]);
			overlay.add(text);
		}
		imp.setOverlay(overlay);
		return overlay;
	}

	private static String label(final Predictions p, final int i) {
		return p.predictedClass(i) + " (" + Math.round(100 * p.confidence(i)) + "%)";
	}

	/** An RGB image listing each class name next to a square of its colour. */
	public static ImagePlus legend(final List<String> classNames) {
		final int row = 22;
		int width = 160;
		for (final String name : classNames)
			width = Math.max(width, 40 + 9 * name.length());
		final ColorProcessor cp = new ColorProcessor(width, row * classNames.size() + 8);
		cp.setColor(Color.black);
		cp.fill();
		cp.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
		cp.setAntialiasedText(true);
		for (int c = 0; c < classNames.size(); c++) {
			cp.setColor(color(c));
			cp.fillRect(6, 6 + c * row, 16, 16);
			cp.setColor(Color.white);
			cp.drawString(classNames.get(c), 30, 21 + c * row);
		}
		return new ImagePlus("DeepClass Legend", cp);
	}
}
