package io.deepclass.ij.cells;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import ij.gui.Roi;
import ij.io.RoiDecoder;
import ij.io.RoiEncoder;

/**
 * ImageJ ROI sets as the ROI Manager saves them (More > Save: a .zip of .roi files, or one .roi
 * when it holds a single ROI), read in bounded memory (a user's file: at most
 * {@value #MAX_ROIS} ROIs of at most {@value #MAX_ROI_BYTES} bytes each) and written atomically.
 * A damaged file is an {@link IOException} whose message says what is wrong, without the path
 * (the caller names the file).
 */
public final class RoiSets {

	/** The most ROIs a set may hold (a whole-slide image has some 10^5 cells). */
	static final int MAX_ROIS = 200_000;

	/** The largest one ROI may be (a polygon of 10^6 vertices; an image ROI is refused beyond). */
	static final int MAX_ROI_BYTES = 16 << 20;

	private RoiSets() {}

	/** The ROIs of a .zip ROI set or a single .roi file, in the file's order. */
	public static Roi[] read(final Path file) throws IOException {
		if (!Files.isRegularFile(file)) throw new IOException("not a regular file");
		if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".roi")) {
			if (Files.size(file) > MAX_ROI_BYTES) throw new IOException("larger than " +
				(MAX_ROI_BYTES >> 20) + " MiB, not a ROI");
			return new Roi[] { decode(Files.readAllBytes(file), file.getFileName().toString()) };
		}
		final List<Roi> rois = new ArrayList<>();
		try (InputStream in = Files.newInputStream(file); ZipInputStream zip = new ZipInputStream(in)) {
			for (ZipEntry entry; (entry = zip.getNextEntry()) != null;) {
				if (entry.isDirectory() || !entry.getName().toLowerCase(Locale.ROOT).endsWith(".roi"))
					continue;
				if (rois.size() >= MAX_ROIS) throw new IOException("more than " + MAX_ROIS + " ROIs");
				final byte[] bytes = zip.readNBytes(MAX_ROI_BYTES + 1);
				if (bytes.length > MAX_ROI_BYTES) throw new IOException("its entry '" + entry.getName() +
					"' is larger than " + (MAX_ROI_BYTES >> 20) + " MiB, not a ROI");
				rois.add(decode(bytes, entry.getName()));
			}
		}
		catch (final ZipException | IllegalArgumentException e) {
			throw new IOException("not a readable .zip (" + e.getMessage() + ")", e);
		}
		if (rois.isEmpty()) throw new IOException("holds no .roi entries, so it is not an ImageJ " +
			"ROI set");
		return rois.toArray(Roi[]::new);
	}

	private static Roi decode(final byte[] bytes, final String entry) throws IOException {
		final String name = entry.substring(entry.lastIndexOf('/') + 1).replaceFirst(
			"(?i)\\.roi$", "");
		final Roi roi;
		try {
			roi = new RoiDecoder(bytes, name).getRoi();
		}
		catch (final IOException | RuntimeException e) {
			throw new IOException("its entry '" + entry + "' is not an ImageJ ROI (" + e.getClass()
				.getSimpleName() + ")", e);
		}
		if (roi == null) throw new IOException("its entry '" + entry + "' is not an ImageJ ROI");
		if (roi.getName() == null || roi.getName().isBlank()) roi.setName(name);
		return roi;
	}

	/**
	 * Writes {@code rois} as an ImageJ ROI set (.zip) that the ROI Manager opens, to a temporary
	 * file first, renamed only when complete; entries are the ROIs' names made unique.
	 */
	public static void write(final Roi[] rois, final Path file) throws IOException {
		final Path folder = file.toAbsolutePath().getParent();
		final Path partial = Files.createTempFile(folder, ".deepclass-rois-", ".zip.part");
		try {
			try (OutputStream out = Files.newOutputStream(partial); ZipOutputStream zip =
				new ZipOutputStream(out))
			{
				final Set<String> used = new HashSet<>();
				for (int i = 0; i < rois.length; i++) {
					String name = rois[i].getName() != null ? rois[i].getName() : String.format("%04d", i + 1);
					name = name.replaceAll("[\\\\/:*?\"<>|]", "_");
					while (!used.add(name))
						name = name + "-" + (i + 1);
					zip.putNextEntry(new ZipEntry(name + ".roi"));
					zip.write(RoiEncoder.saveAsByteArray(rois[i]));
					zip.closeEntry();
				}
			}
			Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING,
				StandardCopyOption.ATOMIC_MOVE);
		}
		finally {
			Files.deleteIfExists(partial);
		}
	}
}
