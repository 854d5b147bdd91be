package io.deepclass.core.inspect;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.deepclass.core.DeepClassException;

/**
 * The convolution the tutorials demonstrate before any training: a fixed 3x3 (or 5x5) kernel
 * slid over an image. Like PyTorch's {@code conv2d} this is a cross-correlation (the kernel is not
 * flipped); unlike it, the output keeps the image's size: outside the image the nearest edge
 * pixel is repeated, as ImageJ's Process > Filters > Convolve does, so a flat region answers 0
 * everywhere, borders included.
 */
public final class FixedFilters {

	/** Responds to vertical edges: positive where the image gets darker to the right. */
	public static final float[] VERTICAL_EDGE = { 1, 0, -1, 1, 0, -1, 1, 0, -1 };

	/** Responds to horizontal edges: positive where the image gets darker downwards. */
	public static final float[] HORIZONTAL_EDGE = { 1, 1, 1, 0, 0, 0, -1, -1, -1 };

	private FixedFilters() {}

	/**
	 * Cross-correlates a {@code width x height} plane with a square kernel (3x3 or 5x5, row by
	 * row), same-size output.
	 */
	public static float[] correlate(final float[] plane, final int width, final int height,
		final float[] kernel)
	{
		final int k = side(kernel.length);
		final int r = k / 2;
		final float[] out = new float[width * height];
		for (int y = 0; y < height; y++)
			for (int x = 0; x < width; x++) {
				double sum = 0;
				for (int dy = -r; dy <= r; dy++) {
					final int yy = Math.min(height - 1, Math.max(0, y + dy));
					for (int dx = -r; dx <= r; dx++) {
						final int xx = Math.min(width - 1, Math.max(0, x + dx));
						sum += kernel[(dy + r) * k + dx + r] * plane[yy * width + xx];
					}
				}
				out[y * width + x] = (float) sum;
			}
		return out;
	}

	/**
	 * Reads a kernel typed by a user: 9 or 25 numbers separated by spaces, commas or semicolons,
	 * row by row ("1 0 -1; 1 0 -1; 1 0 -1").
	 */
	public static float[] parse(final String text) {
		final List<Float> values = new ArrayList<>();
		for (final String token : text.trim().split("[\\s,;]+")) {
			if (token.isEmpty()) continue;
			try {
				values.add(Float.parseFloat(token));
			}
			catch (final NumberFormatException e) {
				throw new DeepClassException("the kernel '" + text + "' holds '" + token + "', which " +
					"is not a number. Type 9 numbers (3x3) or 25 (5x5), row by row, e.g. " +
					"\"1 0 -1 1 0 -1 1 0 -1\".");
			}
		}
		if (values.size() != 9 && values.size() != 25)
			throw new DeepClassException("the kernel '" + text + "' has " + values.size() +
				" numbers; a kernel needs 9 (3x3) or 25 (5x5), row by row.");
		final float[] kernel = new float[values.size()];
		for (int i = 0; i < kernel.length; i++)
			kernel[i] = values.get(i);
		return kernel;
	}

	/** "1 0 -1 / 1 0 -1 / 1 0 -1": a kernel as text, rows separated by slashes. */
	public static String format(final float[] kernel) {
		final int k = side(kernel.length);
		final StringBuilder s = new StringBuilder();
		for (int i = 0; i < kernel.length; i++) {
			if (i > 0) s.append(i % k == 0 ? " / " : " ");
			s.append(kernel[i] == Math.rint(kernel[i]) ? Integer.toString((int) kernel[i]) : String
				.format(Locale.ROOT, "%.3g", kernel[i]));
		}
		return s.toString();
	}

	private static int side(final int length) {
		final int k = (int) Math.round(Math.sqrt(length));
		if (k * k != length || k % 2 == 0)
			throw new IllegalArgumentException("a kernel is square with an odd side; got " + length +
				" values");
		return k;
	}
}
