package io.deepclass.core.inspect;

/**
 * What one layer of a network outputs for one image: {@code channels} maps of
 * {@code height x width}, channel by channel, row by row.
 *
 * @param layer what the maps are, e.g. "conv1 + BatchNorm + ReLU (layers 0-2)"
 * @param number the convolution layer's number among the network's convolution layers, from 1
 */
public record FeatureMaps(String layer, int number, int channels, int height, int width,
	float[] values)
{

	public FeatureMaps {
		if (values.length != (long) channels * height * width)
			throw new IllegalArgumentException(values.length + " values for " + channels + "x" +
				height + "x" + width);
	}

	/** One channel's map, row by row. */
	public float[] map(final int channel) {
		final int size = height * width;
		final float[] m = new float[size];
		System.arraycopy(values, channel * size, m, 0, size);
		return m;
	}
}
