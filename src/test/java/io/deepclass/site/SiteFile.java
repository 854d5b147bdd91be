package io.deepclass.site;

import java.util.List;

/**
 * One file of an update site as {@code db.xml.gz} describes it (an updater "plugin" record): its
 * path in the Fiji folder (e.g. {@code jars/linux64/foo-1.0-linux-x86_64.jar}), the platforms it
 * is for (none: every platform), its current version (null when it is obsolete), a description,
 * the files it depends on, and its earlier versions.
 */
record SiteFile(String filename, List<String> platforms, Version current, String description,
	List<String> dependencies, List<Version> previous)
{

	/**
	 * A version: the site stores it as {@code <filename>-<timestamp>}; {@code filesize} is -1 where
	 * the site does not record it (previous versions).
	 */
	record Version(String filename, long timestamp, String checksum, long filesize) {

		/** Its path on the update site, relative to the site's URL. */
		String sitePath() {
			return filename + "-" + timestamp;
		}
	}

	/** A current file without earlier versions. */
	static SiteFile of(final String filename, final List<String> platforms, final Version current,
		final String description, final List<String> dependencies)
	{
		return new SiteFile(filename, List.copyOf(platforms), current, description, List.copyOf(
			dependencies), List.of());
	}

	/**
	 * Whether the updater installs it on {@code platform} (e.g. "linux64"): no platform means
	 * every one, and "linuxx", "macosx", "winx" name every architecture of their system.
	 */
	boolean isFor(final String platform) {
		return platforms.isEmpty() || platforms.stream().anyMatch(p -> p.equals(platform) ||
			p.equals("linuxx") && platform.startsWith("linux") ||
			p.equals("macosx") && platform.startsWith("macos") ||
			p.equals("winx") && platform.startsWith("win"));
	}
}
