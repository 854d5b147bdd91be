package io.deepclass.core.bundle;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/** Model files as bytes, and zip archives made and edited entry by entry, for the file tests. */
final class ZipBytes {

	private ZipBytes() {}

	static final long FIXED_TIME = 1_716_000_000_000L;

	static Map<String, byte[]> ordered(final Object... namesAndContents) {
		final Map<String, byte[]> entries = new LinkedHashMap<>();
		for (int i = 0; i < namesAndContents.length; i += 2)
			entries.put((String) namesAndContents[i], (byte[]) namesAndContents[i + 1]);
		return entries;
	}

	static byte[] zip(final Map<String, byte[]> entries) throws IOException {
		final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
			for (final Map.Entry<String, byte[]> e : entries.entrySet()) {
				final ZipEntry entry = new ZipEntry(e.getKey());
				entry.setTime(FIXED_TIME);
				zip.putNextEntry(entry);
				zip.write(e.getValue());
				zip.closeEntry();
			}
		}
		return bytes.toByteArray();
	}

	static byte[] replace(final byte[] zipBytes, final String name, final byte[] content)
		throws IOException
	{
		final Map<String, byte[]> entries = new LinkedHashMap<>();
		final Path temp = Files.createTempFile("fuzz", ".zip");
		try {
			Files.write(temp, zipBytes);
			try (ZipFile zip = new ZipFile(temp.toFile())) {
				for (final ZipEntry e : java.util.Collections.list(zip.entries()))
					try (InputStream in = zip.getInputStream(e)) {
						entries.put(e.getName(), e.getName().equals(name) ? content : in.readAllBytes());
					}
			}
		}
		finally {
			Files.delete(temp);
		}
		return zip(entries);
	}

	static byte[] entry(final byte[] zipBytes, final String name) throws IOException {
		final Path temp = Files.createTempFile("fuzz", ".zip");
		try {
			Files.write(temp, zipBytes);
			try (ZipFile zip = new ZipFile(temp.toFile()); InputStream in = zip.getInputStream(zip
				.getEntry(name)))
			{
				return in.readAllBytes();
			}
		}
		finally {
			Files.delete(temp);
		}
	}

	static byte[] bytes(final ModelBundle bundle) throws IOException {
		final Path temp = Files.createTempFile("fuzz", ".zip");
		try {
			ModelFiles.save(bundle, temp);
			return Files.readAllBytes(temp);
		}
		finally {
			Files.delete(temp);
		}
	}
}
