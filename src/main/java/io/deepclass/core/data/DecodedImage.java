package io.deepclass.core.data;

import java.util.Arrays;

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
		return width + "x" + height + (channels == 3 && bitDepth != 24 && bitDepth != 0 ? " 3-channel"
			: ImageShape.channelsText(channels));
	}

	/**
	 * This image with only the given channels, in that order (1-based, as ImageJ counts them).
	 *
	 * @throws DatasetException when a channel is not there
	 */
	public DecodedImage selectChannels(final int[] oneBased) {
		final int plane = width * height;
		final float[] out = new float[plane * oneBased.length];
		for (int i = 0; i < oneBased.length; i++) {
			if (oneBased[i] < 1 || oneBased[i] > channels)
				throw new DatasetException("channel " + oneBased[i] + " was asked for, but the image has " +
					channels + (channels == 1 ? " channel" : " channels") + ".");
			System.arraycopy(pixels, (oneBased[i] - 1) * plane, out, i * plane, plane);
		}
		return new DecodedImage(width, height, oneBased.length, out, bitDepth);
	}

	/**
	 * "1,3" or "2, 1" as 1-based channel numbers; null or blank gives null (all channels).
	 *
	 * @throws DatasetException for anything else, naming the expected form
	 */
	public static int[] parseChannels(final String text) {
		if (text == null || text.isBlank()) return null;
		try {
			final int[] channels = Arrays.stream(text.split("[,;\\s]+")).filter(s -> !s
				.isEmpty()).mapToInt(Integer::parseInt).toArray();
			if (channels.length == 0) return null;
			return channels;
		}
		catch (final NumberFormatException e) {
			throw new DatasetException("select_channels must list channel numbers, e.g. 1,3, not '" +
				text + "'.");
		}
	}
}
