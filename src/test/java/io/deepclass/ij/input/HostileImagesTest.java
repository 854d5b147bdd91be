package io.deepclass.ij.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ij.ImagePlus;
import ij.io.FileSaver;
import ij.process.ByteProcessor;

import io.deepclass.core.HostileFiles;
import io.deepclass.core.data.FolderReader;
import io.deepclass.core.data.ImageShape;
import io.deepclass.core.data.ImportReport;
import io.deepclass.core.data.ImportResult;

/**
 * Tiny image files whose headers declare enormous images (100 000 x 100 000 pixels in a few
 * bytes): the decoder reads only the header and refuses them, well under a second and without
 * allocating the declared size, with a reason giving the declared size and what to do; a folder
 * import skips them, naming the file, and keeps the good images.
 */
public class HostileImagesTest {

	/** A refusal must not decode: far under the time and memory the declared pixels need. */
	static final Duration FAST = Duration.ofSeconds(1);

	@TempDir
	Path dir;

	private final IjImageDecoder decoder = new IjImageDecoder();

	@BeforeAll
	static void warmUp() {
		// ImageIO scans its plugins once; that first-use cost is not the decoder's work
		javax.imageio.ImageIO.getReaderFormatNames();
	}

	private String refused(final Path file) {
		return assertTimeoutPreemptively(FAST, () -> {
			final long before = HostileFiles.allocated();
			final IOException e = assertThrows(IOException.class, () -> decoder.decode(file));
			final long allocated = HostileFiles.allocated() - before;
			assertTrue(allocated < 64L << 20, "no allocation of the declared size: " + (allocated >> 20) +
				" MiB");
			assertFalse(e.getMessage().contains("\n"), e.getMessage());
			return e.getMessage();
		});
	}

	@Test
	void aTiffDeclaring100000Squared() throws IOException {
		final String m = refused(tiff(dir.resolve("huge.tif"), 100_000, 100_000, 8));
		assertTrue(m.contains("too large to decode") && m.contains("100000 x 100000 pixels") && m
			.contains("2147483647 pixels a plane") && m.contains("crop or scale it down"), m);
		assertEquals(List.of("huge.tif"), HostileFiles.names(dir), "nothing written beside it");
	}

	@Test
	void aTiffLargerThanTheMemoryForOneImage() throws IOException {
		// 1.6 billion pixels fit a Java array, but not a quarter of the test JVM's 2 GB heap
		final String m = refused(tiff(dir.resolve("big16.tif"), 40_000, 40_000, 16));
		assertTrue(m.contains("40000 x 40000 pixels") && m.contains("a quarter of the Java memory"),
			m);
	}

	@Test
	void aPngDeclaring100000Squared() throws IOException {
		final String m = refused(png(dir.resolve("huge.png"), 100_000, 100_000));
		assertTrue(m.contains("too large to decode") && m.contains("100000 x 100000 pixels"), m);
	}

	@Test
	void aGifBmpAndJpegDeclaringHugeSizes() throws IOException {
		for (final Path file : List.of(gif(dir.resolve("huge.gif")), bmp(dir.resolve("huge.bmp")),
			jpeg(dir.resolve("huge.jpg"))))
		{
			final String m = refused(file);
			assertTrue(m.contains("too large to decode") && m.contains(" pixels, "), file + ": " + m);
		}
	}

	@Test
	void aFolderImportSkipsTheHugeImageNamingItAndKeepsTheOthers() throws IOException {
		final Path a = Files.createDirectories(dir.resolve("images/a"));
		final Path b = Files.createDirectories(dir.resolve("images/b"));
		new FileSaver(new ImagePlus("ok", new ByteProcessor(4, 4))).saveAsPng(a.resolve("ok.png")
			.toString());
		new FileSaver(new ImagePlus("ok", new ByteProcessor(4, 4))).saveAsPng(b.resolve("ok.png")
			.toString());
		tiff(a.resolve("huge.tif"), 100_000, 100_000, 8);
		png(b.resolve("huge.png"), 100_000, 100_000);
		final ImportResult r = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> new FolderReader(
			decoder, new ImageShape(1, 4, 4)).read(dir.resolve("images")));
		assertEquals(2, r.dataset().size());
		final Map<String, String> skipped = new TreeMap<>();
		for (final ImportReport.Skipped s : r.report().skipped())
			skipped.put(dir.relativize(Path.of(s.source())).toString(), s.reason());
		assertEquals(List.of("images/a/huge.tif", "images/b/huge.png"), List.copyOf(skipped
			.keySet()));
		assertTrue(skipped.get("images/a/huge.tif").contains("100000 x 100000"), skipped.toString());
	}

	@Test
	void devicesAndPipesAreNotOpened() throws Exception {
		final Path fifo = HostileFiles.fifo(dir.resolve("pipe.png"));
		for (final Path file : List.of(fifo, Files.createSymbolicLink(dir.resolve("link.png"), fifo),
			Path.of("/dev/zero")))
			if (Files.exists(file)) assertTrue(refused(file).contains("not a regular file"), file
				.toString());
	}

	// --- tiny files with hostile headers, written here so that nothing binary is committed

	/** A little-endian TIFF, LZW-compressed (so its size says nothing about its pixels). */
	public static Path tiff(final Path file, final int width, final int height, final int bits)
		throws IOException
	{
		final int entries = 9;
		final ByteBuffer b = ByteBuffer.allocate(8 + 2 + entries * 12 + 4 + 8).order(
			ByteOrder.LITTLE_ENDIAN);
		b.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8).putShort((short) entries);
		final int data = 8 + 2 + entries * 12 + 4;
		final int[][] tags = { { 256, width }, { 257, height }, { 258, bits }, { 259, 5 }, { 262, 1 },
			{ 273, data }, { 277, 1 }, { 278, height }, { 279, 8 } };
		for (final int[] tag : tags)
			b.putShort((short) tag[0]).putShort((short) 4).putInt(1).putInt(tag[1]);
		b.putInt(0);
		return Files.write(file, b.array());
	}

	static Path png(final Path file, final int width, final int height) throws IOException {
		final ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.write(new byte[] { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' });
		chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put(
			(byte) 0).put((byte) 0).put((byte) 0).put((byte) 0).array());
		chunk(out, "IDAT", new byte[] { 0x78, (byte) 0x9c, 3, 0, 0, 0, 0, 1 });
		chunk(out, "IEND", new byte[0]);
		return Files.write(file, out.toByteArray());
	}

	private static void chunk(final ByteArrayOutputStream out, final String type, final byte[] data)
		throws IOException
	{
		out.write(ByteBuffer.allocate(4).putInt(data.length).array());
		final byte[] t = type.getBytes(StandardCharsets.US_ASCII);
		out.write(t);
		out.write(data);
		final CRC32 crc = new CRC32();
		crc.update(t);
		crc.update(data);
		out.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
	}

	/** 65535 x 65535, the largest a GIF can declare: 4.3 billion pixels. */
	static Path gif(final Path file) throws IOException {
		final ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
		b.put("GIF89a".getBytes(StandardCharsets.US_ASCII)).putShort((short) -1).putShort((short) -1)
			.put((byte) 0).put((byte) 0).put((byte) 0);
		b.put((byte) 0x2c).putShort((short) 0).putShort((short) 0).putShort((short) -1).putShort(
			(short) -1).put((byte) 0).put((byte) 8).put((byte) 2).put((byte) 0x4c).put((byte) 0x01).put(
				(byte) 0).put((byte) 0x3b);
		return Files.write(file, java.util.Arrays.copyOf(b.array(), b.position()));
	}

	/** 20 000 x 20 000 RGB: 400 million pixels (ImageIO's BMP reader refuses larger ones itself). */
	static Path bmp(final Path file) throws IOException {
		final ByteBuffer b = ByteBuffer.allocate(54 + 4).order(ByteOrder.LITTLE_ENDIAN);
		b.put((byte) 'B').put((byte) 'M').putInt(Integer.MAX_VALUE).putInt(0).putInt(54);
		b.putInt(40).putInt(20_000).putInt(20_000).putShort((short) 1).putShort((short) 24).putInt(
			0).putInt(0).putInt(2835).putInt(2835).putInt(0).putInt(0);
		return Files.write(file, b.array());
	}

	/**
	 * A baseline frame header of 60 000 x 60 000 (libjpeg refuses more than 65 500), 3
	 * components, and a scan header; no data.
	 */
	static Path jpeg(final Path file) throws IOException {
		final ByteBuffer b = ByteBuffer.allocate(64);
		b.putShort((short) 0xffd8);
		b.putShort((short) 0xffc0).putShort((short) 17).put((byte) 8).putShort((short) 60_000)
			.putShort((short) 60_000).put((byte) 3);
		for (int c = 1; c <= 3; c++)
			b.put((byte) c).put((byte) 0x11).put((byte) 0);
		b.putShort((short) 0xffda).putShort((short) 12).put((byte) 3);
		for (int c = 1; c <= 3; c++)
			b.put((byte) c).put((byte) 0);
		b.put((byte) 0).put((byte) 63).put((byte) 0);
		b.putShort((short) 0xffd9);
		return Files.write(file, java.util.Arrays.copyOf(b.array(), b.position()));
	}
}
