package io.deepclass.core.data;


/**
 * Brings a decoded image to a target {@link ImageShape}: gray to N channels by repeating the
 * channel, N channels to gray by the unweighted channel mean (as ImageJ's "8-bit" conversion does), and resizing by
 * bilinear interpolation (ImgLib2's, {@link #resize}), sampling pixel centres so that the image
 * is not shifted.
 */
public final class ImageConverter {

	private ImageConverter() {}

	/** Channel-planar pixels of {@code image} in {@code target}'s shape. */
	public static float[] convert(final DecodedImage image, final ImageShape target) {
		if (image.channels() == 1 && target.channels() > 1 && (image.width() != target.width() ||
			image.height() != target.height()))
		{
			// gray to colour: resized once, then repeated (bit for bit what resizing each copy gives)
			return convertChannels(new DecodedImage(target.width(), target.height(), 1, convert(image,
				new ImageShape(1, target.height(), target.width()))), target.channels());
		}
		final float[] channels = convertChannels(image, target.channels());
		if (image.width() == target.width() && image.height() == target.height()) return channels;
		final int planeIn = image.width() * image.height();
		final int planeOut = target.width() * target.height();
		final float[] out = new float[planeOut * target.channels()];
		for (int c = 0; c < target.channels(); c++) {
			final float[] plane = new float[planeIn];
			System.arraycopy(channels, c * planeIn, plane, 0, planeIn);
			final float[] resized = resize(plane, image.width(), image.height(), target.width(),
				target.height());
			System.arraycopy(resized, 0, out, c * planeOut, planeOut);
		}
		return out;
	}

	private static float[] convertChannels(final DecodedImage image, final int targetChannels) {
		if (image.channels() == targetChannels) return image.pixels();
		final int plane = image.width() * image.height();
		final float[] in = image.pixels();
		if (targetChannels == 1) {
			final float[] gray = new float[plane];
			for (int i = 0; i < plane; i++) {
				float sum = 0;
				for (int c = 0; c < image.channels(); c++)
					sum += in[c * plane + i];
				gray[i] = sum / image.channels();
			}
			return gray;
		}
		if (image.channels() != 1)
			throw new DatasetException("an image with" + ImageShape.channelsText(image.channels()) +
				" pixels cannot become" + ImageShape.channelsText(targetChannels) + "; choose its " +
				"channels with select_channels (e.g. 1,2,3), or a model trained on such images.");
		final float[] rgb = new float[plane * targetChannels];
		for (int c = 0; c < targetChannels; c++)
			System.arraycopy(in, 0, rgb, c * plane, plane);
		return rgb;
	}

	/**
	 * Bilinear resize of one plane, pixel centres aligned, borders extended: bit for bit what
	 * ImgLib2's {@code NLinearInterpolator} on an {@code extendBorder} view gives (its weights in
	 * double, each product rounded to float, summed in its order), computed on the arrays. Through
	 * ImgLib2's generic accessors it took 0.12 s of the 0.17 s that converting 500 digits to a
	 * backbone's 32 x 32 took before training could start.
	 */
	public static float[] resize(final float[] plane, final int width, final int height,
		final int newWidth, final int newHeight)
	{
		final int[] x0 = new int[newWidth], x1 = new int[newWidth];
		final double[] dx = new double[newWidth];
		sampling(width, newWidth, x0, x1, dx);
		final int[] y0 = new int[newHeight], y1 = new int[newHeight];
		final double[] dy = new double[newHeight];
		sampling(height, newHeight, y0, y1, dy);
		final float[] out = new float[newWidth * newHeight];
		for (int y = 0; y < newHeight; y++) {
			final int top = y0[y] * width, bottom = y1[y] * width;
			final double fy = dy[y], gy = 1 - fy;
			for (int x = 0; x < newWidth; x++) {
				final double fx = dx[x], gx = 1 - fx;
				float sum = (float) (plane[top + x0[x]] * (gx * gy));
				sum += (float) (plane[top + x1[x]] * (fx * gy));
				sum += (float) (plane[bottom + x1[x]] * (fx * fy));
				sum += (float) (plane[bottom + x0[x]] * (gx * fy));
				out[y * newWidth + x] = sum;
			}
		}
		return out;
	}

	/**
	 * Along one axis of {@code size} pixels sampled at {@code samples} points: each point's two
	 * neighbours (clamped to the image: the border extended) and its distance from the first. The
	 * floor is ImgLib2's (a negative whole number goes one lower; the weights make it the same).
	 */
	private static void sampling(final int size, final int samples, final int[] first,
		final int[] second, final double[] fraction)
	{
		final double scale = (double) size / samples;
		for (int i = 0; i < samples; i++) {
			final double position = (i + 0.5) * scale - 0.5;
			final long floor = position < 0 ? (long) position - 1 : (long) position;
			fraction[i] = position - floor;
			first[i] = (int) Math.max(0, Math.min(size - 1, floor));
			second[i] = (int) Math.max(0, Math.min(size - 1, floor + 1));
		}
	}
}
