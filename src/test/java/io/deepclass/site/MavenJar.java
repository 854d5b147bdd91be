package io.deepclass.site;

import java.nio.file.Path;

/**
 * A jar of the local Maven repository, known by its coordinates (from its path there:
 * {@code <group as folders>/<artifactId>/<version>/<artifactId>-<version>[-<classifier>].jar}).
 */
record MavenJar(String groupId, String artifactId, String version, String classifier, Path file) {

	/** The jar at {@code file}, below the local repository {@code repository}. */
	static MavenJar inRepository(final Path repository, final Path file) {
		final Path relative = repository.toAbsolutePath().normalize().relativize(file.toAbsolutePath()
			.normalize());
		final int n = relative.getNameCount();
		if (n < 4 || relative.startsWith("..")) throw new IllegalArgumentException(file +
			" is not in the Maven repository " + repository);
		final String artifactId = relative.getName(n - 3).toString();
		final String version = relative.getName(n - 2).toString();
		final String groupId = relative.subpath(0, n - 3).toString().replace(relative.getFileSystem()
			.getSeparator(), ".");
		final String name = relative.getFileName().toString();
		final String base = artifactId + "-" + version;
		if (!name.startsWith(base) || !name.endsWith(".jar")) throw new IllegalArgumentException(
			file + " is not named as a Maven artifact");
		final String rest = name.substring(base.length(), name.length() - 4);
		return new MavenJar(groupId, artifactId, version, rest.isEmpty() ? "" : rest.substring(1),
			file);
	}

	/** groupId:artifactId:version[:classifier] */
	String coordinates() {
		return groupId + ":" + artifactId + ":" + version + (classifier.isEmpty() ? "" : ":" +
			classifier);
	}

	/** The file name Maven gives it. */
	String fileName() {
		return artifactId + "-" + version + (classifier.isEmpty() ? "" : "-" + classifier) + ".jar";
	}
}
