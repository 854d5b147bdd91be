package io.deepclass.core.data;

import net.imglib2.RandomAccess;
import net.imglib2.RealRandomAccess;
import net.imglib2.RealRandomAccessible;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.interpolation.randomaccess.NLinearInterpolatorFactory;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/**
 * Brings a decoded image to a target {@link ImageShape}: gray to N channels by repeating the
 * channel, N channels to gray by the unweighted channel mean (as ImageJ's "8-bit" conversion does), and resizing by
 * bilinear interpolation with ImgLib2, sampling pixel centres so that the image is not shifted.
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

	/** Bilinear resize of one plane, pixel centres aligned, borders extended. */
	public static float[] resize(final float[] plane, final int width, final int height,
		final int newWidth, final int newHeight)
	{
		final ArrayImg<FloatType, FloatArray> source = ArrayImgs.floats(plane, width, height);
		final RealRandomAccessible<FloatType> interpolated = Views.interpolate(Views.extendBorder(
			source), new NLinearInterpolatorFactory<>());
		final RealRandomAccess<FloatType> sampler = interpolated.realRandomAccess();
		final float[] out = new float[newWidth * newHeight];
		final ArrayImg<FloatType, FloatArray> target = ArrayImgs.floats(out, newWidth, newHeight);
		final RandomAccess<FloatType> writer = target.randomAccess();
		final double sx = (double) width / newWidth;
		final double sy = (double) height / newHeight;
		for (int y = 0; y < newHeight; y++) {
			for (int x = 0; x < newWidth; x++) {
				sampler.setPosition((x + 0.5) * sx - 0.5, 0);
				sampler.setPosition((y + 0.5) * sy - 0.5, 1);
				writer.setPositionAndGet(x, y).set(sampler.get());
			}
		}
		return out;
	}
}
