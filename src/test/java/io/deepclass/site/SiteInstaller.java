package io.deepclass.site;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Installs an update site's files for one platform into a Fiji folder the way the updater does:
 * reads the site's {@code db.xml.gz}, downloads each current file meant for the platform from
 * {@code <site>/<filename>-<timestamp>}, checks its size and the updater's checksum, and only then
 * moves it to {@code <filename>} in the Fiji folder. A missing file or a checksum that differs
 * stops the installation with an exception naming the file.
 */
final class SiteInstaller {

	private SiteInstaller() {}

	/** Installs; returns the installed files' paths in the Fiji folder. */
	static List<String> install(final URI site, final String platform, final Path fiji)
		throws IOException
	{
		final URI base = site.toString().endsWith("/") ? site : URI.create(site + "/");
		final List<SiteFile> files;
		try (InputStream in = base.resolve("db.xml.gz").toURL().openStream()) {
			files = DbXml.read(in);
		}
		final Path staging = Files.createDirectories(fiji.resolve("update"));
		final List<String> installed = new ArrayList<>();
		for (final SiteFile file : files) {
			if (file.current() == null || !file.isFor(platform)) continue;
			final Path downloaded = staging.resolve(file.filename());
			Files.createDirectories(downloaded.getParent());
			try (InputStream in = base.resolve(file.current().sitePath().replace(" ", "%20")).toURL()
				.openStream())
			{
				Files.copy(in, downloaded, StandardCopyOption.REPLACE_EXISTING);
			}
			catch (final IOException e) {
				throw new IOException("cannot download " + file.current().sitePath() + ": " + e, e);
			}
			final long size = Files.size(downloaded);
			if (size != file.current().filesize()) throw new IOException(file.filename() + ": " +
				size + " bytes, the site's index says " + file.current().filesize());
			final String checksum;
			try {
				checksum = UpdaterChecksums.of(file.filename(), downloaded);
			}
			catch (final IOException e) {
				throw new IOException(file.filename() + ": damaged (" + e.getMessage() + ")", e);
			}
			if (!checksum.equals(file.current().checksum())) throw new IOException(file.filename() +
				": checksum " + checksum + ", the site's index says " + file.current().checksum());
			installed.add(file.filename());
		}
		for (final String filename : installed) {
			final Path target = fiji.resolve(filename);
			Files.createDirectories(target.getParent());
			Files.move(staging.resolve(filename), target, StandardCopyOption.REPLACE_EXISTING);
		}
		return installed;
	}
}
