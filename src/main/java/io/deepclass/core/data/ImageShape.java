package io.deepclass.core.data;

/**
 * The shape of one image as the networks see it: channels (1 gray, 3 RGB, or any number of
 * fluorescence channels, or a backbone's features; up to {@value #MAX_CHANNELS}), height,
 * width. Pixels are stored
 * channel-planar (all of channel 0, then channel 1, ...), row by row.
 */
public record ImageShape(int channels, int height, int width) {

	public ImageShape {
		if (channels < SIZE_ONLY || channels > MAX_CHANNELS)
			throw new IllegalArgumentException("channels must be 1 to " + MAX_CHANNELS + ", not " +
				channels);
		if (height < 1 || width < 1)
			throw new IllegalArgumentException("image size must be positive, not " + width + "x" + height);
	}

	/** Channels of a {@link #sizeOnly} target: whatever the first image has. */
	private static final int SIZE_ONLY = 0;

	/**
	 * A target for importers that sets the size and keeps the channels of the first image; not
	 * the shape of any image (its {@link #size()} is 0).
	 */
	public static ImageShape sizeOnly(final int height, final int width) {
		return new ImageShape(SIZE_ONLY, height, width);
	}

	/** True for a {@link #sizeOnly} target. */
	public boolean isSizeOnly() {
		return channels == SIZE_ONLY;
	}

	/** This target for an image of {@code imageChannels}: a size-only one takes them. */
	public ImageShape forChannels(final int imageChannels) {
		return isSizeOnly() ? new ImageShape(imageChannels, height, width) : this;
	}

	/**
	 * The most channels an image may have: far more than microscopes give, because a pretrained
	 * backbone's features (512 for ResNet-18, 1 280 for MobileNetV2) travel as C x 1 x 1 images.
	 */
	public static final int MAX_CHANNELS = 8192;

	/** Number of values in one image: channels x height x width. */
	public int size() {
		return channels * height * width;
	}

	/** The NCHW shape of a batch of {@code n} such images. */
	public long[] batchShape(final int n) {
		return new long[] { n, channels, height, width };
	}

	/**
	 * Written out: a record's generated {@code equals} is linked on its first call, which took
	 * 10-19 ms on the reference machine, paid by the first classification of every session.
	 */
	@Override
	public boolean equals(final Object other) {
		return other instanceof ImageShape shape && shape.channels == channels &&
			shape.height == height && shape.width == width;
	}

	@Override
	public int hashCode() {
		return (channels * 31 + height) * 31 + width;
	}

	@Override
	public String toString() {
		return width + "x" + height + channelsText(channels);
	}

	/** " gray", " RGB" (3 channels), " 4-channel". */
	public static String channelsText(final int channels) {
		return channels == 1 ? " gray" : channels == 3 ? " RGB" : " " + channels + "-channel";
	}
}
