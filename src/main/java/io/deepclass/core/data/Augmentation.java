package io.deepclass.core.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Random changes to training images that do not change their class, so a network learns from
 * few labelled images what does not matter: flips and 90-degree rotations (microscopy images
 * have no up; rotations only for square images), shifts by up to {@code shift} pixels, scaling
 * by up to {@code scale} (0.1 = 10 %) and rotation by up to {@code rotate} degrees (bilinear,
 * borders repeated), and brightness and contrast jitter of the normalised values. Drawn from the
 * trainer's seeded generator, so a seed gives the same batches; applied to training batches
 * only, never to validation or classification. Written as a spec such as
 * {@code flip,rot90,shift=2,scale=0.1,rotate=15,brightness=0.1,contrast=0.1}, recorded in the
 * model file.
 */
public record Augmentation(boolean flip, boolean rot90, int shift, double scale, double rotate,
	double brightness, double contrast)
{

	public static final Augmentation NONE = new Augmentation(false, false, 0, 0, 0, 0, 0);

	/** Flips, 90-degree rotations, shifts of 2 pixels, 10 % brightness and contrast. */
	public static final String MICROSCOPY = "flip,rot90,shift=2,brightness=0.1,contrast=0.1";

	public Augmentation {
		if (shift < 0 || scale < 0 || scale >= 1 || rotate < 0 || rotate > 180 || brightness < 0 ||
			contrast < 0 || contrast >= 1)
			throw new DatasetException("augmentation values out of range: shift >= 0, 0 <= scale < 1, " +
				"0 <= rotate <= 180 degrees, brightness >= 0, 0 <= contrast < 1.");
	}

	/** True when it changes nothing. */
	public boolean none() {
		return equals(NONE);
	}

	/** Parses "none", "microscopy" or a spec like {@code flip,rot90,shift=2,rotate=10}. */
	public static Augmentation parse(final String spec) {
		final String s = spec == null ? "" : spec.trim().toLowerCase(Locale.ROOT);
		if (s.isEmpty() || s.equals("none")) return NONE;
		if (s.equals("microscopy")) return parse(MICROSCOPY);
		boolean flip = false, rot90 = false;
		int shift = 0;
		double scale = 0, rotate = 0, brightness = 0, contrast = 0;
		for (final String part : s.split("[,;\\s]+")) {
			final String[] kv = part.split("=", 2);
			try {
				switch (kv[0]) {
					case "flip" -> flip = true;
					case "rot90" -> rot90 = true;
					case "shift" -> shift = Integer.parseInt(value(kv));
					case "scale" -> scale = Double.parseDouble(value(kv));
					case "rotate" -> rotate = Double.parseDouble(value(kv));
					case "brightness" -> brightness = Double.parseDouble(value(kv));
					case "contrast" -> contrast = Double.parseDouble(value(kv));
					default -> throw new DatasetException("unknown augmentation '" + kv[0] + "'; use " +
						"none, microscopy, or flip, rot90, shift=N, scale=X, rotate=DEGREES, brightness=X, " +
						"contrast=X, separated by commas.");
				}
			}
			catch (final NumberFormatException e) {
				throw new DatasetException("augmentation '" + part + "' needs a number, e.g. shift=2.");
			}
		}
		return new Augmentation(flip, rot90, shift, scale, rotate, brightness, contrast);
	}

	private static String value(final String[] kv) {
		if (kv.length < 2) throw new NumberFormatException();
		return kv[1];
	}

	@Override
	public String toString() {
		if (none()) return "none";
		final List<String> parts = new ArrayList<>();
		if (flip) parts.add("flip");
		if (rot90) parts.add("rot90");
		if (shift > 0) parts.add("shift=" + shift);
		if (scale > 0) parts.add("scale=" + scale);
		if (rotate > 0) parts.add("rotate=" + rotate);
		if (brightness > 0) parts.add("brightness=" + brightness);
		if (contrast > 0) parts.add("contrast=" + contrast);
		return String.join(",", parts);
	}

	/** Moves pixels of one image (channel-planar, at {@code offset}) in place. */
	public void geometric(final float[] pixels, final int offset, final ImageShape shape,
		final Random random)
	{
		final int w = shape.width(), h = shape.height(), plane = w * h;
		final boolean square = w == h;
		final boolean mirror = flip && random.nextBoolean();
		final int quarterTurns = rot90 && square ? random.nextInt(4) : 0;
		final int dx = shift > 0 ? random.nextInt(2 * shift + 1) - shift : 0;
		final int dy = shift > 0 ? random.nextInt(2 * shift + 1) - shift : 0;
		final double factor = scale > 0 ? 1 + (2 * random.nextDouble() - 1) * scale : 1;
		final double angle = rotate > 0 ? Math.toRadians((2 * random.nextDouble() - 1) * rotate) : 0;
		if (!mirror && quarterTurns == 0 && dx == 0 && dy == 0 && factor == 1 && angle == 0) return;
		// where each output pixel comes from, as an inverse map around the image centre
		final double cx = (w - 1) / 2.0, cy = (h - 1) / 2.0;
		final double cos = Math.cos(-angle) / factor, sin = Math.sin(-angle) / factor;
		final float[] source = new float[plane];
		for (int c = 0; c < shape.channels(); c++) {
			final int base = offset + c * plane;
			System.arraycopy(pixels, base, source, 0, plane);
			for (int y = 0; y < h; y++)
				for (int x = 0; x < w; x++) {
					// undo the shift, the quarter turns and the flip (exact), then rotation and scale
					double u = x - dx, v = y - dy;
					for (int q = 0; q < quarterTurns; q++) {
						final double t = u;
						u = v;
						v = (w - 1) - t;
					}
					if (mirror) u = (w - 1) - u;
					final double su = cx + cos * (u - cx) - sin * (v - cy);
					final double sv = cy + sin * (u - cx) + cos * (v - cy);
					pixels[base + y * w + x] = sample(source, w, h, su, sv);
				}
		}
	}

	/** Brightness and contrast jitter of one normalised image, in place. */
	public void intensity(final float[] pixels, final int offset, final int size,
		final Random random)
	{
		if (brightness == 0 && contrast == 0) return;
		final float gain = (float) (1 + (2 * random.nextDouble() - 1) * contrast);
		final float add = (float) ((2 * random.nextDouble() - 1) * brightness);
		for (int p = offset; p < offset + size; p++)
			pixels[p] = pixels[p] * gain + add;
	}

	/** Bilinear sample with borders repeated; exact at integer positions. */
	private static float sample(final float[] plane, final int w, final int h, final double x,
		final double y)
	{
		final double cx = Math.max(0, Math.min(w - 1, x)), cy = Math.max(0, Math.min(h - 1, y));
		final int x0 = (int) Math.floor(cx), y0 = (int) Math.floor(cy);
		final int x1 = Math.min(w - 1, x0 + 1), y1 = Math.min(h - 1, y0 + 1);
		final double fx = cx - x0, fy = cy - y0;
		if (fx < 1e-9 && fy < 1e-9) return plane[y0 * w + x0];
		return (float) ((1 - fy) * ((1 - fx) * plane[y0 * w + x0] + fx * plane[y0 * w + x1]) + fy *
			((1 - fx) * plane[y1 * w + x0] + fx * plane[y1 * w + x1]));
	}
}
