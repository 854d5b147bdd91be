package io.deepclass.core;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The hidden temporary file a result is written to before it is renamed into place
 * ({@code .<name><digits><suffix>} beside it). Unlike {@link Files#createTempFile}, which makes
 * files only their owner can read, it gets the permissions any new file of the user gets (the
 * umask): a model or export written for colleagues on a shared server stays readable by them.
 * {@link #writeAtomically} is the whole pattern: a reader of the target sees the old file or
 * the new one, never a part, even after a kill or a power cut.
 */
public final class TemporaryFiles {

	private TemporaryFiles() {}

	public static Path beside(final Path target, final String suffix) throws IOException {
		final Path dir = target.toAbsolutePath().getParent();
		for (int attempt = 0;; attempt++) {
			final Path temp = dir.resolve("." + target.getFileName() + Long.toUnsignedString(
				ThreadLocalRandom.current().nextLong()) + suffix);
			try {
				return Files.createFile(temp);
			}
			catch (final FileAlreadyExistsException e) {
				if (attempt > 100) throw e;
			}
		}
	}

	/** Writes a file's content to a stream. */
	@FunctionalInterface
	public interface Content {
		void writeTo(OutputStream out) throws IOException;
	}

	/**
	 * Writes {@code target} through a temporary file beside it: written, pushed to the disk,
	 * renamed over the target (atomically where the file system can), the folder pushed too.
	 * On any failure the temporary file is deleted and the target is as it was.
	 */
	public static void writeAtomically(final Path target, final String suffix,
		final Content content) throws IOException
	{
		final Path file = target.toAbsolutePath();
		final Path dir = file.getParent();
		if (dir != null) Files.createDirectories(dir);
		final Path temp = beside(file, suffix);
		boolean moved = false;
		try {
			try (OutputStream out = Files.newOutputStream(temp)) {
				content.writeTo(out);
			}
			try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
				channel.force(true);
			}
			try {
				Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			}
			catch (final AtomicMoveNotSupportedException e) {
				Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
			}
			moved = true;
			syncDirectory(dir);
		}
		finally {
			if (!moved) try {
				Files.deleteIfExists(temp);
			}
			catch (final IOException e) {
				// the failure that got us here is the one to report
			}
		}
	}

	private static void syncDirectory(final Path dir) {
		if (dir == null) return;
		try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
			channel.force(true);
		}
		catch (final IOException | UnsupportedOperationException e) {
			// the file is written; only its durability across a power cut is not guaranteed
		}
	}

	/**
	 * Deletes the files in {@code folder} matching {@code glob} that no process holds a lock on:
	 * the leftovers of killed JVMs, whose files (image caches, epoch snapshots) are locked for as
	 * long as they are in use. Best effort: a sweep that fails leaves files the next may take.
	 */
	public static void removeUnlocked(final Path folder, final String glob) {
		try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, glob)) {
			for (final Path f : files) {
				try (FileChannel c = FileChannel.open(f, StandardOpenOption.WRITE)) {
					final FileLock lock = c.tryLock();
					if (lock == null) continue; // another JVM's
					lock.release();
				}
				catch (final OverlappingFileLockException e) {
					continue; // this JVM's
				}
				Files.deleteIfExists(f);
			}
		}
		catch (final IOException | RuntimeException e) {
			// a sweep that fails leaves files that the next one may take
		}
	}
}
