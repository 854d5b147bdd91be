package io.deepclass.core.engine;

import org.bytedeco.dnnl.memory;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The last array one oneDNN call wrote through a reorder from oneDNN's blocked layout, still in
 * that layout, for the very next call of the same thread if that one reads the same array in the
 * same layout: the reorder back is then skipped. A convolution followed by its BatchNorm writes
 * its output blocked and reorders it to NCHW for DL4J; the BatchNorm reordered that to blocked
 * again (and backward, the BatchNorm's input gradient, which the convolution reordered back).
 *
 * <p>Why it is safe: a handoff is valid for one array object, and only until the next oneDNN call
 * of the thread ends, whatever that call is; producers mark only arrays that nothing but the next
 * layer reads (callers decide: an output of a layer with a single consumer, or an input gradient
 * for a layer with a single consumer), so no other code can have changed the array in between.
 * Two buffers alternate, since one call can read one handoff and write the next.
 */
final class BlockedHandoff {

	/** 64 bytes, oneDNN's preferred alignment. */
	private static final long ALIGN = 64;

	private static final ThreadLocal<BlockedHandoff> THREAD = new ThreadLocal<>();

	private final Pointer[] buffers = new Pointer[2];

	private final long[] sizes = new long[2];

	/** The array whose values {@link #valid} holds blocked, or null. */
	private INDArray array;

	private memory.desc desc;

	/** The buffer holding the valid handoff, or -1. */
	private int valid = -1;

	/** Set while a call writes a handoff, committed when the call ends. */
	private INDArray pendingArray;

	private memory.desc pendingDesc;

	private int pending = -1;

	/** How many handoffs this thread's calls have read (tests). */
	private long taken;

	private BlockedHandoff() {}

	static BlockedHandoff get() {
		BlockedHandoff handoff = THREAD.get();
		if (handoff == null) THREAD.set(handoff = new BlockedHandoff());
		return handoff;
	}

	/**
	 * The blocked values of {@code array} if the last call left them in {@code layout}, else null.
	 */
	Pointer take(final INDArray array, final memory.desc layout) {
		if (valid < 0 || this.array != array || !desc.equals(layout)) return null;
		taken++;
		return aligned(valid);
	}

	/** How many handoffs this thread's calls have read so far. */
	long taken() {
		return taken;
	}

	/**
	 * A buffer for a call's output in blocked layout, to be read by the next call as the values of
	 * {@code array}.
	 */
	Pointer offer(final INDArray array, final memory.desc layout, final long bytes) {
		final int slot = valid == 0 ? 1 : 0;
		if (sizes[slot] < bytes) {
			if (buffers[slot] != null) ThreadBuffers.free(buffers[slot]);
			buffers[slot] = null;
			sizes[slot] = 0;
			final Pointer raw = ThreadBuffers.allocate(bytes + ALIGN, "oneDNN handoff");
			buffers[slot] = raw;
			sizes[slot] = bytes;
		}
		pendingArray = array;
		pendingDesc = layout;
		pending = slot;
		return aligned(slot);
	}

	/** A call ended: what it offered is valid for the next one, anything older is not. */
	void callEnded(final boolean completed) {
		valid = completed ? pending : -1;
		array = completed ? pendingArray : null;
		desc = completed ? pendingDesc : null;
		pending = -1;
		pendingArray = null;
		pendingDesc = null;
	}

	/** Frees this thread's handoff buffers, if it has any; its next offer allocates anew. */
	static void releaseThread() {
		final BlockedHandoff handoff = THREAD.get();
		if (handoff == null) return;
		THREAD.remove();
		for (int slot = 0; slot < 2; slot++)
			if (handoff.buffers[slot] != null) ThreadBuffers.free(handoff.buffers[slot]);
	}

	private Pointer aligned(final int slot) {
		final long address = buffers[slot].address();
		return new Aligned(address + (ALIGN - address % ALIGN) % ALIGN);
	}

	/** A pointer to an address inside a handoff buffer. */
	private static final class Aligned extends Pointer {

		Aligned(final long address) {
			this.address = address;
		}
	}
}
