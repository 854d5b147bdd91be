package io.deepclass.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

import org.junit.jupiter.api.Test;

import net.imglib2.RandomAccess;
import net.imglib2.RealRandomAccess;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.interpolation.randomaccess.NLinearInterpolatorFactory;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/**
 * {@link ImageConverter#resize} computes on arrays what ImgLib2's bilinear interpolation on a
 * border-extended image computed before: every model trained since then saw images resized that
 * way, and classification must resize as training did, so the values must not move by a bit.
 */
class ImageConverterResizeTest {

	@Test
	void resizeIsImgLib2sBilinearInterpolationBitForBit() {
		final Random random = new Random(7);
		final int[][] sizes = { { 28, 28, 32, 32 }, { 37, 29, 32, 32 }, { 32, 32, 28, 28 },
			{ 1, 1, 5, 3 }, { 5, 3, 1, 1 }, { 101, 7, 13, 64 }, { 224, 224, 32, 32 }, { 3, 2, 7, 11 } };
		for (final int[] s : sizes) {
			final float[] plane = new float[s[0] * s[1]];
			for (int i = 0; i < plane.length; i++)
				plane[i] = random.nextInt(4) == 0 ? random.nextInt(65536) : random.nextFloat() * 2 - 0.5f;
			final float[] expected = imgLib2(plane, s[0], s[1], s[2], s[3]);
			final float[] actual = ImageConverter.resize(plane, s[0], s[1], s[2], s[3]);
			assertArrayEquals(expected, actual, 0f, () -> s[0] + "x" + s[1] + " -> " + s[2] + "x" +
				s[3]);
		}
	}

	@Test
	void resizingToTheSameSizeKeepsThePixelsAndALinearRampStaysLinear() {
		final float[] plane = new float[6 * 4];
		for (int i = 0; i < plane.length; i++)
			plane[i] = i % 6;
		assertArrayEquals(plane, ImageConverter.resize(plane, 6, 4, 6, 4), 0f);
		// twice as wide: pixel centres at 0.25, 0.75, ... of the input pixels, borders extended
		final float[] wide = ImageConverter.resize(plane, 6, 4, 12, 4);
		assertEquals(0f, wide[0]);
		assertEquals(0.25f, wide[1]);
		assertEquals(4.75f, wide[10]);
		assertEquals(5f, wide[11]);
	}

	/** What ImageConverter.resize was until it computed on the arrays. */
	private static float[] imgLib2(final float[] plane, final int width, final int height,
		final int newWidth, final int newHeight)
	{
		final ArrayImg<FloatType, FloatArray> source = ArrayImgs.floats(plane.clone(), width, height);
		final RealRandomAccess<FloatType> sampler = Views.interpolate(Views.extendBorder(source),
			new NLinearInterpolatorFactory<FloatType>()).realRandomAccess();
		final float[] out = new float[newWidth * newHeight];
		final RandomAccess<FloatType> writer = ArrayImgs.floats(out, newWidth, newHeight)
			.randomAccess();
		final double sx = (double) width / newWidth;
		final double sy = (double) height / newHeight;
		for (int y = 0; y < newHeight; y++)
			for (int x = 0; x < newWidth; x++) {
				sampler.setPosition((x + 0.5) * sx - 0.5, 0);
				sampler.setPosition((y + 0.5) * sy - 0.5, 1);
				writer.setPositionAndGet(x, y).set(sampler.get());
			}
		return out;
	}
}
