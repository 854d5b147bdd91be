package io.deepclass.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class DatasetSplitTest {

	/** 90 images of class a, 9 of b, 1 of c; pixel value = index, so images can be traced. */
	private static Dataset unbalanced() {
		final int n = 100;
		final float[] pixels = new float[n];
		final int[] labels = new int[n];
		final String[] sources = new String[n];
		for (int i = 0; i < n; i++) {
			pixels[i] = i;
			labels[i] = i < 90 ? 0 : i < 99 ? 1 : 2;
			sources[i] = "#" + i;
		}
		return new Dataset(new ImageShape(1, 1, 1), List.of("a", "b", "c"), new ArrayImageStore(
			pixels, 1), labels, sources);
	}

	@Test
	void isStratifiedDisjointAndComplete() {
		final DatasetSplit split = DatasetSplit.stratified(unbalanced(), 0.2, 7);
		assertArrayEquals(new int[] { 18, 2, 0 }, split.validation().classCounts());
		assertArrayEquals(new int[] { 72, 7, 1 }, split.train().classCounts());
		final Set<Float> seen = new HashSet<>();
		for (final Dataset part : List.of(split.train(), split.validation()))
			for (int i = 0; i < part.size(); i++)
				assertTrue(seen.add(part.image(i)[0]), "image in both parts");
		assertEquals(100, seen.size());
	}

	@Test
	void sameSeedSameSplitOtherSeedOtherSplit() {
		final Dataset d = unbalanced();
		final String a = sources(DatasetSplit.stratified(d, 0.3, 1).validation());
		assertEquals(a, sources(DatasetSplit.stratified(d, 0.3, 1).validation()));
		assertNotEquals(a, sources(DatasetSplit.stratified(d, 0.3, 2).validation()));
	}

	private static String sources(final Dataset d) {
		final StringBuilder s = new StringBuilder();
		for (int i = 0; i < d.size(); i++)
			s.append(d.source(i)).append(' ');
		return s.toString();
	}

	@Test
	void normalizationFitsMeanAndStdPerChannel() {
		final float[] pixels = { 0, 2, 10, 10, 4, 6, 30, 50 };
		final Dataset d = new Dataset(new ImageShape(1, 1, 4), List.of("a", "b"),
			new ArrayImageStore(pixels, 4), new int[] { 0, 1 }, new String[] { "x", "y" });
		final Normalization n = Normalization.fit(d);
		assertEquals(14f, n.mean()[0], 1e-5);
		final float[] img = d.image(0);
		n.apply(img, 0, 1, d.shape());
		assertEquals((0 - 14f) / n.std()[0], img[0], 1e-5);
		assertEquals(Math.sqrt((14 * 14 + 12 * 12 + 4 * 4 + 4 * 4 + 10 * 10 + 8 * 8 + 16 * 16 + 36 *
			36) / 8.0), n.std()[0], 1e-4);
	}

	/**
	 * Two channels with other statistics, computed by hand: channel 0 holds 1, 3, 5, 7 (mean 4,
	 * population variance (9 + 1 + 1 + 9) / 4 = 5), channel 1 holds 10, 20, 30, 60 (mean 30,
	 * variance (400 + 100 + 0 + 900) / 4 = 350); each channel is standardised with its own.
	 */
	@Test
	void normalizationFitsEachChannelOnItsOwnPixels() {
		// channel-planar images of 1x2 pixels: image 0 = {1, 3 | 10, 20}, image 1 = {5, 7 | 30, 60}
		final float[] pixels = { 1, 3, 10, 20, 5, 7, 30, 60 };
		final Dataset d = new Dataset(new ImageShape(2, 1, 2), List.of("a", "b"),
			new ArrayImageStore(pixels, 4), new int[] { 0, 1 }, new String[] { "x", "y" });
		final Normalization n = Normalization.fit(d);
		assertEquals(2, n.mean().length);
		assertEquals(4f, n.mean()[0], 1e-5);
		assertEquals(30f, n.mean()[1], 1e-5);
		assertEquals(Math.sqrt(5), n.std()[0], 1e-5);
		assertEquals(Math.sqrt(350), n.std()[1], 1e-4);
		final float[] img = d.image(1);
		n.apply(img, 0, 1, d.shape());
		assertEquals((5 - 4) / Math.sqrt(5), img[0], 1e-5);
		assertEquals((7 - 4) / Math.sqrt(5), img[1], 1e-5);
		assertEquals((30 - 30) / Math.sqrt(350), img[2], 1e-5);
		assertEquals((60 - 30) / Math.sqrt(350), img[3], 1e-5);
	}
}
