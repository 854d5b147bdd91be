package io.deepclass.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.deepclass.demo.FashionMnistDemo;

class IdxReaderTest {

	@TempDir
	Path dir;

	@Test
	void readsTheEmbeddedFashionMnistSample() throws IOException {
		final Dataset train = FashionMnistDemo.sample("train");
		assertEquals(4000, train.size());
		assertEquals(new ImageShape(1, 28, 28), train.shape());
		assertEquals(IdxReader.FASHION_MNIST_CLASSES, train.classNames());
		assertArrayEquals(new int[] { 400, 400, 400, 400, 400, 400, 400, 400, 400, 400 }, train
			.classCounts());
		// first training image of Fashion-MNIST is an ankle boot (label 9)
		assertEquals(9, train.label(0));
		float max = 0;
		for (final float v : train.image(0))
			max = Math.max(max, v);
		assertTrue(max > 200 && max <= 255, "8-bit pixel values as stored, max " + max);
		assertEquals(1000, FashionMnistDemo.sample("t10k").size());
	}

	@Test
	void readsRawAndGzippedFilesWithExactValues() throws IOException {
		final byte[] pixels = { 0, 1, 2, 3, 4, 5, (byte) 255, 7, 8, 9, 10, 11 };
		write(dir.resolve("raw-images"), images(2, 2, 3, pixels), false);
		write(dir.resolve("raw-labels"), labels(new byte[] { 1, 0 }), false);
		write(dir.resolve("gz-images.gz"), images(2, 2, 3, pixels), true);
		write(dir.resolve("gz-labels.gz"), labels(new byte[] { 1, 0 }), true);
		for (final String prefix : new String[] { "raw", "gz" }) {
			final String suffix = prefix.equals("gz") ? ".gz" : "";
			final Dataset d = IdxReader.read(dir.resolve(prefix + "-images" + suffix), dir.resolve(
				prefix + "-labels" + suffix), List.of("a", "b"));
			assertEquals(2, d.size());
			assertEquals(new ImageShape(1, 2, 3), d.shape(), "rows 2, cols 3");
			assertArrayEquals(new float[] { 0, 1, 2, 3, 4, 5 }, d.image(0));
			assertArrayEquals(new float[] { 255, 7, 8, 9, 10, 11 }, d.image(1));
			assertArrayEquals(new int[] { 1, 0 }, d.labels());
			assertEquals("b", d.classNames().get(d.label(0)));
		}
	}

	@Test
	void namesClassesByNumberWhenNoNamesAreGiven() throws IOException {
		write(dir.resolve("i"), images(3, 1, 1, new byte[] { 1, 2, 3 }), false);
		write(dir.resolve("l"), labels(new byte[] { 0, 2, 1 }), false);
		assertEquals(List.of("0", "1", "2"), IdxReader.read(dir.resolve("i"), dir.resolve("l"), null)
			.classNames());
	}

	@Test
	void rejectsSwappedFilesWithMagicNumberMessage() throws IOException {
		write(dir.resolve("i"), images(1, 1, 1, new byte[] { 1 }), false);
		write(dir.resolve("l"), labels(new byte[] { 0 }), false);
		final DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.read(dir
			.resolve("l"), dir.resolve("i"), null));
		assertTrue(e.getMessage().contains("magic number 0x00000801"), e.getMessage());
		assertTrue(e.getMessage().contains("images-idx3-ubyte"), e.getMessage());
	}

	@Test
	void rejectsTruncatedAndMismatchedFiles() throws IOException {
		final byte[] full = images(4, 2, 2, new byte[16]);
		write(dir.resolve("short"), java.util.Arrays.copyOf(full, full.length - 3), false);
		write(dir.resolve("l4"), labels(new byte[4]), false);
		write(dir.resolve("l3"), labels(new byte[3]), false);
		write(dir.resolve("full"), full, false);
		write(dir.resolve("empty"), new byte[0], false);
		assertTrue(assertThrows(DatasetException.class, () -> IdxReader.read(dir.resolve("short"), dir
			.resolve("l4"), null)).getMessage().contains("shorter"));
		assertTrue(assertThrows(DatasetException.class, () -> IdxReader.read(dir.resolve("full"), dir
			.resolve("l3"), null)).getMessage().contains("4 images but its labels file holds 3"));
		assertTrue(assertThrows(DatasetException.class, () -> IdxReader.read(dir.resolve("empty"), dir
			.resolve("l4"), null)).getMessage().contains("empty or truncated"));
	}

	/**
	 * A header that announces far more than the file holds (16 bytes claiming 2^31 - 1 pixels,
	 * also gzipped, where the file's size says nothing) is refused without allocating what it
	 * claims: at once, whatever the heap.
	 */
	@Test
	void headersAnnouncingMoreThanTheFileHoldsAllocateNothing() throws IOException {
		// labels and images agree on 46 341 images of 46 340 x 1: 2^31 - 1 pixels in 16 bytes
		final ByteArrayOutputStream labels = new ByteArrayOutputStream();
		final DataOutputStream out = new DataOutputStream(labels);
		out.writeInt(0x801);
		out.writeInt(46_341);
		out.write(new byte[16]);
		write(dir.resolve("l"), labels.toByteArray(), false);
		for (final boolean gzip : new boolean[] { false, true }) {
			final Path images = dir.resolve("huge" + gzip);
			write(images, images(46_341, 46_340, 1, new byte[16]), gzip);
			final long start = System.nanoTime();
			final DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.read(images,
				dir.resolve("l"), null));
			final long ms = (System.nanoTime() - start) / 1_000_000;
			assertTrue(ms < 1000, "took " + ms + " ms");
			assertTrue(e.getMessage().contains("'huge" + gzip + "'") && (e.getMessage().contains(
				"2147441940 pixels, which need") || e.getMessage().contains("the file is shorter")), e
					.getMessage());
		}
	}

	@Test
	void rejectsLabelsBeyondTheClassNames() throws IOException {
		write(dir.resolve("i"), images(1, 1, 1, new byte[] { 1 }), false);
		write(dir.resolve("l"), labels(new byte[] { 5 }), false);
		assertTrue(assertThrows(DatasetException.class, () -> IdxReader.read(dir.resolve("i"), dir
			.resolve("l"), List.of("a", "b"))).getMessage().contains("label 5"));
	}

	@Test
	void readSplitNamesTheMissingFile() {
		final NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> IdxReader
			.readSplit(dir, "train", null));
		assertTrue(e.getReason().contains("train-images-idx3-ubyte"), e.getReason());
	}

	static byte[] images(final int n, final int rows, final int cols, final byte[] pixels)
		throws IOException
	{
		final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		final DataOutputStream out = new DataOutputStream(bytes);
		out.writeInt(0x803);
		out.writeInt(n);
		out.writeInt(rows);
		out.writeInt(cols);
		out.write(pixels);
		return bytes.toByteArray();
	}

	static byte[] labels(final byte[] labels) throws IOException {
		final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		final DataOutputStream out = new DataOutputStream(bytes);
		out.writeInt(0x801);
		out.writeInt(labels.length);
		out.write(labels);
		return bytes.toByteArray();
	}

	static void write(final Path file, final byte[] content, final boolean gzip) throws IOException {
		try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(file)) : Files
			.newOutputStream(file))
		{
			out.write(content);
		}
	}
}
