package io.deepclass.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import io.deepclass.core.data.Normalization.Method;

class NormalizationTest {

	private static final ImageShape LINE = new ImageShape(1, 1, 1000);

	@Test
	void percentileMapsEachImagesPercentilesToZeroAndOne() {
		// values 0..999, shuffled: numpy.percentile(range(1000), [1, 99.8]) = 9.99 and 997.002
		final float[] pixels = new float[2000];
		for (int i = 0; i < 1000; i++) {
			pixels[(i * 7919) % 1000] = i;
			pixels[1000 + (i * 7919) % 1000] = 10 * i + 5000; // a second image, other range
		}
		final float[] copy = pixels.clone();
		new Normalization(Method.PERCENTILE, new float[1], new float[] { 1 }, 1, 99.8).apply(pixels,
			0, 2, LINE);
		for (int image = 0; image < 2; image++)
			for (int p = 0; p < 1000; p++) {
				final double v = image == 0 ? copy[p] : (copy[1000 + p] - 5000) / 10;
				assertEquals((v - 9.99) / (997.002 - 9.99), pixels[image * 1000 + p], 1e-5,
					"image " + image + " pixel " + p);
			}
	}

	@Test
	void percentileOfAConstantImageIsZero() {
		final float[] pixels = new float[1000];
		java.util.Arrays.fill(pixels, 42);
		Normalization.fit(Method.PERCENTILE, oneImage(pixels), 1, 99.8).apply(
			pixels, 0, 1, LINE);
		assertArrayEquals(new float[1000], pixels);
	}

	@Test
	void bitDepthDividesByTheStoredRange() {
		final float[] pixels = { 255, 51, 65535, 13107, 0.5f, 0.25f, 255, 0 };
		new Normalization(Method.BIT_DEPTH, new float[1], new float[] { 1 }, 0, 0).apply(pixels, 0, 4,
			new ImageShape(1, 1, 2), new int[] { 8, 16, 32, 24 });
		assertArrayEquals(new float[] { 1, 0.2f, 1, 0.2f, 0.5f, 0.25f, 1, 0 }, pixels, 1e-6f);
		// unknown depth: told from the values
		final float[] unknown = { 4000, 65535 };
		new Normalization(Method.BIT_DEPTH, new float[1], new float[] { 1 }, 0, 0).apply(unknown, 0,
			1, new ImageShape(1, 1, 2), null);
		assertArrayEquals(new float[] { 4000 / 65535f, 1 }, unknown, 1e-6f);
	}

	@Test
	void methodsParseFromMacroValues() {
		assertEquals(Method.BIT_DEPTH, Method.parse("bit depth"));
		assertEquals(Method.BIT_DEPTH, Method.parse("bit_depth"));
		assertEquals(Method.PERCENTILE, Method.parse(" Percentile "));
		assertThrows(IllegalArgumentException.class, () -> Method.parse("zscore"));
		assertThrows(IllegalArgumentException.class, () -> new Normalization(Method.PERCENTILE,
			new float[1], new float[] { 1 }, 50, 10));
	}

	private static Dataset oneImage(final float[] pixels) {
		return new Dataset(LINE, java.util.List.of("a", "b"), new ArrayImageStore(pixels.clone(),
			1000), new int[] { 0 }, new String[] { "x" });
	}
}
