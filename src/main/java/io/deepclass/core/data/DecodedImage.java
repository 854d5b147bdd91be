package io.deepclass.core.data;

/**
 * Pixels of one image as a decoder returns them: channel-planar float values, 1 channel for
 * gray images (8-, 16- or 32-bit, values as stored) or 3 for RGB (0..255 per channel).
 */
public record DecodedImage(int width, int height, int channels, float[] pixels) {

	public DecodedImage {
		if (pixels.length != width * height * channels)
			throw new IllegalArgumentException("pixel count " + pixels.length + " does not match " +
				width + "x" + height + "x" + channels);
	}

	@Override
	public String toString() {
		return width + "x" + height + (channels == 1 ? " gray" : " RGB");
	}
}
