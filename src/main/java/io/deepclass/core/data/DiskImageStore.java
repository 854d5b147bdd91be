package io.deepclass.core.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Images in a float cache file on disk instead of the Java heap, for datasets larger than
 * memory: written once at import ({@link Writer}), then read image by image with positional
 * reads. Not memory-mapped on purpose: mapped pages that training touches count towards the
 * process's resident memory until the kernel needs them back, read pages stay in the kernel's
 * page cache (fast when the file fits, and given up under pressure). Thread-safe for reading.
 * The file is deleted when the store is closed or the JVM exits.
 */
public final class DiskImageStore implements ImageStore, AutoCloseable {

	private final Path file;

	private final FileChannel channel;

	private final int size, imageSize;

	private final ThreadLocal<ByteBuffer> buffers;

	private DiskImageStore(final Path file, final int size, final int imageSize)
		throws IOException
	{
		this.file = file;
		this.size = size;
		this.imageSize = imageSize;
		this.channel = FileChannel.open(file, StandardOpenOption.READ);
		this.buffers = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(imageSize * 4).order(
			ByteOrder.LITTLE_ENDIAN));
	}

	/** Starts a cache file of images of {@code imageSize} values in {@code folder}. */
	public static Writer writer(final Path folder, final int imageSize) throws IOException {
		Files.createDirectories(folder);
		final Path file = Files.createTempFile(folder, "deepclass-images-", ".f32");
		file.toFile().deleteOnExit();
		return new Writer(file, imageSize);
	}

	/** The default cache folder: {@code deepclass.cache} or the system's temporary folder. */
	public static Path defaultFolder() {
		return Path.of(System.getProperty("deepclass.cache", System.getProperty("java.io.tmpdir")));
	}

	public Path file() {
		return file;
	}

	@Override
	public int size() {
		return size;
	}

	@Override
	public int imageSize() {
		return imageSize;
	}

	@Override
	public void copyTo(final int index, final float[] dst, final int offset) {
		if (index < 0 || index >= size) throw new IndexOutOfBoundsException(index);
		final ByteBuffer buffer = buffers.get().clear();
		long position = (long) index * imageSize * 4;
		try {
			while (buffer.hasRemaining()) {
				final int read = channel.read(buffer, position);
				if (read < 0) throw new IOException("the image cache " + file + " ends early");
				position += read;
			}
		}
		catch (final IOException e) {
			throw new UncheckedIOException("cannot read image " + index + " from the image cache " +
				file + ": " + e.getMessage(), e);
		}
		buffer.flip().asFloatBuffer().get(dst, offset, imageSize);
	}

	/** A view of the images at {@code indices}: nothing is copied, they stay on disk. */
	@Override
	public ImageStore subset(final int[] indices) {
		return new IndexedImageStore(this, indices);
	}

	@Override
	public boolean onDisk() {
		return true;
	}

	@Override
	public void close() throws IOException {
		channel.close();
		Files.deleteIfExists(file);
	}

	/** Appends images to a cache file; {@link #finish()} gives the store. */
	public static final class Writer implements AutoCloseable {

		private final Path file;

		private final FileChannel channel;

		private final int imageSize;

		private final ByteBuffer buffer;

		private int count;

		private boolean finished;

		private Writer(final Path file, final int imageSize) throws IOException {
			this.file = file;
			this.imageSize = imageSize;
			this.channel = FileChannel.open(file, StandardOpenOption.WRITE,
				StandardOpenOption.TRUNCATE_EXISTING);
			// a few images per write: fewer system calls
			this.buffer = ByteBuffer.allocateDirect(Math.max(1, (1 << 20) / (imageSize * 4)) *
				imageSize * 4).order(ByteOrder.LITTLE_ENDIAN);
		}

		public void append(final float[] image) throws IOException {
			if (image.length != imageSize) throw new IllegalArgumentException("image of " + image
				.length + " values, the cache holds " + imageSize);
			if (buffer.remaining() < imageSize * 4) flush();
			buffer.asFloatBuffer().put(image);
			buffer.position(buffer.position() + imageSize * 4);
			count++;
		}

		public int count() {
			return count;
		}

		private void flush() throws IOException {
			buffer.flip();
			while (buffer.hasRemaining())
				channel.write(buffer);
			buffer.clear();
		}

		public DiskImageStore finish() throws IOException {
			flush();
			channel.close();
			finished = true;
			return new DiskImageStore(file, count, imageSize);
		}

		/** Without {@link #finish()}: the partial cache is deleted. */
		@Override
		public void close() throws IOException {
			if (finished) return;
			channel.close();
			Files.deleteIfExists(file);
		}
	}
}
