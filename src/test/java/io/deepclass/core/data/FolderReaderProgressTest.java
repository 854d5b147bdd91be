package io.deepclass.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading a folder on every core gives the images in file order, whatever order the decoding
 * threads finish in; progress reaches every image; Esc stops it and leaves no disk cache.
 */
class FolderReaderProgressTest {

	@TempDir
	Path dir;

	/** "Images" whose only pixel value is the number written in the file; slow ones at random. */
	private static final ImageDecoder DECODER = file -> {
		final String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
		if (text.equals("broken")) throw new IOException("not an image");
		final int v = Integer.parseInt(text);
		try {
			Thread.sleep(v % 3);
		}
		catch (final InterruptedException e) {
			Thread.currentThread().interrupt();
		}
		final float[] pixels = new float[16];
		java.util.Arrays.fill(pixels, v);
		return new DecodedImage(4, 4, 1, pixels, 8);
	};

	private Path folder(final int n) throws IOException {
		for (int c = 0; c < 2; c++) {
			final Path classFolder = Files.createDirectories(dir.resolve("images").resolve("class" + c));
			for (int i = 0; i < n; i++)
				Files.writeString(classFolder.resolve(String.format("%04d.txt", i)), i == 7 ? "broken"
					: Integer.toString(c * 1000 + i));
		}
		return dir.resolve("images");
	}

	@Test
	void imagesComeInFileOrderWithProgressToTheEnd() throws IOException {
		final Path images = folder(150);
		final List<int[]> reports = new ArrayList<>();
		final ImportResult r = new FolderReader(DECODER, new ImageShape(1, 4, 4)).withProgress(
			(done, total) -> reports.add(new int[] { done, total }), null).read(images);
		final Dataset d = r.dataset();
		assertEquals(298, d.size(), "2 x 150 less the 2 broken files");
		assertEquals(2, r.report().skipped().size());
		int k = 0;
		for (int c = 0; c < 2; c++)
			for (int i = 0; i < 150; i++) {
				if (i == 7) continue;
				assertEquals(c * 1000 + i, d.image(k)[0], "image " + k);
				assertEquals(c, d.label(k));
				k++;
			}
		assertArrayEquals(new int[] { 300, 300 }, reports.get(reports.size() - 1));
		for (int i = 1; i < reports.size(); i++)
			assertTrue(reports.get(i)[0] > reports.get(i - 1)[0]);
		assertTrue(reports.size() >= 50, "about every 1 %: " + reports.size());
	}

	@Test
	void escStopsReadingAndLeavesNoCache() throws IOException {
		final Path images = folder(150);
		final Path cache = Files.createDirectories(dir.resolve("cache"));
		final String oldBudget = System.getProperty("deepclass.memory.budget"), oldCache = System
			.getProperty("deepclass.cache");
		System.setProperty("deepclass.memory.budget", "100");
		System.setProperty("deepclass.cache", cache.toString());
		try {
			final AtomicInteger seen = new AtomicInteger();
			final DatasetException e = assertThrows(DatasetException.class, () -> new FolderReader(
				DECODER, new ImageShape(1, 4, 4)).withProgress((done, total) -> seen.set(done), () -> seen
					.get() >= 30).read(images));
			assertTrue(e.getMessage().contains("stopped (Esc) after 30 of 300"), e.getMessage());
			try (var files = Files.list(cache)) {
				assertEquals(0, files.count(), "the partial disk cache is deleted");
			}
		}
		finally {
			restore("deepclass.memory.budget", oldBudget);
			restore("deepclass.cache", oldCache);
		}
	}

	private static void restore(final String key, final String value) {
		if (value == null) System.clearProperty(key);
		else System.setProperty(key, value);
	}
}
