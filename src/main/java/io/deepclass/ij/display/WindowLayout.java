package io.deepclass.ij.display;

import java.awt.Dimension;
import java.awt.GraphicsEnvironment;
import java.awt.Rectangle;
import java.awt.Window;
import java.util.List;

import ij.IJ;
import ij.ImageJ;
import ij.ImagePlus;
import ij.gui.ImageWindow;
import ij.plugin.Zoom;

/**
 * Where the windows a command opens go: small images (a 28 x 28 saliency map, 3 x 3 kernels)
 * are magnified to a readable size, and the windows are laid side by side within the screen, to
 * the right of the image the command worked on, rather than stacked on top of each other.
 */
public final class WindowLayout {

	/** Images whose longer side is below this are magnified, to at least this size. */
	static final int READABLE = 256;

	/** ImageJ's own zoom levels above 100 %. */
	private static final double[] LEVELS = { 2, 3, 4, 6, 8, 12, 16, 24, 32 };

	private WindowLayout() {}

	/** The magnification that makes a {@code size}-pixel image at least {@link #READABLE}. */
	static double magnificationFor(final int size) {
		if (size >= READABLE) return 1;
		for (final double level : LEVELS)
			if (size * level >= READABLE) return level;
		return LEVELS[LEVELS.length - 1];
	}

	/**
	 * Magnifies each shown image that is small (and {@code next}, the image the command worked
	 * on), then lays the windows out beside {@code beside} (the window in front before the
	 * command's outputs were shown, such as the training plot), or else beside {@code next}'s.
	 */
	public static void arrange(final ImagePlus next, final Window beside, final List<ImagePlus> images,
		final List<Window> others)
	{
		if (GraphicsEnvironment.isHeadless()) return;
		final java.util.List<ImagePlus> magnified = new java.util.ArrayList<>(images);
		if (next != null) magnified.add(next); // the overlay a command drew on a 28 x 28 image
		for (final ImagePlus imp : magnified)
			if (imp.getWindow() != null && imp.getCanvas() != null && imp.getCanvas()
				.getMagnification() == 1) {
				final double m = magnificationFor(Math.max(imp.getWidth(), imp.getHeight()));
				if (m > 1) Zoom.set(imp, m);
			}
		final Rectangle screen = GraphicsEnvironment.getLocalGraphicsEnvironment()
			.getMaximumWindowBounds();
		final ImageJ bar = IJ.getInstance();
		final int top = bar != null && bar.isShowing() ? Math.max(screen.y, bar.getY() + bar
			.getHeight()) : screen.y;
		final ImageWindow input = next != null ? next.getWindow() : null;
		final Window first = beside instanceof ImageWindow && beside.isShowing() ? beside : input;
		int x = first != null && first.getX() + first.getWidth() < screen.x + screen.width * 3 / 4
			? first.getX() + first.getWidth() : screen.x;
		int y = first != null ? Math.max(top, first.getY()) : top;
		// the next row starts below the window the outputs were placed beside
		int rowHeight = first != null && x > screen.x ? first.getHeight() : 0;
		final java.util.List<Window> windows = new java.util.ArrayList<>();
		for (final ImagePlus imp : images)
			if (imp.getWindow() != null) windows.add(imp.getWindow());
		windows.addAll(others);
		for (final Window w : windows) {
			final Dimension size = w.getSize();
			if (x > screen.x && x + size.width > screen.x + screen.width) { // next row
				x = screen.x;
				y += rowHeight;
				rowHeight = 0;
			}
			if (y + Math.min(size.height, 200) > screen.y + screen.height) y = top; // wrap around
			w.setLocation(x, y);
			x += size.width;
			rowHeight = Math.max(rowHeight, size.height);
		}
	}
}
