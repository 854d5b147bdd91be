package io.deepclass.core.data;

/**
 * Pixels of one image as a decoder returns them: channel-planar float values, 1 channel for
 * gray images (8-, 16- or 32-bit, values as stored) or 3 for RGB (0..255 per channel), and the
 * bit depth they were stored with (8, 16, 32, or 24 for RGB; 0 when unknown).
 */
public record DecodedImage(int width, int height, int channels, float[] pixels, int bitDepth) {

	public DecodedImage {
		if (pixels.length != width * height * channels)
			throw new IllegalArgumentException("pixel count " + pixels.length + " does not match " +
				width + "x" + height + "x" + channels);
	}

	/** An image of unknown bit depth. */
	public DecodedImage(final int width, final int height, final int channels,
		final float[] pixels)
	{
		this(width, height, channels, pixels, 0);
	}

	@Override
	public String toString() {
		return width + "x" + height + (channels == 1 ? " gray" : " RGB");
	}
}
