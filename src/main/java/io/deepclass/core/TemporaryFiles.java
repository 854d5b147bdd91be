package io.deepclass.core;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The hidden temporary file a result is written to before it is renamed into place
 * ({@code .<name><digits><suffix>} beside it). Unlike {@link Files#createTempFile}, which makes
 * files only their owner can read, it gets the permissions any new file of the user gets (the
 * umask): a model or export written for colleagues on a shared server stays readable by them.
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
}
