package io.deepclass.core.data;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * A labelled image set: N images of one {@link ImageShape}, an integer label per image indexing
 * {@link #classNames()}, and a source id per image (file path, slice, ROI name) so that every
 * result can be traced back to where it came from. Pixel values are raw (as read); normalisation
 * is fitted and applied by the model, not stored here.
 */
public final class Dataset {

	private final ImageShape shape;

	private final List<String> classNames;

	private final ImageStore images;

	private final int[] labels;

	private final String[] sources;

	/** Each image's stored bit depth (8, 16, 32, 24 for RGB; 0 unknown). */
	private final int[] bitDepths;

	/**
	 * @param labels class index per image, or -1 where the class is unknown (images to classify)
	 */
	public Dataset(final ImageShape shape, final List<String> classNames, final ImageStore images,
		final int[] labels, final String[] sources)
	{
		this(shape, classNames, images, labels, sources, null);
	}

	/** @param bitDepths each image's stored bit depth, or null when unknown */
	public Dataset(final ImageShape shape, final List<String> classNames, final ImageStore images,
		final int[] labels, final String[] sources, final int[] bitDepths)
	{
		if (bitDepths != null && bitDepths.length != labels.length)
			throw new IllegalArgumentException("bit depths and labels differ in count");
		if (images.imageSize() != shape.size())
			throw new IllegalArgumentException("image store holds " + images.imageSize() +
				" values per image but the shape " + shape + " needs " + shape.size());
		if (labels.length != images.size() || sources.length != images.size())
			throw new IllegalArgumentException("images, labels and sources differ in count: " +
				images.size() + ", " + labels.length + ", " + sources.length);
		for (final int label : labels)
			if (label < -1 || label >= classNames.size())
				throw new IllegalArgumentException("label " + label + " is outside the " +
					classNames.size() + " classes");
		this.shape = shape;
		this.classNames = List.copyOf(classNames);
		this.images = images;
		this.labels = labels;
		this.sources = sources;
		this.bitDepths = bitDepths != null ? bitDepths : new int[labels.length];
	}

	public ImageShape shape() {
		return shape;
	}

	public List<String> classNames() {
		return classNames;
	}

	public int numClasses() {
		return classNames.size();
	}

	public int size() {
		return labels.length;
	}

	public int label(final int index) {
		return labels[index];
	}

	public String source(final int index) {
		return sources[index];
	}

	/** A copy of the labels. */
	/** The image's stored bit depth: 8, 16, 32, 24 (RGB), or 0 when unknown. */
	public int bitDepth(final int index) {
		return bitDepths[index];
	}

	public int[] labels() {
		return labels.clone();
	}

	public ImageStore images() {
		return images;
	}

	/** A copy of image {@code index}'s pixels, channel-planar. */
	public float[] image(final int index) {
		final float[] pixels = new float[shape.size()];
		images.copyTo(index, pixels, 0);
		return pixels;
	}

	/** Number of images per class, indexed like {@link #classNames()}. */
	public int[] classCounts() {
		final int[] counts = new int[classNames.size()];
		for (final int label : labels)
			if (label >= 0) counts[label]++;
		return counts;
	}

	/** The images at {@code indices}, in that order. */
	public Dataset subset(final int[] indices) {
		final int[] subLabels = new int[indices.length];
		final String[] subSources = new String[indices.length];
		final int[] subDepths = new int[indices.length];
		for (int i = 0; i < indices.length; i++) {
			subLabels[i] = labels[indices[i]];
			subSources[i] = sources[indices[i]];
			subDepths[i] = bitDepths[indices[i]];
		}
		return new Dataset(shape, classNames, images.subset(indices), subLabels, subSources,
			subDepths);
	}

	/** The first {@code n} images (all of them when {@code n} is larger). */
	/**
	 * These images resized and converted to {@code target} (gray repeated to its channels, or
	 * channels averaged to gray; see {@link ImageConverter}), with their labels and sources.
	 */
	public Dataset converted(final ImageShape target) {
		if (shape.equals(target)) return this;
		// on disk, or more than memory takes: converted as they are read, no second copy
		if (images.onDisk() || (long) size() * target.size() * 4 > LabelledImageCollector
			.memoryBudget()) return new Dataset(target, classNames, new ConvertedImageStore(images, shape,
				target), labels.clone(), sources.clone(), bitDepths.clone());
		final float[] all = new float[size() * target.size()];
		for (int i = 0; i < size(); i++)
			System.arraycopy(ImageConverter.convert(new DecodedImage(shape.width(), shape.height(), shape
				.channels(), image(i)), target), 0, all, i * target.size(), target.size());
		return new Dataset(target, classNames, new ArrayImageStore(all, target.size()), labels.clone(),
			sources.clone(), bitDepths.clone());
	}

	public Dataset head(final int n) {
		if (n >= size()) return this;
		final int[] indices = new int[n];
		Arrays.setAll(indices, i -> i);
		return subset(indices);
	}

	/**
	 * SHA-256 over shape, class names, labels and pixels: identifies the exact training data in
	 * a model bundle, so that two models can be told to come from the same data or not.
	 */
	public String fingerprint() {
		final MessageDigest digest;
		try {
			digest = MessageDigest.getInstance("SHA-256");
		}
		catch (final NoSuchAlgorithmException e) {
			throw new IllegalStateException("the JVM has no SHA-256", e);
		}
		digest.update(shape.toString().getBytes(StandardCharsets.UTF_8));
		digest.update(String.join("\n", classNames).getBytes(StandardCharsets.UTF_8));
		final float[] pixels = new float[shape.size()];
		final ByteBuffer buffer = ByteBuffer.allocate(pixels.length * Float.BYTES + Integer.BYTES);
		for (int i = 0; i < size(); i++) {
			images.copyTo(i, pixels, 0);
			buffer.clear();
			buffer.putInt(labels[i]);
			buffer.asFloatBuffer().put(pixels);
			digest.update(buffer.array());
		}
		return HexFormat.of().formatHex(digest.digest());
	}

	@Override
	public String toString() {
		return size() + " images of " + shape + " in " + classNames.size() + " classes";
	}
}
