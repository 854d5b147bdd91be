package io.deepclass.ij.cells;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

import ij.ImagePlus;
import ij.gui.Roi;

import io.deepclass.core.DeepClassException;
import io.deepclass.core.SafeNames;
import io.deepclass.ij.input.IjImageDecoder;

/**
 * A folder of images, each with its ROI set beside it, as a scientist keeps them after
 * segmenting and labelling cells: {@code cells1.tif} with {@code cells1.zip} (the ROI
 * Manager's More > Save, named after the image), or {@code cells1.roi} for an image with one
 * ROI. A lone {@code RoiSet.zip} (the ROI Manager's default name) belongs to the folder's only
 * image; beside several images it would be ambiguous and is not used. Only the files directly in
 * the folder count, hidden ones left out, in name order; images are the files ending in
 * {@link #IMAGE_EXTENSIONS}.
 */
public final class CellImageFolder {

	/** The endings of the files taken as images (any case). */
	public static final Set<String> IMAGE_EXTENSIONS = Set.of("tif", "tiff", "png", "jpg", "jpeg",
		"gif", "bmp");

	/** The ROI Manager's default name for a saved ROI set. */
	public static final String DEFAULT_ROI_SET = "RoiSet.zip";

	/** An image file and its ROI set (null when it has none). */
	public record Pair(Path image, Path rois) {

		/** The image's file name. */
		public String name() {
			return image.getFileName().toString();
		}
	}

	/** An opened image and its ROIs. */
	public record Cells(Pair pair, ImagePlus image, Roi[] rois) {}

	/** The folder's images and ROI sets; {@code notes} are one-line remarks for the Log. */
	public record Listing(List<Pair> pairs, List<String> notes) {

		/** The pairs that have a ROI set. */
		public List<Pair> withRois() {
			return pairs.stream().filter(p -> p.rois() != null).toList();
		}
	}

	private CellImageFolder() {}

	/**
	 * The images of {@code folder} paired with their ROI sets.
	 *
	 * @throws DeepClassException when {@code folder} is not a folder or holds no image with a ROI set
	 */
	public static Listing list(final Path folder) {
		if (folder == null) throw new DeepClassException("give folder=<the folder " +
			"holding the images and their ROI sets>.");
		if (!Files.isDirectory(folder)) throw new DeepClassException(
			"'" + folder + "' is not a folder; choose the folder holding the images and their ROI " +
			"sets (cells1.tif with cells1.zip).");
		final List<Path> files;
		try (Stream<Path> listed = Files.list(folder)) {
			files = listed.filter(f -> !f.getFileName().toString().startsWith(".") && Files
				.isRegularFile(f)).sorted().toList();
		}
		catch (final IOException e) {
			throw new DeepClassException("cannot list '" + folder + "': " + e.getMessage() +
				"; check that the folder can be read.", e);
		}
		final List<Path> images = files.stream().filter(f -> IMAGE_EXTENSIONS.contains(extension(f)))
			.toList();
		final Path defaultSet = folder.resolve(DEFAULT_ROI_SET);
		final boolean lone = images.size() == 1 && files.contains(defaultSet);
		final List<Pair> pairs = new ArrayList<>();
		final List<String> without = new ArrayList<>();
		for (final Path image : images) {
			final String base = base(image);
			Path rois = null;
			for (final String ending : new String[] { ".zip", ".ZIP", ".roi", ".ROI" })
				if (rois == null && files.contains(folder.resolve(base + ending))) rois = folder.resolve(
					base + ending);
			if (rois == null && lone) rois = defaultSet;
			if (rois == null) without.add(image.getFileName().toString());
			pairs.add(new Pair(image, rois));
		}
		final List<String> notes = new ArrayList<>();
		if (!without.isEmpty()) notes.add(without.size() + " of the " + images.size() + " images " +
			"have no ROI set beside them (image.zip for image.tif) and are left out: " + SafeNames
				.oneLine(String.join(", ", without)));
		if (files.contains(defaultSet) && !lone && images.size() > 1) notes.add(DEFAULT_ROI_SET +
			" is not used: the folder holds " + images.size() + " images; save each image's ROI set " +
			"under the image's name (cells1.zip for cells1.tif).");
		if (pairs.stream().noneMatch(p -> p.rois() != null)) throw new DeepClassException(
			"no image in '" + folder + "' has a ROI set beside it (" + images.size() + " images). " +
			"Save each image's ROIs (ROI Manager > More > Save) as <image name>.zip next to it.");
		return new Listing(pairs, notes);
	}

	/**
	 * Reads every ROI set of {@code pairs} (cheap, before any image is opened, so a damaged one
	 * stops the command at once).
	 *
	 * @throws DeepClassException naming the file that is not a ROI set
	 */
	public static List<Roi[]> readRois(final List<Pair> pairs) {
		final List<Roi[]> all = new ArrayList<>();
		for (final Pair pair : pairs)
			try {
				all.add(RoiSets.read(pair.rois()));
			}
			catch (final IOException e) {
				throw new DeepClassException("the ROI set '" + pair.rois() + "' " + SafeNames
					.oneLine(e.getMessage()) + "; save it again from the ROI Manager (More > Save) or " +
					"move it out of the folder.", e);
			}
		return all;
	}

	/** Opens {@code pair}'s image, every plane of it. */
	public static ImagePlus open(final Pair pair) {
		try {
			return IjImageDecoder.openWhole(pair.image());
		}
		catch (final IOException e) {
			throw new DeepClassException("cannot open the image '" + pair.image() + "': " +
				SafeNames.oneLine(e.getMessage()) + "; replace it or move it out of the folder.", e);
		}
	}

	/** The file name without its last ending: "cells1" for "cells1.tif". */
	public static String base(final Path file) {
		final String name = file.getFileName().toString();
		final int dot = name.lastIndexOf('.');
		return dot > 0 ? name.substring(0, dot) : name;
	}

	private static String extension(final Path file) {
		final String name = file.getFileName().toString();
		final int dot = name.lastIndexOf('.');
		return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
	}
}
