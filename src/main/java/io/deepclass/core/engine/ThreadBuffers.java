package io.deepclass.core.engine;

import java.util.concurrent.atomic.AtomicLong;

import org.bytedeco.javacpp.Pointer;

/**
 * The native buffers the fast layers keep per thread between calls (oneDNN's scratch for
 * blocked copies, {@link OneDnn.Scratch}; the blocked handoff between layers,
 * {@link BlockedHandoff}): allocated with malloc, freed when they must grow, and, for a thread
 * that is done, by {@link #release}. Nothing else frees them: a thread that ends without it
 * leaves them allocated for the life of the process. ImageJ runs each menu command on a thread of
 * its own, so each Train or Classify from the menu left its buffers behind (tens to hundreds of
 * MB for a large network at a large size).
 *
 * <p>Loads nothing: releasing on a thread that never computed, or where ND4J could not load,
 * does nothing.
 */
final class ThreadBuffers {

	/** Bytes allocated and not yet freed, over all threads (tests). */
	private static final AtomicLong LIVE = new AtomicLong();

	private ThreadBuffers() {}

	/** Frees this thread's buffers; its next call allocates anew. Not during a call. */
	static void release() {
		OneDnn.Scratch.releaseThread();
		BlockedHandoff.releaseThread();
	}

	/** {@code bytes} of native memory; {@code what} names it in the error when there are none. */
	static Pointer allocate(final long bytes, final String what) {
		final Pointer raw = Pointer.malloc(bytes);
		if (raw == null || raw.isNull()) throw new OutOfMemoryError(what + " of " + bytes + " bytes");
		raw.capacity(bytes);
		LIVE.addAndGet(bytes);
		return raw;
	}

	/** Frees a buffer {@link #allocate} gave. */
	static void free(final Pointer buffer) {
		LIVE.addAndGet(-buffer.capacity());
		Pointer.free(buffer);
	}

	/** Bytes allocated and not yet freed, over all threads. */
	static long live() {
		return LIVE.get();
	}
}
