package io.deepclass.core.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Images in a float cache file on disk instead of the Java heap, for datasets larger than
 * memory: written once at import ({@link Writer}), then read image by image with positional
 * reads. Not memory-mapped on purpose: mapped pages that training touches count towards the
 * process's resident memory until the kernel needs them back, read pages stay in the kernel's
 * page cache (fast when the file fits, and given up under pressure). Thread-safe for reading.
 * <p>
 * The file is deleted when the store is closed, when it is no longer reachable (a cleaner), or
 * when the JVM exits; one left by a killed JVM is deleted by the next writer in the same folder
 * (each store holds a lock on its file while it lives, so a file nobody holds is stale).
 */
import io.deepclass.core.TemporaryFiles;

public final class DiskImageStore implements ImageStore, AutoCloseable {

	private static final Cleaner CLEANER = Cleaner.create();

	private static final String PREFIX = "deepclass-images-", SUFFIX = ".f32";

	private final Path file;

	private final int size, imageSize;

	private final State state;

	private final Cleaner.Cleanable cleanable;

	private final ThreadLocal<ByteBuffer> buffers;

	/** The channel and lock, apart from the store so that the cleaner can close them. */
	private static final class State implements Runnable {

		final Path file;

		volatile FileChannel channel;

		FileLock lock;

		State(final Path file, final FileChannel channel, final FileLock lock) {
			this.file = file;
			this.channel = channel;
			this.lock = lock;
		}

		/**
		 * An interrupted reading thread closes a FileChannel for all its users: open it again,
		 * once per closing.
		 */
		synchronized FileChannel reopen(final FileChannel closed) throws IOException {
			if (channel != closed && channel.isOpen()) return channel;
			final FileChannel fresh = FileChannel.open(file, StandardOpenOption.READ,
				StandardOpenOption.WRITE);
			try {
				lock = fresh.tryLock();
			}
			catch (final OverlappingFileLockException e) {
				// still held through the old channel's lock object: fine
			}
			channel = fresh;
			return fresh;
		}

		@Override
		public synchronized void run() {
			try {
				channel.close();
			}
			catch (final IOException e) {
				// deleting the file below is what matters
			}
			try {
				Files.deleteIfExists(file);
			}
			catch (final IOException e) {
				file.toFile().deleteOnExit();
			}
		}
	}

	private DiskImageStore(final Path file, final FileChannel channel, final FileLock lock,
		final int size, final int imageSize)
	{
		this.file = file;
		this.size = size;
		this.imageSize = imageSize;
		this.state = new State(file, channel, lock);
		this.cleanable = CLEANER.register(this, state);
		this.buffers = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(imageSize * 4).order(
			ByteOrder.LITTLE_ENDIAN));
	}

	/** Starts a cache file of images of {@code imageSize} values in {@code folder}. */
	public static Writer writer(final Path folder, final int imageSize) throws IOException {
		Files.createDirectories(folder);
		removeStale(folder);
		final Path file = Files.createTempFile(folder, PREFIX, SUFFIX);
		file.toFile().deleteOnExit();
		return new Writer(file, imageSize);
	}

	/** Deletes cache files in {@code folder} that no living store holds (left by a killed JVM). */
	static void removeStale(final Path folder) {
		TemporaryFiles.removeUnlocked(folder, PREFIX + "*" + SUFFIX);
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
		final ByteBuffer buffer = buffers.get();
		boolean interrupted = false;
		for (int attempt = 0;; attempt++) {
			final FileChannel channel = state.channel;
			buffer.clear();
			long position = (long) index * imageSize * 4;
			try {
				while (buffer.hasRemaining()) {
					final int read = channel.read(buffer, position);
					if (read < 0) throw new IOException("the image cache " + file + " ends early");
					position += read;
				}
				break;
			}
			catch (final ClosedChannelException e) {
				if (attempt > 0 || !Files.exists(file)) throw new UncheckedIOException("the image cache " +
					file + " was closed", e);
				interrupted |= Thread.interrupted(); // kept for the caller, after the read
				try {
					state.reopen(channel);
				}
				catch (final IOException again) {
					throw new UncheckedIOException("cannot reopen the image cache " + file + ": " + again
						.getMessage(), again);
				}
			}
			catch (final IOException e) {
				throw new UncheckedIOException("cannot read image " + index + " from the image cache " +
					file + ": " + e.getMessage(), e);
			}
		}
		buffer.flip().asFloatBuffer().get(dst, offset, imageSize);
		if (interrupted) Thread.currentThread().interrupt();
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

	/** Closes the file and deletes it. */
	@Override
	public void close() {
		cleanable.clean();
	}

	/** Appends images to a cache file; {@link #finish()} gives the store. */
	public static final class Writer implements AutoCloseable {

		private final Path file;

		private final FileChannel channel;

		private final FileLock lock;

		private final int imageSize;

		private final ByteBuffer buffer;

		private int count;

		private boolean finished;

		private Writer(final Path file, final int imageSize) throws IOException {
			this.file = file;
			this.imageSize = imageSize;
			this.channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
				StandardOpenOption.TRUNCATE_EXISTING);
			this.lock = channel.tryLock();
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

		/** The store, reading through the same channel, which keeps the file's lock. */
		public DiskImageStore finish() throws IOException {
			flush();
			finished = true;
			return new DiskImageStore(file, channel, lock, count, imageSize);
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
