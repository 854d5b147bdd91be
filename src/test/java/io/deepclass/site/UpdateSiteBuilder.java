package io.deepclass.site;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Lays out DeepClass's Fiji update site: {@code plugins/DeepClass_-<version>.jar}, the libraries
 * it needs in {@code jars/}, native code in the updater's platform folders ({@code jars/linux64/},
 * {@code jars/win64/}, {@code jars/macos64/}, {@code jars/macos-arm64/}) so that each user
 * downloads only their platform's, every file stored as {@code <path>-<timestamp>}, and the index
 * {@code db.xml.gz} with the updater's checksums. Jars Fiji ships ({@link FijiJars}) are left
 * out: a site's file shadows Fiji's file of the same name, so shipping them would replace Fiji's
 * newer versions for every plugin.
 */
final class UpdateSiteBuilder {

	/** The platforms DeepClass has native code for, by JavaCPP classifier prefix. */
	static final Map<String, String> PLATFORMS = new LinkedHashMap<>();
	static {
		PLATFORMS.put("linux-x86_64", "linux64");
		PLATFORMS.put("windows-x86_64", "win64");
		PLATFORMS.put("macosx-x86_64", "macos64");
		PLATFORMS.put("macosx-arm64", "macos-arm64");
	}

	/**
	 * Native builds not put on the main site: ND4J's generic Linux build. It and the oneDNN/AVX2
	 * build are about the same size (91 and 94 MB), and with both Linux users would download over
	 * 250 MB. The AVX2 build trained bncnn faster (65 against 19 img/s, then 27 against 22 on a
	 * loaded machine; README "Install in Fiji"), and every x86-64 CPU since 2013-2015 (Intel Haswell, AMD Excavator/Zen) has AVX2;
	 * the generic build goes to a second site, {@code DeepClass-noAVX2}, for the others.
	 */
	static final List<String> LEFT_OUT = List.of("org.nd4j:nd4j-native:linux-x86_64");

	/** A file of the site and where it comes from. */
	record Entry(String filename, List<String> platforms, Path source, MavenJar jar) {}

	/** A jar DeepClass needs that the site leaves to Fiji, and the version Fiji ships. */
	record FijiProvided(MavenJar jar, String fijiVersion) {

		String fijiCoordinates() {
			return jar.groupId() + ":" + jar.artifactId() + ":" + fijiVersion;
		}
	}

	/** What goes on the site and what is left to Fiji. */
	record Plan(List<Entry> entries, List<FijiProvided> fromFiji, List<MavenJar> leftOut) {}

	private UpdateSiteBuilder() {}

	/** The second site: the builds the main site leaves out, for the machines that need them. */
	static Plan leftOutPlan(final Plan main) {
		final List<Entry> entries = new ArrayList<>();
		for (final MavenJar jar : main.leftOut()) {
			final String platform = platform(jar.classifier());
			entries.add(new Entry("jars/" + platform + "/" + jar.fileName(), List.of(platform), jar
				.file(), jar));
		}
		return new Plan(entries, List.of(), List.of());
	}

	/** Decides each file's place on the site. */
	static Plan plan(final Path pluginJar, final String version, final List<MavenJar> runtime,
		final FijiJars fiji)
	{
		final List<Entry> entries = new ArrayList<>();
		final List<FijiProvided> fromFiji = new ArrayList<>();
		final List<MavenJar> leftOut = new ArrayList<>();
		entries.add(new Entry("plugins/DeepClass_-" + version + ".jar", List.of(), pluginJar, null));
		for (final MavenJar jar : runtime) {
			final Optional<String> fijiVersion = fiji.version(jar.groupId(), jar.artifactId());
			if (fijiVersion.isPresent()) {
				fromFiji.add(new FijiProvided(jar, fijiVersion.get()));
				continue;
			}
			if (LEFT_OUT.contains(jar.groupId() + ":" + jar.artifactId() + ":" + jar.classifier())) {
				leftOut.add(jar);
				continue;
			}
			final String platform = platform(jar.classifier());
			final String name = fiji.shipsOtherWithName(jar.groupId(), jar.artifactId()) ||
				isShadedCopy(jar) ? groupName(jar.groupId()) + "-" + jar.fileName() : jar.fileName();
			entries.add(new Entry(platform == null ? "jars/" + name : "jars/" + platform + "/" + name,
				platform == null ? List.of() : List.of(platform), jar.file(), jar));
		}
		return new Plan(entries, fromFiji, leftOut);
	}

	/**
	 * ND4J's shaded copies (org.nd4j:guava, jackson, protobuf) and DL4J's "resources" jar have
	 * names of other, unrelated libraries; the updater knows files by name without version, so
	 * {@code jars/guava-1.0.0-M2.1.jar} would be taken for Fiji's Guava.
	 */
	private static boolean isShadedCopy(final MavenJar jar) {
		return (jar.groupId().equals("org.nd4j") || jar.groupId().equals("org.deeplearning4j")) &&
			!jar.artifactId().startsWith("nd4j") && !jar.artifactId().startsWith("deeplearning4j");
	}

	private static String groupName(final String groupId) {
		return groupId.substring(groupId.lastIndexOf('.') + 1);
	}

	/** The updater's platform for a JavaCPP classifier; null for platform-independent jars. */
	static String platform(final String classifier) {
		if (classifier.isEmpty()) return null;
		for (final Map.Entry<String, String> p : PLATFORMS.entrySet())
			if (classifier.equals(p.getKey()) || classifier.startsWith(p.getKey() + "-")) return p
				.getValue();
		throw new IllegalArgumentException("no update-site platform for classifier " + classifier);
	}

	/**
	 * Writes the site into {@code site} (emptied first) and returns its index. Files are stored
	 * as {@code <filename>-<timestamp>}.
	 */
	static List<SiteFile> write(final Plan plan, final Path site, final long timestamp,
		final String description) throws IOException
	{
		if (Files.exists(site)) try (var walk = Files.walk(site)) {
			for (final Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList())
				Files.delete(p);
		}
		final List<SiteFile> files = new ArrayList<>();
		final List<String> independent = new ArrayList<>();
		for (final Entry e : plan.entries())
			if (e.jar() != null && e.platforms().isEmpty()) independent.add(e.filename());
		for (final Entry e : plan.entries()) {
			final SiteFile.Version version = new SiteFile.Version(e.filename(), timestamp,
				UpdaterChecksums.of(e.filename(), e.source()), Files.size(e.source()));
			final Path target = site.resolve(version.sitePath());
			Files.createDirectories(target.getParent());
			try {
				Files.createLink(target, e.source());
			}
			catch (final IOException | UnsupportedOperationException notOnSameDisk) {
				Files.copy(e.source(), target, StandardCopyOption.REPLACE_EXISTING);
			}
			final boolean plugin = e.jar() == null;
			files.add(SiteFile.of(e.filename(), e.platforms(), version, plugin ? description : null,
				plugin ? independent : List.of()));
		}
		try (OutputStream out = Files.newOutputStream(site.resolve("db.xml.gz"))) {
			DbXml.write(files, out);
		}
		return files;
	}

	/** Bytes each platform downloads: its own files and the platform-independent ones. */
	static Map<String, Long> downloadSizes(final List<SiteFile> files) {
		final Map<String, Long> sizes = new LinkedHashMap<>();
		for (final String platform : PLATFORMS.values())
			sizes.put(platform, files.stream().filter(f -> f.current() != null && f.isFor(platform))
				.mapToLong(f -> f.current().filesize()).sum());
		return sizes;
	}

	/** The updater's timestamp format, yyyyMMddHHmmss, in UTC. */
	static long timestamp(final ZonedDateTime time) {
		return Long.parseLong(time.withZoneSameInstant(ZoneOffset.UTC).format(DateTimeFormatter
			.ofPattern("yyyyMMddHHmmss")));
	}
}
