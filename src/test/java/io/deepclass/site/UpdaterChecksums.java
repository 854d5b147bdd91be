package io.deepclass.site;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The checksum Fiji's updater (imagej-updater) records for a file in {@code db.xml.gz} and checks
 * after every download. Written from the updater's public sources (its {@code UpdaterUtil},
 * {@code SkipHashedLines}, {@code FilterManifest}), not copied:
 * <ul>
 * <li>any file but a jar: SHA-1 of its path in the Fiji folder (ASCII) followed by its bytes;</li>
 * <li>a jar: SHA-1 over its entries sorted by name, each entry's name (ASCII) followed by its
 * content, where {@code .properties} files lose their comment lines (the build date Maven writes
 * into {@code pom.properties}) and {@code META-INF/MANIFEST.MF} contributes nothing. (The updater
 * means to keep a manifest's {@code Main-Class} line, but it compares an upper-cased line with
 * "Main-Class:", which never matches, so it keeps none.) A rebuilt jar with the same classes
 * therefore keeps its checksum.</li>
 * </ul>
 */
final class UpdaterChecksums {

	private UpdaterChecksums() {}

	/** The checksum of {@code file}, installed at {@code path} (e.g. "jars/foo-1.0.jar"). */
	static String of(final String path, final Path file) throws IOException {
		if (path.endsWith(".jar")) return jar(file);
		final MessageDigest sha1 = sha1();
		sha1.update(path.getBytes(StandardCharsets.US_ASCII));
		sha1.update(Files.readAllBytes(file));
		return HexFormat.of().formatHex(sha1.digest());
	}

	/** The checksum of a jar file, whatever its path. */
	static String jar(final Path file) throws IOException {
		final MessageDigest sha1 = sha1();
		try (JarFile jar = new JarFile(file.toFile())) {
			final List<JarEntry> entries = Collections.list(jar.entries());
			entries.sort(Comparator.comparing(JarEntry::getName));
			for (final JarEntry entry : entries) {
				sha1.update(entry.getName().getBytes(StandardCharsets.US_ASCII));
				if (entry.getName().equals("META-INF/MANIFEST.MF")) continue;
				try (InputStream in = jar.getInputStream(entry)) {
					final byte[] content = in.readAllBytes();
					sha1.update(entry.getName().endsWith(".properties") ? withoutComments(content)
						: content);
				}
			}
		}
		return HexFormat.of().formatHex(sha1.digest());
	}

	/**
	 * A .properties file as the updater digests it: a line that starts with '#' where the updater
	 * sees a line start is reduced to its line break. Its notion of a line start is exact to the
	 * byte: the first byte of the file, and a byte after a '\n' that ended a non-empty, non-comment
	 * line or a comment line with text after the '#'; after an empty line, or a "#" alone on its
	 * line, the next line does not count as starting one.
	 */
	static byte[] withoutComments(final byte[] content) {
		final CommentFilter filter = new CommentFilter(content);
		final ByteArrayOutputStream out = new ByteArrayOutputStream(content.length);
		for (int b = filter.next(); b >= 0; b = filter.next())
			out.write(b);
		return out.toByteArray();
	}

	private static final class CommentFilter {

		private final byte[] in;

		private int position;

		private boolean atLineStart = true;

		CommentFilter(final byte[] in) {
			this.in = in;
		}

		int next() {
			int b = position < in.length ? in[position++] & 0xff : -1;
			if (atLineStart) {
				if (b == '#') {
					do
						b = next();
					while (b != '\n' && b != -1);
				}
				else atLineStart = false;
			}
			else if (b == '\n') atLineStart = true;
			return b;
		}
	}

	private static MessageDigest sha1() {
		try {
			return MessageDigest.getInstance("SHA-1");
		}
		catch (final NoSuchAlgorithmException e) {
			throw new IllegalStateException("every Java runtime has SHA-1", e);
		}
	}
}
