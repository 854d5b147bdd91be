package io.deepclass.core.data;

/** An {@link ImageStore} holding all pixels in one heap array, image after image. */
public final class ArrayImageStore implements ImageStore {

	private final float[] pixels;

	private final int imageSize;

	public ArrayImageStore(final float[] pixels, final int imageSize) {
		if (imageSize <= 0 || pixels.length % imageSize != 0)
			throw new IllegalArgumentException("pixel array length " + pixels.length +
				" is not a multiple of the image size " + imageSize);
		this.pixels = pixels;
		this.imageSize = imageSize;
	}

	@Override
	public int size() {
		return pixels.length / imageSize;
	}

	@Override
	public int imageSize() {
		return imageSize;
	}

	@Override
	public void copyTo(final int index, final float[] dst, final int offset) {
		System.arraycopy(pixels, index * imageSize, dst, offset, imageSize);
	}
}
