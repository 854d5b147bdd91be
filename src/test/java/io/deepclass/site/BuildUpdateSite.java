package io.deepclass.site;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Builds the update site from a packaged DeepClass: {@code scripts/update-site.sh} runs it as
 * {@code BuildUpdateSite <plugin jar> <version> <runtime class path file> <site folder>
 * [<published db.xml.gz>]} (the class path file as {@code mvn dependency:build-classpath
 * -DincludeScope=runtime} writes it). With the published site's index, its versions become the
 * new index's previous versions and files no longer shipped are marked obsolete
 * ({@link SiteHistory}), so that Fiji updates installed copies. Prints what each platform downloads, and writes beside the site
 * {@code <site>-fiji-jars.txt}: the coordinates of Fiji's versions of the jars DeepClass takes
 * from Fiji, which the Fiji-layout test runs against.
 */
public final class BuildUpdateSite {

	private BuildUpdateSite() {}

	public static void main(final String[] args) throws IOException {
		final PrintStream out = System.out;
		if (args.length != 4 && args.length != 5) {
			out.println("usage: BuildUpdateSite <plugin jar> <version> <class path file> <site folder> " +
				"[<published db.xml.gz>]");
			System.exit(2);
		}
		final Path site = Path.of(args[3]);
		final Report report = build(Path.of(args[0]), args[1], Path.of(args[2]), site,
			UpdateSiteBuilder.timestamp(ZonedDateTime.now()));
		if (args.length == 5) {
			final List<SiteFile> published;
			try (var in = Files.newInputStream(Path.of(args[4]))) {
				published = DbXml.read(in);
			}
			try (var db = Files.newOutputStream(site.resolve("db.xml.gz"))) {
				DbXml.write(SiteHistory.merge(report.files(), published), db);
			}
			out.println("db.xml.gz carries the history of " + args[4]);
		}
		report.print(out);
	}

	/** What was built: the index, the jars left to Fiji, the builds left out. */
	record Report(List<SiteFile> files, UpdateSiteBuilder.Plan plan) {

		void print(final PrintStream out) {
			out.println("update site: " + files.size() + " files");
			UpdateSiteBuilder.downloadSizes(files).forEach((platform, bytes) -> out.printf(
				"  %-12s downloads %6.1f MB%n", platform, bytes / 1e6));
			out.println("taken from Fiji (not on the site), DeepClass's version -> Fiji's:");
			for (final UpdateSiteBuilder.FijiProvided f : plan.fromFiji())
				out.println("  " + f.jar().groupId() + ":" + f.jar().artifactId() + " " + f.jar()
					.version() + " -> " + f.fijiVersion());
			for (final MavenJar jar : plan.leftOut())
				out.println("left out: " + jar.coordinates());
		}
	}

	static Report build(final Path pluginJar, final String version, final Path classPathFile,
		final Path site, final long timestamp) throws IOException
	{
		final Path repository = Path.of(System.getProperty("maven.repo.local", Path.of(System
			.getProperty("user.home"), ".m2", "repository").toString()));
		final List<MavenJar> runtime = new ArrayList<>();
		for (final String entry : Files.readString(classPathFile, StandardCharsets.UTF_8).trim()
			.split(java.io.File.pathSeparator))
			if (entry.endsWith(".jar")) runtime.add(MavenJar.inRepository(repository, Path.of(entry)));
		final FijiJars fiji = FijiJars.fromLocalRepository();
		final UpdateSiteBuilder.Plan plan = UpdateSiteBuilder.plan(pluginJar, version, runtime,
			fiji);
		final List<SiteFile> files = UpdateSiteBuilder.write(plan, site, timestamp, description(
			plan));
		UpdateSiteBuilder.write(UpdateSiteBuilder.leftOutPlan(plan), site.resolveSibling(site
			.getFileName() + "-noavx2"), timestamp, null);
		Files.write(site.resolveSibling(site.getFileName() + "-fiji-jars.txt"), plan.fromFiji()
			.stream().map(
				UpdateSiteBuilder.FijiProvided::fijiCoordinates).toList());
		return new Report(files, plan);
	}

	/** The plugin's description on the site: what it is, and which of Fiji's jars it runs on. */
	static String description(final UpdateSiteBuilder.Plan plan) {
		final String differing = plan.fromFiji().stream().filter(f -> !f.fijiVersion().equals(f.jar()
			.version()) && !f.jar().artifactId().equals("ij")).map(f -> f.jar().artifactId() + " " + f
				.fijiVersion() + " (built with " + f.jar().version() + ")").collect(Collectors.joining(
					", "));
		return "DeepClass: train and apply neural-network image classifiers (DL4J/ND4J, CPU). " +
			"Needs Java 17 or newer. Native code is installed for your platform only (Linux x86-64, " +
			"Windows x86-64, macOS Intel and Apple Silicon); on Linux, ND4J's oneDNN build for CPUs " +
			"with AVX2 (every Intel CPU since Haswell, 2013, and AMD since 2015): for older CPUs add " +
			"the update site DeepClass-noAVX2 as well. Runs on the libraries Fiji ships " +
			"instead of its own copies: " + differing + "; tested together with pom-scijava " +
			FijiJars.POM_SCIJAVA_VERSION + "'s versions.";
	}

	static Map<String, Long> sizes(final List<SiteFile> files) {
		return UpdateSiteBuilder.downloadSizes(files);
	}
}
