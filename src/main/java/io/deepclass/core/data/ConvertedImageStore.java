package io.deepclass.core.data;

/**
 * Another store's images, each resized and converted to a target shape when it is read: a
 * dataset converted to a pretrained backbone's input (224 x 224 x 3 from 64 x 64 gray, say)
 * without a second copy in memory or on disk. Readers in parallel convert in parallel.
 */
final class ConvertedImageStore implements ImageStore {

	private final ImageStore base;

	private final ImageShape from, to;

	private final ThreadLocal<float[]> source;

	ConvertedImageStore(final ImageStore base, final ImageShape from, final ImageShape to) {
		this.base = base;
		this.from = from;
		this.to = to;
		this.source = ThreadLocal.withInitial(() -> new float[from.size()]);
	}

	@Override
	public int size() {
		return base.size();
	}

	@Override
	public int imageSize() {
		return to.size();
	}

	@Override
	public void copyTo(final int index, final float[] dst, final int offset) {
		final float[] pixels = source.get();
		base.copyTo(index, pixels, 0);
		final float[] converted = ImageConverter.convert(new DecodedImage(from.width(), from.height(),
			from.channels(), pixels), to);
		System.arraycopy(converted, 0, dst, offset, converted.length);
	}

	@Override
	public ImageStore subset(final int[] indices) {
		return new ConvertedImageStore(base.subset(indices), from, to);
	}

	@Override
	public boolean onDisk() {
		return base.onDisk();
	}
}
