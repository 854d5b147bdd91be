package io.deepclass.core.data;

import java.util.ArrayList;
import java.util.List;

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

	public void add(final DecodedImage image, final int label, final String source) {
		if (shape != null && shape.isSizeOnly()) shape = shape.forChannels(image.channels());
		if (!convert && shape != null && (image.width() != shape.width() || image.height() != shape
			.height() || image.channels() != shape.channels()))
			throw new DatasetException("'" + source + "' is " + image + " but " + shape +
				" is needed; tick 'resize' to resize and convert images, or choose a model trained " +
				"on images like these.");
		if (shape == null)
			shape = new ImageShape(image.channels(), image.height(), image.width());
		pixels.add(ImageConverter.convert(image, shape));
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
		DatasetChecks.checkTrainable(classNames, result.report().classCounts(), what);
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
		if (pixels.isEmpty())
			throw new DatasetException("no images could be read from " + what + (skipped.isEmpty()
				? "." : " (" + skipped.size() + " files skipped, first: " + skipped.get(0).source() +
					": " + skipped.get(0).reason() + ")."));
		final int n = shape.size();
		final float[] all = new float[pixels.size() * n];
		for (int i = 0; i < pixels.size(); i++)
			System.arraycopy(pixels.get(i), 0, all, i * n, n);
		final int[] labelArray = labels.stream().mapToInt(Integer::intValue).toArray();
		final Dataset dataset = new Dataset(shape, classNames, new ArrayImageStore(all, n),
			labelArray, sources.toArray(String[]::new), bitDepths.stream().mapToInt(
				Integer::intValue).toArray());
		return new ImportResult(dataset, new ImportReport(classNames, counts, skipped, DatasetChecks
			.warnings(dataset)));
	}
}
