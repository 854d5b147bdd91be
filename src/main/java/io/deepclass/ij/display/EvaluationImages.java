package io.deepclass.ij.display;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import ij.ImagePlus;
import ij.io.FileSaver;
import ij.process.ColorProcessor;
import ij.process.ImageProcessor;

import io.deepclass.core.data.Dataset;
import io.deepclass.core.predict.EvaluationReport;
import io.deepclass.core.predict.Predictions;
import io.deepclass.ij.input.DatasetStacks;

/** Pictures of an evaluation: the confusion matrix as a heat map and a montage of predictions. */
public final class EvaluationImages {

	private EvaluationImages() {}

	/**
	 * The confusion matrix as a heat map: a title with the accuracy, rows the actual classes,
	 * columns the predicted ones (both axes named), each cell shaded by the fraction of its row
	 * and labelled with its count, and a colour bar saying what the shades mean.
	 */
	public static ImagePlus confusionHeatMap(final EvaluationReport r) {
		final int k = r.classNames().size();
		final int cell = 48, head = 44, axis = 20, foot = 52;
		int margin = 60;
		for (final String name : r.classNames())
			margin = Math.max(margin, 8 * name.length() + 16);
		final int left = axis + margin, top = head + margin;
		int total = 0;
		for (final int[] row : r.confusion())
			for (final int n : row)
				total += n;
		final String title = String.format(Locale.ROOT, "Confusion matrix: accuracy %.1f %% of %d", 100 *
			r.accuracy(), total);
		final String footer = "rows: actual class, columns: predicted; numbers: images";
		final int barW = 160;
		final ColorProcessor measure = new ColorProcessor(1, 1);
		measure.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
		int width = Math.max(left + k * cell + 10, measure.getStringWidth(title) + 12);
		measure.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
		width = Math.max(width, left + barW + measure.getStringWidth("100 % of the row") + 12);
		width = Math.max(width, measure.getStringWidth(footer) + 12);
		final ColorProcessor cp = new ColorProcessor(width, top + k * cell + foot);
		cp.setColor(Color.white);
		cp.fill();
		cp.setAntialiasedText(true);
		cp.setColor(Color.black);
		cp.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
		cp.drawString(title, 4, 18);
		cp.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
		final String predicted = "predicted class";
		cp.drawString(predicted, left + (k * cell - cp.getStringWidth(predicted)) / 2, head - 4);
		final ImageProcessor actual = text("actual class", k * cell, true).rotateLeft();
		cp.insert(actual, 2, top);
		cp.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
		for (int a = 0; a < k; a++) {
			int rowTotal = 0;
			for (final int n : r.confusion()[a])
				rowTotal += n;
			for (int p = 0; p < k; p++) {
				final double fraction = rowTotal == 0 ? 0 : (double) r.confusion()[a][p] / rowTotal;
				cp.setColor(shade(fraction));
				final int x = left + p * cell, y = top + a * cell;
				cp.fillRect(x, y, cell - 1, cell - 1);
				cp.setColor(fraction > 0.5 ? Color.white : Color.black);
				final String count = Integer.toString(r.confusion()[a][p]);
				cp.drawString(count, x + (cell - cp.getStringWidth(count)) / 2, y + cell / 2 + 6);
			}
			cp.setColor(Color.black);
			cp.drawString(r.classNames().get(a), axis + 2, top + a * cell + cell / 2 + 6);
		}
		for (int p = 0; p < k; p++)
			cp.insert(text(r.classNames().get(p), margin - 4, false).rotateLeft(), left + p * cell +
				cell / 2 - 8, head);
		// the colour bar: what a cell's shade means
		final int barY = top + k * cell + 12;
		for (int i = 0; i < barW; i++) {
			cp.setColor(shade(i / (double) (barW - 1)));
			cp.drawLine(left + i, barY, left + i, barY + 12);
		}
		cp.setColor(Color.black);
		cp.drawRect(left, barY, barW, 13);
		cp.drawString("0", left - 10, barY + 12);
		cp.drawString("100 % of the row", left + barW + 4, barY + 12);
		cp.drawString(footer, 4, barY + 32);
		return new ImagePlus("DeepClass Confusion Matrix", cp);
	}

	/** White for 0, full blue for 1. */
	private static Color shade(final double fraction) {
		final int shade = (int) Math.round(255 * (1 - fraction));
		return new Color(shade, shade, 255);
	}

	/** One line of black text on white, {@code width} wide (bold for axis names). */
	private static ImageProcessor text(final String line, final int width, final boolean bold) {
		final ImageProcessor label = new ColorProcessor(Math.max(1, width), 16);
		label.setColor(Color.white);
		label.fill();
		label.setColor(Color.black);
		label.setFont(new Font(Font.SANS_SERIF, bold ? Font.BOLD : Font.PLAIN, 12));
		label.setAntialiasedText(true);
		label.drawString(line, bold ? (width - label.getStringWidth(line)) / 2 : 2, 14);
		return label;
	}

	/**
	 * A grid of up to {@code count} images spread evenly over the dataset (so a folder sorted by
	 * class shows every class), each framed green when predicted right and red when wrong, with
	 * the predicted class written under it and, when wrong, the true class under that.
	 */
	public static ImagePlus predictionMontage(final Dataset images, final Predictions p,
		final int count)
	{
		final int n = Math.min(count, p.size());
		final int columns = (int) Math.ceil(Math.sqrt(n));
		final int rows = (n + columns - 1) / columns;
		final int zoom = Math.max(1, 96 / Math.max(images.shape().width(), images.shape().height()));
		final int w = images.shape().width() * zoom, h = images.shape().height() * zoom;
		final int tileW = w + 8, tileH = h + 38;
		final int legend = 36;
		final ColorProcessor montage = new ColorProcessor(Math.max(columns * tileW, 300), legend +
			rows * tileH);
		montage.setColor(Color.black);
		montage.fill();
		montage.setAntialiasedText(true);
		montage.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
		montage.setColor(Color.white);
		montage.drawString("Sample predictions (" + n + " of " + p.size() + ")", 4, 15);
		montage.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
		montage.setColor(new Color(0, 200, 0));
		montage.drawString("green frame: right", 4, 31);
		montage.setColor(Color.red);
		montage.drawString("red frame: wrong (true class below)", 4 + montage.getStringWidth(
			"green frame: right") + 12, 31);
		for (int k = 0; k < n; k++) {
			final int i = (int) ((long) k * p.size() / n);
			final int x = (k % columns) * tileW, y = legend + (k / columns) * tileH;
			final boolean right = images.label(i) >= 0 && images.classNames().get(images.label(i))
				.equals(p.predictedClass(i));
			montage.setColor(images.label(i) < 0 ? Color.gray : right ? new Color(0, 200, 0) : Color.red);
			montage.fillRect(x, y, w + 8, h + 8);
			final ImageProcessor tile = DatasetStacks.display(images, i).resize(w, h, false);
			montage.insert(tile, x + 4, y + 4);
			montage.setColor(Color.white);
			montage.drawString(p.predictedClass(i), x + 2, y + h + 22);
			if (images.label(i) >= 0 && !right) {
				montage.setColor(new Color(255, 110, 110));
				montage.drawString("true: " + images.classNames().get(images.label(i)), x + 2, y + h +
					35);
			}
		}
		return new ImagePlus("DeepClass Sample Predictions", montage);
	}

	/** Images side by side on white, centred vertically (a cover: the heat map and a montage). */
	public static ImagePlus sideBySide(final ImagePlus... parts) {
		int width = 0, height = 0;
		for (final ImagePlus p : parts)
			if (p != null) {
				width += p.getWidth();
				height = Math.max(height, p.getHeight());
			}
		final ColorProcessor cp = new ColorProcessor(width, height);
		cp.setColor(Color.white);
		cp.fill();
		int x = 0;
		for (final ImagePlus p : parts)
			if (p != null) {
				cp.insert(p.getProcessor().convertToRGB(), x, (height - p.getHeight()) / 2);
				x += p.getWidth();
			}
		return new ImagePlus("DeepClass Cover", cp);
	}

	/** The image as PNG bytes. */
	public static byte[] png(final ImagePlus image) throws IOException {
		final Path file = Files.createTempFile("deepclass", ".png");
		try {
			if (!new FileSaver(image).saveAsPng(file.toString()))
				throw new IOException("'" + image.getTitle() + "' could not be written as PNG");
			return Files.readAllBytes(file);
		}
		finally {
			Files.deleteIfExists(file);
		}
	}
}
