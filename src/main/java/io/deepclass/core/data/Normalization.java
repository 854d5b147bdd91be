package io.deepclass.core.data;

import java.util.Arrays;
import java.util.Locale;

/**
 * How pixel values become network inputs, chosen at training and stored with the model so that
 * classification applies exactly what training applied:
 * <ul>
 * <li>{@code percentile}: per image and channel, the low and high percentiles (default 1 and
 * 99.8) map to 0 and 1, as CSBDeep, StarDist and Noise2Void do; what microscopy images need,
 * since it ignores how each was acquired and stored;</li>
 * <li>{@code bit depth}: 8-bit / 255, 16-bit / 65535, RGB / 255, 32-bit as is;</li>
 * <li>{@code dataset}: (value - mean) / std with each channel's mean and standard deviation over
 * the training set (the Fashion-MNIST recipe);</li>
 * <li>{@code none}: values as stored.</li>
 * </ul>
 */
public record Normalization(Method method, float[] mean, float[] std, double lowPercentile,
	double highPercentile)
{

	public enum Method {
		PERCENTILE("percentile"), BIT_DEPTH("bit depth"), DATASET("dataset"), NONE("none");

		private final String label;

		Method(final String label) {
			this.label = label;
		}

		@Override
		public String toString() {
			return label;
		}

		/** "percentile", "bit depth" (or "bit_depth", "bitdepth"), "dataset", "none". */
		public static Method parse(final String text) {
			final String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT).replace('_', ' ');
			for (final Method m : values())
				if (m.label.equals(t) || m.label.replace(" ", "").equals(t)) return m;
			throw new IllegalArgumentException("normalization must be percentile, bit depth, " +
				"dataset or none, not '" + text + "'");
		}
	}

	public static final double DEFAULT_LOW = 1, DEFAULT_HIGH = 99.8;

	public Normalization {
		if (method == null) method = Method.DATASET;
		if (mean.length != std.length)
			throw new IllegalArgumentException("mean and std differ in channel count");
		for (final float s : std)
			if (!(s > 0) || Float.isInfinite(s))
				throw new IllegalArgumentException("std must be positive and finite, not " + s);
		if (method == Method.PERCENTILE && !(lowPercentile >= 0 && lowPercentile < highPercentile &&
			highPercentile <= 100))
			throw new IllegalArgumentException("percentiles must satisfy 0 <= low < high <= 100, not " +
				lowPercentile + " and " + highPercentile);
		mean = mean.clone();
		std = std.clone();
	}

	/** Whether (value - mean) / std changes anything (always for DATASET). */
	private boolean standardizes() {
		for (int c = 0; c < mean.length; c++)
			if (mean[c] != 0 || std[c] != 1) return true;
		return method == Method.DATASET;
	}

	/** Dataset mean/std normalisation with the given values. */
	public Normalization(final float[] mean, final float[] std) {
		this(Method.DATASET, mean, std, 0, 0);
	}

	/** {@code dataset} normalisation fitted on {@code dataset}. */
	public static Normalization fit(final Dataset dataset) {
		return fit(Method.DATASET, dataset, DEFAULT_LOW, DEFAULT_HIGH);
	}

	/** The normalisation {@code method} for {@code dataset}'s images (only DATASET fits values). */
	public static Normalization fit(final Method method, final Dataset dataset, final double low,
		final double high)
	{
		final int channels = dataset.shape().channels();
		final float[] zero = new float[channels], one = new float[channels];
		Arrays.fill(one, 1f);
		return switch (method) {
			case DATASET -> meanStd(dataset);
			case PERCENTILE -> new Normalization(method, zero, one, low, high);
			case BIT_DEPTH, NONE -> new Normalization(method, zero, one, 0, 0);
		};
	}

	private static Normalization meanStd(final Dataset dataset) {
		final ImageShape shape = dataset.shape();
		final int plane = shape.height() * shape.width();
		final double[] sum = new double[shape.channels()];
		final double[] sumSq = new double[shape.channels()];
		final float[] pixels = new float[shape.size()];
		for (int i = 0; i < dataset.size(); i++) {
			dataset.images().copyTo(i, pixels, 0);
			for (int c = 0; c < shape.channels(); c++) {
				double s = 0, s2 = 0;
				for (int p = c * plane; p < (c + 1) * plane; p++) {
					s += pixels[p];
					s2 += (double) pixels[p] * pixels[p];
				}
				sum[c] += s;
				sumSq[c] += s2;
			}
		}
		final double count = (double) dataset.size() * plane;
		final float[] mean = new float[shape.channels()];
		final float[] std = new float[shape.channels()];
		for (int c = 0; c < mean.length; c++) {
			final double m = sum[c] / count;
			final double variance = Math.max(0, sumSq[c] / count - m * m);
			mean[c] = (float) m;
			// a constant channel gets std 1 so that it maps to zero instead of dividing by zero
			std[c] = variance > 1e-12 ? (float) Math.sqrt(variance) : 1f;
		}
		return new Normalization(Method.DATASET, mean, std, 0, 0);
	}

	/** Normalises {@code count} images stored consecutively in {@code pixels}, in place. */
	public void apply(final float[] pixels, final int offset, final int count, final ImageShape shape) {
		apply(pixels, offset, count, shape, null);
	}

	/**
	 * As {@link #apply(float[], int, int, ImageShape)}, knowing each image's stored bit depth
	 * ({@code bitDepths[i]} for the i-th image here; null or 0 = unknown, then told from the
	 * values: up to 255 is 8-bit, up to 65535 16-bit).
	 */
	public void apply(final float[] pixels, final int offset, final int count, final ImageShape shape,
		final int[] bitDepths)
	{
		final int plane = shape.height() * shape.width();
		for (int i = 0; i < count; i++) {
			final int base = offset + i * shape.size();
			switch (method) {
				case NONE, DATASET -> {}
				case BIT_DEPTH -> {
					final float max = maxValue(bitDepths == null ? 0 : bitDepths[i], pixels, base, shape
						.size());
					if (max != 1f) for (int p = base; p < base + shape.size(); p++)
						pixels[p] /= max;
				}
				case PERCENTILE -> {
					final float[] sorted = new float[plane];
					for (int c = 0; c < shape.channels(); c++) {
						final int from = base + c * plane;
						System.arraycopy(pixels, from, sorted, 0, plane);
						Arrays.sort(sorted);
						final float lo = percentile(sorted, lowPercentile);
						final float hi = percentile(sorted, highPercentile);
						final float scale = hi > lo ? 1f / (hi - lo) : 1f;
						for (int p = from; p < from + plane; p++)
							pixels[p] = (pixels[p] - lo) * scale;
					}
				}
			}
			if (standardizes()) for (int c = 0; c < mean.length; c++) {
				final float m = mean[c];
				final float inv = 1f / std[c];
				for (int p = base + c * plane; p < base + (c + 1) * plane; p++)
					pixels[p] = (pixels[p] - m) * inv;
			}
		}
	}

	/**
	 * Only the per-image step of this normalisation (percentile or bit-depth scaling), without
	 * the per-channel standardisation: what an exported model needs before its graph.
	 */
	public Normalization perImage() {
		final float[] zero = new float[mean.length], one = new float[mean.length];
		Arrays.fill(one, 1f);
		return new Normalization(method, zero, one, lowPercentile, highPercentile);
	}

	/**
	 * This normalisation followed by (value - mean) / std per channel: how a pretrained backbone
	 * expects its input (ImageNet's mean and std after scaling to 0..1).
	 */
	public Normalization thenStandardize(final float[] channelMean, final float[] channelStd) {
		return new Normalization(method, channelMean, channelStd, lowPercentile, highPercentile);
	}

	/**
	 * What an image stored with {@code bitDepth} bits (0: unknown, told from its values) is
	 * divided by under the bit-depth method: 255, 65535, or 1 (32-bit).
	 */
	public static float bitDepthMaximum(final int bitDepth, final float[] image) {
		return maxValue(bitDepth, image, 0, image.length);
	}

	/** What a stored value of {@code bitDepth} bits is divided by: 255, 65535, or 1 (32-bit). */
	static float maxValue(final int bitDepth, final float[] pixels, final int from, final int length) {
		return switch (bitDepth) {
			case 8, 24 -> 255f;
			case 16 -> 65535f;
			case 32 -> 1f;
			default -> {
				float max = 0;
				for (int p = from; p < from + length; p++)
					max = Math.max(max, pixels[p]);
				yield max <= 255 ? 255f : max <= 65535 ? 65535f : 1f;
			}
		};
	}

	/** The p-th percentile of sorted values, linearly interpolated (numpy's default). */
	static float percentile(final float[] sorted, final double p) {
		final double position = p / 100 * (sorted.length - 1);
		final int below = (int) Math.floor(position);
		final int above = Math.min(sorted.length - 1, below + 1);
		final double fraction = position - below;
		return (float) (sorted[below] + fraction * (sorted[above] - sorted[below]));
	}

	/** "percentile 1-99.8", "bit depth", "dataset mean/std", "none". */
	public String describe() {
		return switch (method) {
			case PERCENTILE -> String.format(Locale.ROOT, "percentile %s-%s per image and channel",
				trim(lowPercentile), trim(highPercentile));
			case DATASET -> "dataset mean/std per channel";
			default -> method.toString();
		} + (method != Method.DATASET && standardizes() ? ", then per-channel mean/std " + Arrays
			.toString(mean) + "/" + Arrays.toString(std) : "");
	}

	private static String trim(final double v) {
		return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
	}
}
