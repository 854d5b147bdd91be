package io.deepclass.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.util.FileUtils;

class UpdaterChecksumsTest {

	@TempDir
	Path dir;

	@Test
	void jarChecksumDigestsSortedEntriesWithoutPropertiesCommentsAndManifest() throws Exception {
		final Path jar = jar("a.jar", "Sun Dec 06 16:00:00 UTC 2026", "Built-By: alice", "B");
		final MessageDigest expected = MessageDigest.getInstance("SHA-1");
		for (final String part : List.of("META-INF/MANIFEST.MF", "a/pom.properties",
			"\n\nversion=1\n", "b.txt", "B"))
			expected.update(part.getBytes(StandardCharsets.US_ASCII));
		assertEquals(HexFormat.of().formatHex(expected.digest()), UpdaterChecksums.of(
			"jars/a-1.jar", jar));
	}

	@Test
	void rebuiltJarKeepsItsChecksumChangedContentChangesIt() throws Exception {
		final String first = UpdaterChecksums.jar(jar("1.jar", "Mon", "Built-By: alice", "B"));
		assertEquals(first, UpdaterChecksums.jar(jar("2.jar", "Tue", "Built-By: bob", "B")));
		assertNotEquals(first, UpdaterChecksums.jar(jar("3.jar", "Mon", "Built-By: alice", "C")));
	}

	@Test
	void otherFilesDigestTheirPathAndBytes() throws Exception {
		final Path file = Files.writeString(dir.resolve("m.ijm"), "print(1);");
		final MessageDigest expected = MessageDigest.getInstance("SHA-1");
		expected.update("macros/m.ijm".getBytes(StandardCharsets.US_ASCII));
		expected.update("print(1);".getBytes(StandardCharsets.US_ASCII));
		assertEquals(HexFormat.of().formatHex(expected.digest()), UpdaterChecksums.of("macros/m.ijm",
			file));
		assertNotEquals(UpdaterChecksums.of("macros/m.ijm", file), UpdaterChecksums.of(
			"scripts/m.ijm", file));
	}

	@Test
	void commentLinesAsTheUpdaterSeesThem() {
		final Map<String, String> cases = Map.of( //
			"#date\nk=v\n", "\nk=v\n", //
			"k=v\n#c\n", "k=v\n\n", //
			"\n#c\n", "\n#c\n", // after an empty line no line start is seen
			"#\n#c\n", "\n#c\n", // nor after a lone '#'
			"#a\n#b\nk=v", "\n\nk=v", //
			"##x\nk", "\nk");
		cases.forEach((in, out) -> assertEquals(out, new String(UpdaterChecksums.withoutComments(in
			.getBytes(StandardCharsets.US_ASCII)), StandardCharsets.US_ASCII), in));
	}

	/**
	 * Every file a real update site stores ({@code <path>-<timestamp>}) against the checksum its
	 * {@code db.xml.gz} records for it: {@code -Ddeepclass.realSite=<a site's folder>}, e.g. a
	 * checkout of github.com/MicronOxford/SIMcheck-update-site.
	 */
	@Test
	@Tag("manual") // run with its property; excluded by default, so CI counts no skip
	@EnabledIfSystemProperty(named = "deepclass.realSite", matches = ".+")
	void equalsARealSitesChecksums() throws IOException {
		final Path site = Path.of(System.getProperty("deepclass.realSite"));
		final List<SiteFile> db;
		try (InputStream in = Files.newInputStream(site.resolve("db.xml.gz"))) {
			db = DbXml.read(in);
		}
		int compared = 0;
		try (var walk = Files.walk(site)) {
			for (final Path file : walk.filter(Files::isRegularFile).toList()) {
				final String stored = site.relativize(file).toString();
				if (stored.equals("db.xml.gz") || stored.startsWith(".git")) continue;
				final int dash = stored.lastIndexOf('-');
				final String path = stored.substring(0, dash);
				final long timestamp = Long.parseLong(stored.substring(dash + 1));
				final String recorded = recorded(db, path, timestamp);
				assertEquals(recorded, UpdaterChecksums.of(path, file), stored);
				compared++;
			}
		}
		assertTrue(compared > 0, "no files in " + site);
	}

	private static String recorded(final List<SiteFile> db, final String path,
		final long timestamp)
	{
		final String unversioned = FileUtils.stripFilenameVersion(path);
		for (final SiteFile f : db) {
			if (f.current() != null && f.current().timestamp() == timestamp && FileUtils
				.stripFilenameVersion(f.filename()).equals(unversioned)) return f.current().checksum();
			for (final SiteFile.Version v : f.previous())
				if (v.timestamp() == timestamp && (FileUtils.stripFilenameVersion(v.filename()).equals(
					unversioned) || FileUtils.stripFilenameVersion(f.filename()).equals(unversioned)))
					return v.checksum();
		}
		throw new AssertionError(path + "-" + timestamp + " is not in the site's db.xml.gz");
	}

	/** A jar as Maven writes one: manifest, pom.properties with the build date, a class. */
	private Path jar(final String name, final String date, final String builtBy,
		final String content) throws IOException
	{
		final Path jar = dir.resolve(name);
		try (OutputStream file = Files.newOutputStream(jar);
				ZipOutputStream zip = new ZipOutputStream(file))
		{
			put(zip, "b.txt", content);
			put(zip, "META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\n" + builtBy + "\r\n\r\n");
			put(zip, "a/pom.properties", "#Generated by Maven\n#" + date + "\nversion=1\n");
		}
		return jar;
	}

	private static void put(final ZipOutputStream zip, final String name, final String content)
		throws IOException
	{
		zip.putNextEntry(new ZipEntry(name));
		zip.write(content.getBytes(StandardCharsets.US_ASCII));
		zip.closeEntry();
	}
}
