package io.deepclass.ij.input;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ij.ImagePlus;
import ij.io.FileSaver;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.ShortProcessor;

import io.deepclass.core.data.Dataset;
import io.deepclass.core.data.DatasetException;
import io.deepclass.core.data.FolderReader;
import io.deepclass.core.data.ImageShape;
import io.deepclass.core.data.ImportResult;
import io.deepclass.ij.bridge.MacroHarness;

class FolderReaderTest {

	@TempDir
	Path root;

	private final FolderReader reader = new FolderReader(new IjImageDecoder(), new ImageShape(1, 4,
		4));

	@Test
	void readsEveryFormatAndBitDepthSkippingCorruptFilesWithoutTouchingThem() throws IOException {
		final Path a = Files.createDirectories(root.resolve("alpha"));
		final Path b = Files.createDirectories(root.resolve("beta"));
		saveTiff(new ImagePlus("s16", filled(new ShortProcessor(4, 4), 4000)), a.resolve("a16.tif"));
		saveTiff(new ImagePlus("f32", filled(new FloatProcessor(4, 4), -1.5)), a.resolve("a32.tif"));
		new FileSaver(new ImagePlus("png", filled(new ByteProcessor(8, 8), 100))).saveAsPng(a.resolve(
			"a8.png").toString());
		final ColorProcessor rgb = new ColorProcessor(4, 4);
		rgb.setColor(new java.awt.Color(30, 60, 90));
		rgb.fill();
		new FileSaver(new ImagePlus("rgb", rgb)).saveAsBmp(b.resolve("b-rgb.bmp").toString());
		new FileSaver(new ImagePlus("gif", filled(new ByteProcessor(4, 4), 7))).saveAsGif(b.resolve(
			"b.gif").toString());
		new FileSaver(new ImagePlus("jpg", filled(new ByteProcessor(4, 4), 128))).saveAsJpeg(b
			.resolve("b.jpg").toString());
		final Path corrupt = b.resolve("broken.tif");
		Files.write(corrupt, new byte[] { 'I', 'I', 42, 0, 1, 2, 3 });
		final Path empty = b.resolve("empty.png");
		Files.createFile(empty);
		Files.writeString(b.resolve(".DS_Store"), "hidden files are ignored");

		final ImportResult result = reader.read(root);
		final Dataset d = result.dataset();
		assertEquals(List.of("alpha", "beta"), d.classNames());
		assertEquals(6, d.size());
		assertArrayEquals(new int[] { 3, 3 }, result.report().classCounts());
		assertEquals(new ImageShape(1, 4, 4), d.shape());
		// name order: a16.tif, a32.tif, a8.png, then b-rgb.bmp, b.gif, b.jpg
		assertTrue(d.source(0).endsWith("a16.tif"));
		assertEquals(4000f, d.image(0)[5], "16-bit values kept as stored");
		assertEquals(-1.5f, d.image(1)[5], "32-bit values kept as stored");
		assertEquals(100f, d.image(2)[5], 1e-4, "8x8 resized to 4x4 keeps a flat value");
		assertEquals(60f, d.image(3)[5], 1e-4, "RGB to gray is the channel mean");
		assertEquals(7f, d.image(4)[0], "GIF");
		assertEquals(128f, d.image(5)[0], 3f, "JPEG (lossy)");

		assertEquals(2, result.report().skipped().size());
		assertTrue(result.report().skipped().stream().anyMatch(s -> s.source().endsWith(
			"broken.tif")));
		assertTrue(result.report().skipped().stream().anyMatch(s -> s.source().endsWith(
			"empty.png") && s.reason().contains("empty")));
		assertTrue(Files.exists(corrupt) && Files.exists(empty), "skipped files are never deleted");
	}

	@Test
	void keepsTheFirstImagesShapeWithoutATarget() throws IOException {
		final Path a = Files.createDirectories(root.resolve("a"));
		final Path b = Files.createDirectories(root.resolve("b"));
		final ColorProcessor rgb = new ColorProcessor(6, 5);
		new FileSaver(new ImagePlus("rgb", rgb)).saveAsPng(a.resolve("1.png").toString());
		new FileSaver(new ImagePlus("g", new ByteProcessor(3, 3))).saveAsPng(b.resolve("1.png")
			.toString());
		final Dataset d = new FolderReader(new IjImageDecoder(), null).read(root).dataset();
		assertEquals(new ImageShape(3, 5, 6), d.shape());
	}

	@Test
	void explainsUnusableFolders() throws IOException {
		assertMessage(root.resolve("missing"), "is not a folder");
		assertMessage(root, "has no sub-folders");
		final Path only = Files.createDirectories(root.resolve("only"));
		new FileSaver(new ImagePlus("g", new ByteProcessor(4, 4))).saveAsPng(only.resolve("1.png")
			.toString());
		assertMessage(root, "single class ('only')");
		final Path other = Files.createDirectories(root.resolve("other"));
		Files.writeString(other.resolve("notes.txt"), "not an image");
		assertMessage(root, "class other has no readable images");
	}

	@Test
	void saysSoWhenNothingIsReadable() throws IOException {
		for (final String name : new String[] { "x", "y" }) {
			final Path dir = Files.createDirectories(root.resolve(name));
			Files.writeString(dir.resolve("bad.png"), "garbage");
		}
		assertMessage(root, "no images could be read");
	}

	private void assertMessage(final Path folder, final String expected) {
		final DatasetException e = assertThrows(DatasetException.class, () -> reader.read(folder));
		assertTrue(e.getMessage().contains(expected), e.getMessage());
	}

	private static ij.process.ImageProcessor filled(final ij.process.ImageProcessor ip,
		final double value)
	{
		ip.setValue(value);
		ip.fill();
		return ip;
	}

	private static void saveTiff(final ImagePlus imp, final Path file) {
		new FileSaver(imp).saveAsTiff(file.toString());
	}

	/**
	 * A file deleted and another rewritten while the folder is read (by a decoder that does it
	 * when it opens the first file): the deleted one is skipped with its reason, the others are
	 * read, and no file the reader saw is changed by it.
	 */
	@Test
	void filesThatVanishOrChangeDuringImportAreSkippedOrReadAndNothingIsTouched()
		throws IOException
	{
		final Path folder = MacroHarness.stripesFolder(root.resolve("images"), 24, 8, 3, false);
		final java.util.List<Path> files;
		try (var walk = Files.walk(folder)) {
			files = walk.filter(Files::isRegularFile).sorted().toList();
		}
		final Path vanishing = files.get(5), changing = files.get(9);
		final java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
		final IjImageDecoder ij = new IjImageDecoder();
		final FolderReader sabotaged = new FolderReader(file -> {
			if (done.compareAndSet(false, true)) {
				Files.delete(vanishing);
				Files.write(changing, Files.readAllBytes(files.get(0))); // another valid image
			}
			return ij.decode(file);
		}, new ImageShape(1, 8, 8));
		final java.util.Map<Path, String> before = new java.util.HashMap<>();
		for (final Path p : files)
			if (!p.equals(vanishing) && !p.equals(changing)) before.put(p, sha256(p));
		final ImportResult r = sabotaged.read(folder);
		assertEquals(23, r.dataset().size());
		assertEquals(1, r.report().skipped().size());
		assertEquals(vanishing.toString(), r.report().skipped().get(0).source());
		for (final var e : before.entrySet())
			assertEquals(e.getValue(), sha256(e.getKey()), "unchanged: " + e.getKey());
	}

	private static String sha256(final Path file) throws IOException {
		try {
			return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
				.digest(Files.readAllBytes(file)));
		}
		catch (final java.security.NoSuchAlgorithmException e) {
			throw new IllegalStateException(e);
		}
	}
}
