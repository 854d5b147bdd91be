package io.deepclass.core;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Files that a careless or hostile user could hand DeepClass, made by the tests themselves:
 * named pipes, huge sparse files (a gigabyte that takes no disk space and no time to make), and
 * a way to measure the memory a piece of work allocates.
 */
public final class HostileFiles {

	private HostileFiles() {}

	/** A named pipe at {@code path} (the test is skipped where mkfifo is missing). */
	public static Path fifo(final Path path) throws IOException, InterruptedException {
		int exit;
		try {
			exit = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start().waitFor();
		}
		catch (final IOException e) {
			exit = -1;
		}
		assumeTrue(exit == 0 && Files.exists(path), "mkfifo is needed for this test");
		return path;
	}

	/** {@code head} followed by zero bytes up to {@code size} (sparse: no disk space used). */
	public static Path sparse(final Path path, final byte[] head, final long size)
		throws IOException
	{
		try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
			file.write(head);
			file.setLength(size);
		}
		return path;
	}

	/** Bytes allocated by the current thread so far (HotSpot), or -1 where not known. */
	public static long allocated() {
		if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean bean)
			return bean.getThreadAllocatedBytes(Thread.currentThread().getId());
		return -1;
	}

	/** The names in {@code folder}, sorted: to show that nothing was written next to an input. */
	public static List<String> names(final Path folder) throws IOException {
		try (Stream<Path> files = Files.list(folder)) {
			return files.map(p -> p.getFileName().toString()).sorted().toList();
		}
	}

	/** Asserts that {@code message} is one line holding each of {@code parts}. */
	public static void assertOneLine(final String message, final String... parts) {
		org.junit.jupiter.api.Assertions.assertFalse(message.contains("\n"), message);
		for (final String part : parts)
			org.junit.jupiter.api.Assertions.assertTrue(message.contains(part), "'" + part + "' in: " +
				message);
	}
}
