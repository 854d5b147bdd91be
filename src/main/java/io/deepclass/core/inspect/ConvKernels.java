package io.deepclass.core.inspect;

/**
 * The weights of one convolution layer: {@code filters} kernels of {@code channels} input
 * channels, each {@code height x width}, in DL4J's (and PyTorch's) order [filter][channel][y][x].
 *
 * @param layer the layer's name, e.g. "conv1 (layer 0)"
 * @param number the convolution layer's number among the network's convolution layers, from 1
 */
public record ConvKernels(String layer, int number, int filters, int channels, int height,
	int width, float[] weights)
{

	public ConvKernels {
		if (weights.length != (long) filters * channels * height * width)
			throw new IllegalArgumentException(weights.length + " weights for " + filters + "x" +
				channels + "x" + height + "x" + width);
	}

	/** One kernel, row by row. */
	public float[] kernel(final int filter, final int channel) {
		final int size = height * width;
		final float[] k = new float[size];
		System.arraycopy(weights, (filter * channels + channel) * size, k, 0, size);
		return k;
	}
}
