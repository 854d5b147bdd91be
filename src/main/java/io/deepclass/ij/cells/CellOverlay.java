package io.deepclass.ij.cells;

import java.awt.Color;
import java.util.List;

import ij.ImagePlus;
import ij.gui.Overlay;
import ij.gui.Roi;

import io.deepclass.core.cells.CellRound;

/**
 * Every cell drawn by what the head predicts: outline in the predicted class's colour, filled
 * with that colour as opaque as the head is confident (a faint fill: unsure), and a thick
 * outline on the cells a person labelled. Before the first training, labelled cells in their
 * class colour and the others in gray. The ROIs are cloned: the ROIs in the ROI Manager, which
 * hold the labels, are not recoloured.
 */
public final class CellOverlay {

	/** Fill opacity at confidence 1 (of 255); at the chance level the fill vanishes. */
	static final int MAX_FILL = 110;

	private CellOverlay() {}

	/**
	 * @param labels each cell's labelled class, -1 for none
	 * @param round the last retrain's predictions, or null before the first
	 * @param colors the colour of each class
	 */
	public static Overlay draw(final ImagePlus imp, final Roi[] rois, final int[] labels,
		final CellRound round, final List<Color> colors)
	{
		final Overlay overlay = new Overlay();
		final double width = Math.max(1, imp.getWidth() / 512.0);
		for (int i = 0; i < rois.length; i++) {
			final int shown = round != null ? round.predicted()[i] : labels[i];
			final Color color = shown >= 0 && shown < colors.size() ? colors.get(shown) : Color.GRAY;
			if (round != null) {
				final int k = round.classNames().size();
				// confidence from 1/k (a guess) to 1, as fill opacity from 0 to MAX_FILL
				final double sure = Math.max(0, (round.confidence()[i] - 1.0 / k) / (1 - 1.0 / k));
				final int alpha = (int) Math.round(MAX_FILL * sure);
				if (alpha > 0) {
					// a filled ROI draws no outline: the fill is a second, unselectable copy
					final Roi fill = (Roi) rois[i].clone();
					fill.setFillColor(new Color(color.getRed(), color.getGreen(), color.getBlue(), alpha));
					overlay.add(fill);
				}
			}
			final Roi cell = (Roi) rois[i].clone();
			cell.setStrokeColor(color);
			cell.setStrokeWidth(labels[i] >= 0 ? 3 * width : width);
			overlay.add(cell);
		}
		overlay.drawLabels(false);
		overlay.selectable(false);
		imp.setOverlay(overlay);
		return overlay;
	}
}
