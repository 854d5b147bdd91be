package io.deepclass.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

class AugmentationTest {

	private static final ImageShape SQUARE = new ImageShape(2, 5, 5);

	private static float[] numbered(final ImageShape shape) {
		final float[] pixels = new float[shape.size()];
		for (int i = 0; i < pixels.length; i++)
			pixels[i] = i;
		return pixels;
	}

	/** The 8 flips and quarter turns of one plane (5x5), as lists, to compare with. */
	private static Set<List<Float>> dihedral(final float[] plane, final int w) {
		final Set<List<Float>> all = new HashSet<>();
		for (int mirror = 0; mirror < 2; mirror++)
			for (int turns = 0; turns < 4; turns++) {
				final List<Float> out = new ArrayList<>();
				for (int y = 0; y < w; y++)
					for (int x = 0; x < w; x++) {
						int u = x, v = y;
						for (int q = 0; q < turns; q++) {
							final int t = u;
							u = v;
							v = w - 1 - t;
						}
						if (mirror == 1) u = w - 1 - u;
						out.add(plane[v * w + u]);
					}
				all.add(out);
			}
		return all;
	}

	@Test
	void flipsAndQuarterTurnsAreExactAndTheSameForEveryChannel() {
		final Augmentation a = Augmentation.parse("flip,rot90");
		final float[] original = numbered(SQUARE);
		final Set<List<Float>> allowed = dihedral(Arrays.copyOf(original, 25), 5);
		final Set<List<Float>> seen = new HashSet<>();
		final Random random = new Random(3);
		for (int k = 0; k < 200; k++) {
			final float[] pixels = original.clone();
			a.geometric(pixels, 0, SQUARE, random);
			final List<Float> first = new ArrayList<>();
			for (int i = 0; i < 25; i++)
				first.add(pixels[i]);
			assertTrue(allowed.contains(first), "a flip or quarter turn of the image: " + first);
			for (int i = 0; i < 25; i++)
				assertEquals(pixels[i] + 25, pixels[25 + i], "channel 2 moves with channel 1");
			seen.add(first);
		}
		assertEquals(8, seen.size(), "all 8 orientations occur");
	}

	@Test
	void theSameSeedGivesTheSameImages() {
		final Augmentation a = Augmentation.parse("flip,rot90,shift=2,scale=0.1,rotate=15," +
			"brightness=0.2,contrast=0.2");
		final float[] x = numbered(SQUARE), y = numbered(SQUARE);
		final Random r1 = new Random(9), r2 = new Random(9);
		for (int k = 0; k < 5; k++) {
			a.geometric(x, 0, SQUARE, r1);
			a.intensity(x, 0, SQUARE.size(), r1);
			a.geometric(y, 0, SQUARE, r2);
			a.intensity(y, 0, SQUARE.size(), r2);
		}
		assertArrayEquals(x, y);
		assertFalse(Arrays.equals(numbered(SQUARE), x), "and it changes them");
	}

	@Test
	void shiftsMoveByWholePixelsWithBordersRepeated() {
		final ImageShape line = new ImageShape(1, 1, 6);
		final Set<List<Float>> seen = new HashSet<>();
		final Random random = new Random(1);
		for (int k = 0; k < 100; k++) {
			final float[] p = { 0, 1, 2, 3, 4, 5 };
			Augmentation.parse("shift=1").geometric(p, 0, line, random);
			final List<Float> l = new ArrayList<>();
			for (final float v : p)
				l.add(v);
			seen.add(l);
		}
		assertTrue(seen.contains(List.of(0f, 0f, 1f, 2f, 3f, 4f)), seen.toString());
		assertTrue(seen.contains(List.of(1f, 2f, 3f, 4f, 5f, 5f)), seen.toString());
		assertTrue(seen.contains(List.of(0f, 1f, 2f, 3f, 4f, 5f)), seen.toString());
	}

	@Test
	void specsParseAndPrint() {
		assertEquals("none", Augmentation.parse("").toString());
		assertEquals(Augmentation.NONE, Augmentation.parse("none"));
		assertEquals("flip,rot90,shift=2,brightness=0.1,contrast=0.1", Augmentation.parse(
			"microscopy").toString());
		final Augmentation a = Augmentation.parse("rotate=10, scale=0.2,flip");
		assertEquals(a, Augmentation.parse(a.toString()));
		assertThrows(DatasetException.class, () -> Augmentation.parse("mirror"));
		assertThrows(DatasetException.class, () -> Augmentation.parse("shift=two"));
		assertThrows(DatasetException.class, () -> Augmentation.parse("contrast=1.5"));
	}

	/** A generator whose nextDouble() returns the given values in turn: a chosen draw. */
	private static Random drawing(final double... values) {
		return new Random() {

			private static final long serialVersionUID = 1L;

			private int next;

			@Override
			public double nextDouble() {
				return values[next++];
			}
		};
	}

	/** One plane of w x h zeros with a single pixel of 100 at (x, y). */
	private static float[] spot(final int w, final int h, final int x, final int y) {
		final float[] p = new float[w * h];
		p[y * w + x] = 100;
		return p;
	}

	private static void assertOnlyFullPixelAt(final float[] p, final int w, final int x,
		final int y, final String what)
	{
		assertEquals(100f, p[y * w + x], 1e-4f, what + ": the pixel lands on (" + x + ", " + y + ")");
		for (int i = 0; i < p.length; i++)
			if (i != y * w + x) assertTrue(p[i] < 99.9f, what + ": no other pixel is the spot, " +
				"but (" + i % w + ", " + i / w + ") = " + p[i]);
	}

	/**
	 * rotate=90 drawn at its largest (+90 degrees) and smallest (-90): about the centre (2, 2) of
	 * a 5x5 image, in image coordinates (y down), p' = c + R(a) (p - c), R(a) = [cos -sin; sin
	 * cos]. The spot at (4, 2) is 2 right of the centre: +90 takes it to (2, 4), -90 to (2, 0).
	 */
	@Test
	void rotationMovesAPixelWhereTheRotationFormulaSays() {
		final ImageShape shape = new ImageShape(1, 5, 5);
		final Augmentation rotate = Augmentation.parse("rotate=90");
		final float[] plus = spot(5, 5, 4, 2);
		rotate.geometric(plus, 0, shape, drawing(1.0)); // angle = (2 * 1 - 1) * 90 = +90
		assertOnlyFullPixelAt(plus, 5, 2, 4, "+90 degrees");
		final float[] minus = spot(5, 5, 4, 2);
		rotate.geometric(minus, 0, shape, drawing(0.0)); // angle = (2 * 0 - 1) * 90 = -90
		assertOnlyFullPixelAt(minus, 5, 2, 0, "-90 degrees");
		// 45 degrees about (4, 4) of a 9x9 image: (6, 4) goes to (4 + 2 cos 45, 4 + 2 sin 45) =
		// (5.41, 5.41), between pixels: bilinear interpolation gives the nearest, (5, 5), the most
		final float[] half = spot(9, 9, 6, 4);
		Augmentation.parse("rotate=45").geometric(half, 0, new ImageShape(1, 9, 9), drawing(1.0));
		int brightest = 0;
		for (int i = 1; i < half.length; i++)
			if (half[i] > half[brightest]) brightest = i;
		assertEquals(5 * 9 + 5, brightest, "brightest at (5, 5): " + Arrays.toString(half));
		assertEquals(100 * (Math.sqrt(2) - 1), half[brightest], 1e-3, "(5, 5) samples (5.41, 4)");
	}

	/**
	 * scale=0.5 drawn at its largest: factor 1.5 about the centre (4, 4) of a 9x9 image; the spot
	 * 2 right of the centre lands 3 right of it, at (7, 4); drawn at its smallest (factor 0.5)
	 * the spot 2 below the centre, at (4, 6), lands 1 below it, at (4, 5).
	 */
	@Test
	void scalingMovesAPixelWhereTheScaleFormulaSays() {
		final ImageShape shape = new ImageShape(1, 9, 9);
		final Augmentation scale = Augmentation.parse("scale=0.5");
		final float[] larger = spot(9, 9, 6, 4);
		scale.geometric(larger, 0, shape, drawing(1.0));
		assertOnlyFullPixelAt(larger, 9, 7, 4, "x1.5");
		final float[] smaller = spot(9, 9, 4, 6);
		scale.geometric(smaller, 0, shape, drawing(0.0));
		assertOnlyFullPixelAt(smaller, 9, 4, 5, "x0.5");
	}

	/**
	 * contrast=0.5 and brightness=0.2 drawn at their extremes: gain 1 + (2 * 1 - 1) * 0.5 = 1.5
	 * first, then offset (2 * 0 - 1) * 0.2 = -0.2; every value v becomes 1.5 v - 0.2.
	 */
	@Test
	void brightnessAndContrastScaleAndShiftEveryValueAsDrawn() {
		final float[] p = { -1, 0, 0.5f, 2 };
		Augmentation.parse("brightness=0.2,contrast=0.5").intensity(p, 0, 4, drawing(1.0, 0.0));
		assertArrayEquals(new float[] { -1.7f, -0.2f, 0.55f, 2.8f }, p, 1e-6f);
		final float[] q = { -1, 0, 0.5f, 2 };
		// the middle of both ranges changes nothing
		Augmentation.parse("brightness=0.2,contrast=0.5").intensity(q, 0, 4, drawing(0.5, 0.5));
		assertArrayEquals(new float[] { -1, 0, 0.5f, 2 }, q, 1e-6f);
	}
}
