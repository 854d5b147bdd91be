package io.deepclass.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.scijava.util.FileUtils;

/**
 * Checks the site against a real Fiji installation, where one is at hand:
 * {@code -Ddeepclass.fijiApp=/path/to/Fiji.app} (with {@code -Dgroups=site} and
 * {@code -Ddeepclass.site=target/update-site}). Every jar the site leaves to Fiji must be in that
 * Fiji's {@code jars/}, and no file of the site may have the name (without version) of a file
 * Fiji has, which the site would shadow.
 */
class RealFijiTest {

	@Test
	@Tag("manual") // run with its property; excluded by default, so CI counts no skip
	@EnabledIfSystemProperty(named = "deepclass.fijiApp", matches = ".+")
	void siteFitsARealFiji() throws IOException {
		final Path fiji = Path.of(System.getProperty("deepclass.fijiApp"));
		final Set<String> fijiFiles;
		try (Stream<Path> walk = Files.walk(fiji.resolve("jars"), 2)) {
			fijiFiles = walk.filter(p -> p.toString().endsWith(".jar")).map(p -> FileUtils
				.stripFilenameVersion(fiji.relativize(p).toString().replace('\\', '/'))).collect(
					Collectors.toSet());
		}
		final Path site = TestSites.deepClassSite();
		final List<String> shadowing = new ArrayList<>();
		for (final SiteFile f : TestSites.index(site))
			if (fijiFiles.contains(FileUtils.stripFilenameVersion(f.filename()))) shadowing.add(f
				.filename());
		assertEquals(List.of(), shadowing, "site files that would shadow Fiji's");
		final Path list = site.resolveSibling(site.getFileName() + "-fiji-jars.txt");
		final List<String> missing = new ArrayList<>();
		for (final String coordinates : Files.readAllLines(list)) {
			final String artifact = coordinates.split(":")[1];
			if (!fijiFiles.contains("jars/" + artifact + ".jar")) missing.add(coordinates);
		}
		assertTrue(missing.isEmpty(), "left to Fiji but not in " + fiji + ": " + missing);
	}
}
