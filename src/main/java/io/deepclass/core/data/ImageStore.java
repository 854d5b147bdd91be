package io.deepclass.core.data;

/**
 * Where a dataset's pixels live. The in-memory {@link ArrayImageStore} holds them on the heap; a
 * disk-backed store can implement the same contract for folders too large for memory.
 */
public interface ImageStore {

	/** Number of images. */
	int size();

	/** Values per image (channels x height x width). */
	int imageSize();

	/** Copies image {@code index} into {@code dst} starting at {@code offset}. */
	void copyTo(int index, float[] dst, int offset);

	/**
	 * Whether reading an image costs a disk read (then training prepares the next batch while
	 * the network trains on this one).
	 */
	default boolean onDisk() {
		return false;
	}

	/** A new store holding the images at {@code indices}, in that order. */
	default ImageStore subset(final int[] indices) {
		final int n = imageSize();
		final float[] pixels = new float[indices.length * n];
		for (int i = 0; i < indices.length; i++)
			copyTo(indices[i], pixels, i * n);
		return new ArrayImageStore(pixels, n);
	}
}
