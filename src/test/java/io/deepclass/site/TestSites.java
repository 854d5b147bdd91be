package io.deepclass.site;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/**
 * DeepClass's update site for the tests: the one {@code scripts/update-site.sh} built when
 * {@code -Ddeepclass.site=<folder>} names it, otherwise built once per test run into
 * {@code target/test-update-site} from {@code target/classes} and the runtime class path Maven
 * wrote to {@code target/runtime-classpath.txt}.
 */
final class TestSites {

	static final Path TARGET = Path.of("target");

	private static Path site;

	private TestSites() {}

	static synchronized Path deepClassSite() throws IOException {
		if (site != null) return site;
		final String given = System.getProperty("deepclass.site");
		if (given != null && !given.isBlank()) return site = Path.of(given);
		final Path pluginJar = jarOf(TARGET.resolve("classes"), TARGET.resolve(
			"test-plugin/DeepClass_-test.jar"));
		final Path built = TARGET.resolve("test-update-site");
		BuildUpdateSite.build(pluginJar, "0.1.0", TARGET.resolve("runtime-classpath.txt"), built,
			20260101000000L);
		return site = built;
	}

	static List<SiteFile> index(final Path site) throws IOException {
		try (var in = Files.newInputStream(site.resolve("db.xml.gz"))) {
			return DbXml.read(in);
		}
	}

	/** A jar of a class folder, as the plugin jar is. */
	static Path jarOf(final Path classes, final Path jar) throws IOException {
		Files.createDirectories(jar.getParent());
		try (OutputStream file = Files.newOutputStream(jar);
				JarOutputStream out = new JarOutputStream(file);
				var walk = Files.walk(classes))
		{
			for (final Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
				out.putNextEntry(new JarEntry(classes.relativize(p).toString().replace('\\', '/')));
				Files.copy(p, out);
				out.closeEntry();
			}
		}
		return jar;
	}
}
