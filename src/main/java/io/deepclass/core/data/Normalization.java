package io.deepclass.core.data;

/**
 * Per-channel intensity normalisation, (value - mean) / std, fitted on training images and
 * stored with the model so that classification applies exactly what training applied.
 */
public record Normalization(float[] mean, float[] std) {

	public Normalization {
		if (mean.length != std.length)
			throw new IllegalArgumentException("mean and std differ in channel count");
		for (final float s : std)
			if (!(s > 0) || Float.isInfinite(s))
				throw new IllegalArgumentException("std must be positive and finite, not " + s);
		mean = mean.clone();
		std = std.clone();
	}

	/** Mean and standard deviation of each channel over all pixels of all images. */
	public static Normalization fit(final Dataset dataset) {
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
		return new Normalization(mean, std);
	}

	/** Normalises {@code count} images stored consecutively in {@code pixels}, in place. */
	public void apply(final float[] pixels, final int offset, final int count, final ImageShape shape) {
		final int plane = shape.height() * shape.width();
		for (int i = 0; i < count; i++) {
			final int base = offset + i * shape.size();
			for (int c = 0; c < mean.length; c++) {
				final float m = mean[c];
				final float inv = 1f / std[c];
				for (int p = base + c * plane; p < base + (c + 1) * plane; p++)
					pixels[p] = (pixels[p] - m) * inv;
			}
		}
	}
}
