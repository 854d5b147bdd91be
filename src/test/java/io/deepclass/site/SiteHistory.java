package io.deepclass.site;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.scijava.util.FileUtils;

/**
 * Carries a published site's history into a new build's index, as the updater does on upload:
 * the updater tells "an older DeepClass, update it" from "a file the user changed, leave it" by
 * the checksums of earlier versions, and removes files that a site no longer has only when the
 * index lists them as obsolete. Files are matched by name without version
 * ({@code jars/foo-1.0.jar} and {@code jars/foo-1.1.jar} are one file), as the updater does.
 */
final class SiteHistory {

	private SiteHistory() {}

	/** The new build's records with the published ones' versions as previous versions. */
	static List<SiteFile> merge(final List<SiteFile> built, final List<SiteFile> published) {
		final Map<String, SiteFile> before = new LinkedHashMap<>();
		for (final SiteFile f : published)
			before.put(FileUtils.stripFilenameVersion(f.filename()), f);
		final Set<String> kept = new HashSet<>();
		final List<SiteFile> merged = new ArrayList<>();
		for (final SiteFile f : built) {
			final String name = FileUtils.stripFilenameVersion(f.filename());
			final SiteFile old = before.get(name);
			if (old == null) {
				merged.add(f);
				continue;
			}
			kept.add(name);
			merged.add(new SiteFile(f.filename(), f.platforms(), f.current(), f.description(), f
				.dependencies(), earlier(old, f.current() == null ? null : f.current().checksum())));
		}
		for (final Map.Entry<String, SiteFile> e : before.entrySet())
			if (!kept.contains(e.getKey())) {
				final SiteFile old = e.getValue();
				merged.add(new SiteFile(old.filename(), old.platforms(), null, null, List.of(), earlier(
					old, null)));
			}
		return merged;
	}

	private static List<SiteFile.Version> earlier(final SiteFile old, final String checksum) {
		final List<SiteFile.Version> versions = new ArrayList<>(old.previous());
		final SiteFile.Version current = old.current();
		if (current != null && !current.checksum().equals(checksum)) versions.add(
			new SiteFile.Version(current.filename(), current.timestamp(), current.checksum(), -1));
		return versions;
	}
}
