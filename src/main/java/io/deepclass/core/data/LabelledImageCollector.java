package io.deepclass.core.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Gathers decoded, labelled images into a {@link Dataset} of one shape, with the import report.
 * Shared by the readers of folders, stacks and ROIs, so that all of them convert images and
 * check the result the same way.
 */
public final class LabelledImageCollector {

	private final List<String> classNames;

	private ImageShape shape;

	private final List<float[]> pixels = new ArrayList<>();

	private final List<Integer> labels = new ArrayList<>();

	private final List<String> sources = new ArrayList<>();

	private final List<Integer> bitDepths = new ArrayList<>();

	private final List<ImportReport.Skipped> skipped = new ArrayList<>();

	private boolean convert = true;

	private int expected;

	private Path diskFolder;

	private DiskImageStore.Writer disk;

	private int count;

	/**
	 * @param shape target shape, or null to take the first image's size and channels
	 */
	public LabelledImageCollector(final List<String> classNames, final ImageShape shape) {
		this.classNames = List.copyOf(classNames);
		this.shape = shape;
	}

	/**
	 * With {@code false}, images whose size or channels differ from the target shape are refused
	 * with a message instead of being resized or converted.
	 */
	public LabelledImageCollector convert(final boolean value) {
		convert = value;
		return this;
	}

	/**
	 * How many images are coming: when they would take more than a quarter of the Java heap
	 * (or {@code deepclass.memory.budget} bytes), they are kept in a float cache on disk
	 * ({@link DiskImageStore}) instead.
	 */
	public LabelledImageCollector expect(final int images) {
		expected = images;
		return this;
	}

	/** Keeps the images in a float cache file in {@code folder}, whatever their number. */
	public LabelledImageCollector onDisk(final Path folder) {
		diskFolder = folder;
		return this;
	}

	/** The bytes of images this JVM keeps on its heap before it uses a disk cache. */
	public static long memoryBudget() {
		final String set = System.getProperty("deepclass.memory.budget");
		long budget = Runtime.getRuntime().maxMemory() / 4;
		if (set != null) try {
			budget = Long.parseLong(set.trim());
		}
		catch (final NumberFormatException e) {
			throw new DatasetException("-Ddeepclass.memory.budget must be a number of bytes " +
				"(4000000000 for 4 GB), not '" + set + "'.");
		}
		// one Java array holds at most 2^31 - 1 floats
		return Math.min(budget, (Integer.MAX_VALUE - 8) * 4L);
	}

	public void add(final DecodedImage image, final int label, final String source) {
		if (shape != null && shape.isSizeOnly()) shape = shape.forChannels(image.channels());
		if (!convert && shape != null && (image.width() != shape.width() || image.height() != shape
			.height() || image.channels() != shape.channels()))
			throw new DatasetException("'" + source + "' is " + image + " but " + shape +
				" is needed; tick 'resize' to resize and convert images, or choose a model trained " +
				"on images like these.");
		if (shape == null)
			shape = new ImageShape(image.channels(), image.height(), image.width());
		final float[] converted = ImageConverter.convert(image, shape);
		if (count == 0 && diskFolder == null && (long) expected * shape.size() * 4 > memoryBudget())
			diskFolder = DiskImageStore.defaultFolder();
		if (diskFolder != null) {
			try {
				if (disk == null) disk = DiskImageStore.writer(diskFolder, shape.size());
				disk.append(converted);
			}
			catch (final IOException e) {
				closeDisk();
				throw new DatasetException("cannot write the image cache in '" + diskFolder + "' (" + e
					.getMessage() + "). Free disk space there, or choose another folder with " +
					"-Ddeepclass.cache=<folder>.");
			}
		}
		else pixels.add(converted);
		count++;
		labels.add(label);
		sources.add(source);
		bitDepths.add(image.bitDepth());
	}

	public void skip(final String source, final String reason) {
		skipped.add(new ImportReport.Skipped(source, reason));
	}

	/**
	 * The dataset, after checking that it is usable for training: at least one image, at
	 * least two classes, and no class without images.
	 *
	 * @param what names the input in error messages, e.g. "folder '/data/cells'"
	 */
	public ImportResult finish(final String what) {
		final ImportResult result = finishUnlabelled(what);
		try {
			DatasetChecks.checkTrainable(classNames, result.report().classCounts(), what);
		}
		catch (final RuntimeException e) {
			if (result.dataset().images() instanceof DiskImageStore d) d.close(); // not kept
			throw e;
		}
		return result;
	}

	/**
	 * The dataset, checking only that it holds images: for images to classify, whose class
	 * (label -1) is unknown.
	 */
	public ImportResult finishUnlabelled(final String what) {
		final int[] counts = new int[classNames.size()];
		for (final int label : labels)
			if (label >= 0) counts[label]++;
		if (count == 0)
			throw new DatasetException("no images could be read from " + what + (skipped.isEmpty()
				? "." : " (" + skipped.size() + " files skipped, first: " + skipped.get(0).source() +
					": " + skipped.get(0).reason() + ")."));
		final int n = shape.size();
		final ImageStore store;
		if (disk != null) {
			try {
				store = disk.finish();
			}
			catch (final IOException e) {
				closeDisk();
				throw new DatasetException("cannot finish the image cache in '" + diskFolder + "' (" + e
					.getMessage() + "). Free disk space there, or choose another folder with " +
					"-Ddeepclass.cache=<folder>.");
			}
		}
		else {
			final float[] all = new float[pixels.size() * n];
			for (int i = 0; i < pixels.size(); i++)
				System.arraycopy(pixels.get(i), 0, all, i * n, n);
			pixels.clear();
			store = new ArrayImageStore(all, n);
		}
		final int[] labelArray = labels.stream().mapToInt(Integer::intValue).toArray();
		final Dataset dataset = new Dataset(shape, classNames, store,
			labelArray, sources.toArray(String[]::new), bitDepths.stream().mapToInt(
				Integer::intValue).toArray());
		final List<String> notes = new ArrayList<>(DatasetChecks.warnings(dataset));
		if (store instanceof DiskImageStore d) notes.add(String.format(Locale.ROOT,
			"%d images (%.1f GB as floats) are kept in a disk cache in %s, not in memory (more " +
				"than the memory budget of %.1f GB); it is deleted when no longer used or when Fiji " +
				"closes", count, (double) count * n * 4 / 1e9, d.file().getParent(), memoryBudget() /
					1e9));
		return new ImportResult(dataset, new ImportReport(classNames, counts, skipped, notes));
	}

	/** Deletes an unfinished disk cache (after a failure or when import is cancelled). */
	public void closeDisk() {
		if (disk == null) return;
		try {
			disk.close();
		}
		catch (final IOException e) {
			// the cache is a temporary file, deleted at exit too
		}
		disk = null;
	}
}
