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
}
