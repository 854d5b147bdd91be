package io.deepclass.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.module.ModuleFinder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.util.FileUtils;

/** DeepClass's update site: layout, sizes per platform, Fiji's jars left out, installation. */
@Tag("site")
class UpdateSiteTest {

	private static final long MB = 1_000_000;

	@TempDir
	Path dir;

	@Test
	void nativesInPlatformFoldersFilesStoredWithTimestamps() throws IOException {
		final Path site = TestSites.deepClassSite();
		final List<SiteFile> files = TestSites.index(site);
		assertTrue(files.stream().anyMatch(f -> f.filename().matches(
			"plugins/DeepClass_-[^/]+\\.jar")), "the plugin jar");
		for (final SiteFile f : files) {
			final Path stored = site.resolve(f.current().sitePath());
			assertTrue(Files.isRegularFile(stored), stored.toString());
			assertEquals(f.current().filesize(), Files.size(stored), f.filename());
			assertEquals(f.current().checksum(), UpdaterChecksums.of(f.filename(), stored), f
				.filename());
			final boolean isNative = f.filename().matches(".*-(linux|windows|macosx)-[a-z0-9_-]+\\.jar");
			if (isNative) assertEquals(List.of(f.filename().split("/")[1]), f.platforms(), f
				.filename());
			else assertEquals(List.of(), f.platforms(), f.filename());
		}
		assertEquals(Set.of("linux64", "win64", "macos64", "macos-arm64"), files.stream().flatMap(
			f -> f.platforms().stream()).collect(Collectors.toSet()));
	}

	@Test
	void downloadsPerPlatform() throws IOException {
		final Map<String, Long> sizes = UpdateSiteBuilder.downloadSizes(TestSites.index(TestSites
			.deepClassSite()));
		assertTrue(sizes.get("linux64") <= 200 * MB, sizes.toString());
		assertTrue(sizes.get("macos-arm64") <= 100 * MB, sizes.toString());
		assertTrue(sizes.get("win64") <= 200 * MB, sizes.toString());
		assertTrue(sizes.get("macos64") <= 200 * MB, sizes.toString());
	}

	/** A site's file shadows Fiji's of the same name without version: none may have one. */
	@Test
	void noFileTakesTheNameOfOneFijiShips() throws IOException {
		final FijiJars fiji = FijiJars.fromLocalRepository();
		assertTrue(fiji.version("net.java.dev.jna", "jna").isPresent());
		for (final SiteFile f : TestSites.index(TestSites.deepClassSite())) {
			final String unversioned = FileUtils.stripFilenameVersion(f.filename());
			final String name = unversioned.substring(unversioned.lastIndexOf('/') + 1).replace(
				".jar", "");
			for (final String group : List.of("net.java.dev.jna", "net.imglib2", "org.scijava",
				"com.google.code.gson", "com.google.guava", "org.apache.commons", "commons-io",
				"commons-codec", "org.slf4j", "org.yaml", "org.threeten", "net.imagej"))
				assertFalse(fiji.version(group, name).isPresent(), f.filename() + " is Fiji's");
		}
	}

	@Test
	void installsLinuxFilesVerified() throws IOException {
		final Path fiji = dir.resolve("Fiji");
		final List<String> installed = SiteInstaller.install(TestSites.deepClassSite().toUri(),
			"linux64", fiji);
		assertTrue(installed.contains("plugins/DeepClass_-0.1.0.jar") || installed.stream().anyMatch(
			f -> f.startsWith("plugins/DeepClass_-")), installed.toString());
		assertTrue(installed.stream().anyMatch(f -> f.startsWith("jars/linux64/nd4j-native-")));
		assertFalse(installed.stream().anyMatch(f -> f.contains("win64") || f.contains("macos")));
		assertFalse(Files.exists(fiji.resolve("jars/win64")));
		for (final String f : installed)
			assertTrue(Files.isRegularFile(fiji.resolve(f)), f);
		// Fiji's launcher puts jars/linux64 on the module path too: its jars must resolve there
		assertFalse(ModuleFinder.of(fiji.resolve("jars/linux64")).findAll().isEmpty());
	}

	@Test
	void changedOrMissingFileFailsTheInstallation() throws IOException {
		final Path site = TestSites.deepClassSite();
		final Path copy = dir.resolve("site");
		final List<SiteFile> files = TestSites.index(site);
		final SiteFile plugin = files.stream().filter(f -> f.filename().startsWith("plugins/"))
			.findFirst().orElseThrow();
		Files.createDirectories(copy);
		Files.copy(site.resolve("db.xml.gz"), copy.resolve("db.xml.gz"));
		for (final SiteFile f : files) {
			final Path target = copy.resolve(f.current().sitePath());
			Files.createDirectories(target.getParent());
			if (f == plugin) Files.copy(site.resolve(f.current().sitePath()), target);
			else Files.createLink(target, site.resolve(f.current().sitePath()));
		}
		final Path stored = copy.resolve(plugin.current().sitePath());
		final byte[] bytes = Files.readAllBytes(stored);
		// same size, one byte of a class's compressed data changed (not of a header, a timestamp or
		// the manifest, which the updater's checksum leaves out: the jar's middle byte was one)
		bytes[classDataByte(stored, bytes)] ^= 0x5a;
		Files.write(stored, bytes);
		final IOException changed = assertThrows(IOException.class, () -> SiteInstaller.install(copy
			.toUri(), "linux64", dir.resolve("Fiji1")));
		assertTrue(changed.getMessage().startsWith(plugin.filename()), changed.getMessage());
		assertFalse(Files.exists(dir.resolve("Fiji1").resolve(plugin.filename())));
		Files.delete(stored);
		final IOException missing = assertThrows(IOException.class, () -> SiteInstaller.install(copy
			.toUri(), "linux64", dir.resolve("Fiji2")));
		assertTrue(missing.getMessage().contains(plugin.current().sitePath()), missing.getMessage());
	}

	/** The middle byte of the compressed data of the jar's largest .class entry. */
	private static int classDataByte(final Path jar, final byte[] bytes) throws IOException {
		java.util.zip.ZipEntry largest = null;
		try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(jar.toFile())) {
			for (final var e : java.util.Collections.list(zip.entries()))
				if (e.getName().endsWith(".class") && (largest == null || e.getCompressedSize() > largest
					.getCompressedSize())) largest = e;
		}
		assertTrue(largest != null && largest.getCompressedSize() > 16, "a class to damage");
		final byte[] name = largest.getName().getBytes(java.nio.charset.StandardCharsets.UTF_8);
		for (int at = 0; at + 30 + name.length <= bytes.length; at++) {
			// a local file header: PK 3 4, the name at offset 30, its length at 26, the extra's at 28
			if (bytes[at] != 'P' || bytes[at + 1] != 'K' || bytes[at + 2] != 3 || bytes[at + 3] != 4)
				continue;
			final int nameLength = (bytes[at + 26] & 0xff) | (bytes[at + 27] & 0xff) << 8;
			final int extraLength = (bytes[at + 28] & 0xff) | (bytes[at + 29] & 0xff) << 8;
			if (nameLength == name.length && java.util.Arrays.equals(bytes, at + 30, at + 30 +
				nameLength, name, 0, nameLength)) return at + 30 + nameLength + extraLength + (int) (largest
					.getCompressedSize() / 2);
		}
		throw new AssertionError("no local header for " + largest.getName());
	}
}
