package io.deepclass.core.data;

/**
 * Some images of another store, in a given order, without copying them: subsets (training and
 * validation splits) of a disk-backed store stay on disk.
 */
final class IndexedImageStore implements ImageStore {

	private final ImageStore base;

	private final int[] indices;

	IndexedImageStore(final ImageStore base, final int[] indices) {
		for (final int i : indices)
			if (i < 0 || i >= base.size()) throw new IndexOutOfBoundsException(i);
		this.base = base;
		this.indices = indices.clone();
	}

	@Override
	public int size() {
		return indices.length;
	}

	@Override
	public int imageSize() {
		return base.imageSize();
	}

	@Override
	public void copyTo(final int index, final float[] dst, final int offset) {
		base.copyTo(indices[index], dst, offset);
	}

	@Override
	public ImageStore subset(final int[] subset) {
		final int[] composed = new int[subset.length];
		for (int i = 0; i < subset.length; i++)
			composed[i] = indices[subset[i]];
		return new IndexedImageStore(base, composed);
	}

	@Override
	public boolean onDisk() {
		return base.onDisk();
	}
}
