package io.deepclass.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static io.deepclass.core.HostileFiles.assertOneLine;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.deepclass.core.HostileFiles;

/**
 * List files and folders that name devices, named pipes or links to them: the list file itself
 * is refused in one line if it is not a regular file or has an endless line; listed or contained
 * entries that are not regular files are skipped with a reason, never opened (opening a pipe
 * would wait forever, reading /dev/zero would never end), while links to regular files, common
 * in a scientist's data folders, keep working.
 */
class HostileListTest {

	static final Duration QUICK = Duration.ofSeconds(10);

	@TempDir
	Path dir;

	private DatasetException refusedList(final Path list) {
		return assertTimeoutPreemptively(QUICK, () -> {
			final long before = HostileFiles.allocated();
			final DatasetException e = assertThrows(DatasetException.class, () -> ImageFiles.inList(
				list));
			assertTrue(HostileFiles.allocated() - before < 64L << 20, "bounded memory");
			return e;
		});
	}

	@Test
	void aNamedPipeAsListFileIsRefusedWithoutWaiting() throws Exception {
		final Path fifo = HostileFiles.fifo(dir.resolve("todo.txt"));
		assertOneLine(refusedList(fifo).getMessage(), "todo.txt", "not a regular file",
			"one image path per line");
		final Path link = Files.createSymbolicLink(dir.resolve("link.txt"), fifo);
		assertOneLine(refusedList(link).getMessage(), "link.txt", "not a regular file");
		assertEquals(List.of("link.txt", "todo.txt"), HostileFiles.names(dir));
	}

	@Test
	void aDeviceAsListFileIsRefused() {
		final Path zero = Path.of("/dev/zero");
		assumeTrue(Files.exists(zero));
		assertOneLine(refusedList(zero).getMessage(), "/dev/zero", "not a regular file");
	}

	@Test
	void aListOfOneEndlessLineIsRefused() throws IOException {
		final Path list = HostileFiles.sparse(dir.resolve("todo.txt"), "a.png\n".getBytes(
			StandardCharsets.UTF_8), 1L << 30);
		assertOneLine(refusedList(list).getMessage(), "todo.txt", "line 2 is longer than 64 KiB");
		assertEquals(List.of("todo.txt"), HostileFiles.names(dir));
	}

	@Test
	void aLineThatIsNoPathIsRefused() throws IOException {
		final Path list = Files.writeString(dir.resolve("todo.txt"), "a.png\nb\0c.png\n");
		assertOneLine(refusedList(list).getMessage(), "todo.txt", "line 2 is not a path");
	}

	@Test
	void listedDevicesAndPipesAreListedNotOpened() throws Exception {
		final Path fifo = HostileFiles.fifo(dir.resolve("pipe.png"));
		final Path real = Files.writeString(dir.resolve("real.png"), "x");
		final Path list = Files.writeString(dir.resolve("todo.txt"), "/dev/zero\npipe.png\n" + real +
			"\nreal.png"); // the last line without a line end, and a duplicate
		final ImageFiles.Listing listing = assertTimeoutPreemptively(QUICK, () -> ImageFiles.inList(
			list));
		assertEquals(List.of(Path.of("/dev/zero"), fifo.toAbsolutePath(), real.toAbsolutePath()),
			listing.files().stream().map(ImageFiles.ImageFile::path).toList());
		assertEquals(1, listing.duplicates());
	}

	/** "Images" read whole, as any decoder does: a pipe or /dev/zero would block or never end. */
	private static final ImageDecoder READS_ALL = file -> {
		final byte[] bytes = Files.readAllBytes(file);
		final float[] pixels = new float[4];
		java.util.Arrays.fill(pixels, bytes.length);
		return new DecodedImage(2, 2, 1, pixels, 8);
	};

	@Test
	void aFolderSkipsDevicesPipesAndBrokenLinksAndFollowsLinksToFiles() throws Exception {
		final Path outside = Files.createDirectories(dir.resolve("elsewhere"));
		final Path images = dir.resolve("images");
		final Path a = Files.createDirectories(images.resolve("a"));
		final Path b = Files.createDirectories(images.resolve("b"));
		Files.writeString(a.resolve("1.png"), "x");
		Files.createSymbolicLink(a.resolve("2.png"), Files.writeString(outside.resolve("real.png"),
			"xx"));
		final Path fifo = HostileFiles.fifo(a.resolve("3.png"));
		Files.createSymbolicLink(a.resolve("4.png"), fifo);
		Files.writeString(b.resolve("5.png"), "xxx");
		Files.createSymbolicLink(b.resolve("6.png"), outside.resolve("gone.png"));
		final boolean zero = Files.exists(Path.of("/dev/zero"));
		if (zero) Files.createSymbolicLink(b.resolve("7.png"), Path.of("/dev/zero"));
		final ImportResult r = assertTimeoutPreemptively(QUICK, () -> new FolderReader(READS_ALL,
			null).read(images));
		assertEquals(3, r.dataset().size(), "1.png, the link 2.png to a file, 5.png");
		assertEquals(2, r.dataset().image(1)[0], "2.png read through its link");
		final Map<String, String> skipped = new TreeMap<>();
		for (final ImportReport.Skipped s : r.report().skipped())
			skipped.put(images.relativize(Path.of(s.source())).toString(), s.reason());
		assertEquals(zero ? List.of("a/3.png", "a/4.png", "b/6.png", "b/7.png") : List.of("a/3.png",
			"a/4.png", "b/6.png"), List.copyOf(skipped.keySet()));
		assertOneLine(skipped.get("a/3.png"), "not a regular file", "not read");
		assertEquals(List.of("1.png", "2.png", "3.png", "4.png"), HostileFiles.names(a));
	}
}
