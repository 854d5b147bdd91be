package io.deepclass.core.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.primitive;
import org.bytedeco.dnnl.reorder;
import org.bytedeco.dnnl.stream;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What {@link OneDnnConv} and {@link OneDnnPool} share: the JavaCPP build of oneDNN
 * (org.bytedeco:dnnl, which runs on ND4J's OpenMP threads), its CPU engine, and the binding of
 * ND4J arrays to oneDNN memory without copies.
 */
final class OneDnn {

	/** System property: "false" turns these primitives off (DL4J's own code then runs). */
	static final String PROPERTY = "deepclass.onednn";

	/** The CPU engine, or null when oneDNN is off, cannot load, or ND4J computes on a GPU. */
	static final engine ENGINE = load();

	private OneDnn() {}

	/** True when oneDNN is loaded and ND4J computes on the CPU. */
	static boolean available() {
		return ENGINE != null;
	}

	/** "2.5.2" and the like, or null when oneDNN is not available. */
	static String version() {
		if (ENGINE == null) return null;
		final org.bytedeco.dnnl.dnnl_version_t v = org.bytedeco.dnnl.global.dnnl.dnnl_version();
		return v.major() + "." + v.minor() + "." + v.patch();
	}

	private static engine load() {
		if (!Boolean.parseBoolean(System.getProperty(PROPERTY, "true"))) return null;
		try {
			if (!Nd4j.getEnvironment().isCPU()) return null;
			Loader.load(org.bytedeco.dnnl.global.dnnl.class);
			return new engine(engine.kind.cpu, 0);
		}
		catch (final LinkageError | RuntimeException e) {
			return null; // no oneDNN build for this platform: DL4J's code runs
		}
	}

	/**
	 * True for arrays oneDNN can read and write in place: FLOAT, and laid out row-major and dense
	 * from their first value on, so the buffer is the NCHW (or OIHW) array. Dimensions of size 1
	 * may have any stride (ND4J's own stride check rejects a [64,1,28,28] batch).
	 */
	static boolean plain(final INDArray array) {
		if (array == null || array.dataType() != DataType.FLOAT || array.isEmpty()) return false;
		final long[] shape = array.shape();
		final long[] stride = array.stride();
		long dense = 1;
		for (int d = shape.length - 1; d >= 0; d--) {
			if (shape[d] != 1 && stride[d] != dense) return false;
			dense *= shape[d];
		}
		return true;
	}

	/**
	 * A map from a shape key to the primitives built for it, forgetting the least recently used
	 * beyond four (a training batch size, the last smaller batch, inference batches).
	 */
	static <V> Map<String, V> shapeCache() {
		return new LinkedHashMap<>(8, 0.75f, true) {

			@Override
			protected boolean removeEldestEntry(final Map.Entry<String, V> eldest) {
				return size() > 4;
			}
		};
	}

	/** The key of {@link #shapeCache} for the shapes of these arrays. */
	static String shapeKey(final INDArray a, final INDArray b) {
		return Arrays.toString(a.shape()) + Arrays.toString(b.shape());
	}

	static memory.desc desc(final long[] dims, final memory.format_tag tag) {
		return new memory.desc(dims, memory.data_type.f32, tag);
	}

	/** The host address of a {@link #plain} array's first value (a view's buffer starts there). */
	private static FloatPointer pointer(final INDArray array) {
		return new FloatPointer(array.data().addressPointer());
	}

	/** Binds an input: its array, reordered into the primitive's layout when they differ. */
	static void in(final stream stream, final Operand operand, final INDArray array,
		final IntMemoryMap args, final int role)
	{
		operand.user.set_data_handle(pointer(array));
		if (operand.toInner != null) {
			operand.inner.set_data_handle(Scratch.get().next(operand.innerBytes));
			operand.toInner.execute(stream, operand.user, operand.inner);
		}
		args.put(role, operand.inner);
	}

	/**
	 * As {@link #in}, reading the blocked values the previous call left for this array
	 * ({@link BlockedHandoff}) instead of reordering the array again when there are such values.
	 */
	static void inHandoff(final stream stream, final Operand operand, final INDArray array,
		final IntMemoryMap args, final int role)
	{
		final Pointer kept = operand.toInner == null ? null : BlockedHandoff.get().take(array,
			operand.inner.get_desc());
		if (kept == null) {
			in(stream, operand, array, args, role);
			return;
		}
		operand.inner.set_data_handle(kept);
		args.put(role, operand.inner);
	}

	/**
	 * As {@link #out}, leaving the blocked values for the next call ({@link BlockedHandoff}). Only
	 * for arrays that nothing else reads or writes before that call.
	 */
	static void outHandoff(final Operand operand, final INDArray array, final IntMemoryMap args,
		final int role)
	{
		if (operand.toUser == null) {
			out(operand, array, args, role);
			return;
		}
		operand.user.set_data_handle(pointer(array));
		operand.inner.set_data_handle(BlockedHandoff.get().offer(array, operand.inner.get_desc(),
			operand.innerBytes));
		args.put(role, operand.inner);
	}

	/** Binds an output; {@link #run} reorders it into its array afterwards. */
	static void out(final Operand operand, final INDArray array, final IntMemoryMap args,
		final int role)
	{
		operand.user.set_data_handle(pointer(array));
		if (operand.toUser != null) operand.inner.set_data_handle(Scratch.get().next(
			operand.innerBytes));
		args.put(role, operand.inner);
	}

	/**
	 * Runs {@code op}, reorders its outputs into their arrays and waits for all of it. The
	 * argument map is the caller's, kept with the primitive: each call binds the same memory
	 * objects to the same roles (only their data handles change), so a new native map per call
	 * (an allocation, and JavaCPP's check of the process's physical memory) is not needed.
	 */
	static void run(final stream stream, final primitive op, final IntMemoryMap args,
		final Operand... outputs)
	{
		boolean executed = false;
		try {
			execute(stream, op, args, outputs);
			executed = true;
		}
		finally {
			finish(stream, executed);
		}
	}

	/**
	 * Queues {@code op} and the reorders of its outputs into their arrays; {@link #finish} waits
	 * for them. For several primitives sharing operands in oneDNN's layouts within one call.
	 */
	static void execute(final stream stream, final primitive op, final IntMemoryMap args,
		final Operand... outputs)
	{
		op.execute(stream, args);
		for (final Operand output : outputs)
			if (output.toUser != null) output.toUser.execute(stream, output.inner, output.user);
	}

	/**
	 * Waits for what {@link #execute} queued and frees this call's scratch buffers; the call's
	 * {@link BlockedHandoff} counts only when everything was {@code executed}.
	 */
	static void finish(final stream stream, final boolean executed) {
		boolean completed = false;
		try {
			stream._wait();
			completed = executed;
		}
		finally {
			Scratch.get().release();
			BlockedHandoff.get().callEnded(completed);
		}
	}

	/**
	 * Binds {@code to} to the values {@code from} already holds in this call (bound by {@link #in}
	 * in the same layout): an input two primitives read, reordered once.
	 */
	static void share(final Operand from, final Operand to, final IntMemoryMap args,
		final int role)
	{
		to.inner.set_data_handle(from.inner.get_data_handle());
		args.put(role, to.inner);
	}

	/**
	 * Buffers for operands in oneDNN's own layouts (blocked activations, reordered weights), shared
	 * by all layers of a thread: they hold values only during one call ({@link #in} to
	 * {@link #run}). Each operand used to keep its own, so every layer held several copies of its
	 * input and output for good (mobilenet_v2 at 224 px, batch 32: 11.5 GB peak memory, most of
	 * it these). A call takes, for each operand, the smallest free buffer that is large enough
	 * (else the largest free one grows): buffers handed out by position instead grew, each, to
	 * the largest operand at that position in any call, as two of 134 MB in {@code bncnn} at
	 * 128 x 128, batch 64 (the first convolution's output, then its output gradient), where one
	 * does.
	 */
	static final class Scratch {

		private static final ThreadLocal<Scratch> THREAD = new ThreadLocal<>();

		/** 64 bytes, oneDNN's preferred alignment. */
		private static final long ALIGN = 64;

		private final List<Pointer> buffers = new ArrayList<>();

		private final List<Long> sizes = new ArrayList<>();

		/** Which buffers this call holds. */
		private final BitSet used = new BitSet();

		/** This thread's buffers. */
		static Scratch get() {
			Scratch scratch = THREAD.get();
			if (scratch == null) THREAD.set(scratch = new Scratch());
			return scratch;
		}

		/** Frees this thread's buffers, if it has any; its next call allocates anew. */
		static void releaseThread() {
			final Scratch scratch = THREAD.get();
			if (scratch == null) return;
			THREAD.remove();
			for (final Pointer buffer : scratch.buffers)
				if (buffer != null) ThreadBuffers.free(buffer);
			scratch.buffers.clear();
			scratch.sizes.clear();
		}

		/** A buffer of at least {@code bytes}, distinct from the others handed out in this call. */
		Pointer next(final long bytes) {
			int chosen = -1, largest = -1;
			for (int i = used.nextClearBit(0); i < buffers.size(); i = used.nextClearBit(i + 1)) {
				if (sizes.get(i) >= bytes && (chosen < 0 || sizes.get(i) < sizes.get(chosen))) chosen = i;
				if (largest < 0 || sizes.get(i) > sizes.get(largest)) largest = i;
			}
			if (chosen < 0) {
				if (largest < 0) {
					largest = buffers.size();
					buffers.add(null);
					sizes.add(0L);
				}
				else ThreadBuffers.free(buffers.get(largest));
				buffers.set(largest, null);
				sizes.set(largest, 0L);
				final Pointer raw = ThreadBuffers.allocate(bytes + ALIGN, "oneDNN scratch");
				buffers.set(largest, raw);
				sizes.set(largest, bytes);
				chosen = largest;
			}
			used.set(chosen);
			final long address = buffers.get(chosen).address();
			return new Aligned(address + (ALIGN - address % ALIGN) % ALIGN);
		}

		void release() {
			used.clear();
		}
	}

	/** A pointer to an address inside a scratch buffer. */
	private static final class Aligned extends Pointer {

		Aligned(final long address) {
			this.address = address;
		}
	}

	/** A convolution or pooling window: kernel, strides and start padding, per spatial axis. */
	record Window(long[] kernel, long[] strides, long[] padding) {

		static Window of(final int[] kernel, final int[] strides, final int[] padding) {
			return new Window(new long[] { kernel[0], kernel[1] }, new long[] { strides[0],
				strides[1] }, new long[] { padding[0], padding[1] });
		}

		/**
		 * Padding after the last row and column for an NCHW input of shape x giving output y: the
		 * start padding unless DL4J's "Truncate" mode drops positions that a stride does not reach.
		 */
		long[] paddingEnd(final long[] x, final long[] y) {
			final long[] end = new long[2];
			for (int d = 0; d < 2; d++)
				end[d] = (y[2 + d] - 1) * strides[d] + kernel[d] - x[2 + d] - padding[d];
			return end;
		}
	}

	/**
	 * A tensor as DL4J holds it (user) and as a primitive wants it (inner); when the layouts
	 * differ, the values go through a kept reorder primitive and a scratch buffer.
	 */
	static final class Operand {

		final memory user;

		final memory inner;

		final reorder toInner;

		final reorder toUser;

		/** The size of the values in the primitive's layout (they live in a scratch buffer). */
		final long innerBytes;

		Operand(final memory.desc userDesc, final memory.desc innerDesc, final boolean output) {
			user = new memory(userDesc, ENGINE, new FloatPointer((Pointer) null));
			innerBytes = innerDesc.get_size();
			if (userDesc.equals(innerDesc)) {
				inner = user;
				toInner = null;
				toUser = null;
			}
			else {
				inner = new memory(innerDesc, ENGINE, new FloatPointer((Pointer) null));
				toInner = output ? null : new reorder(user, inner);
				toUser = output ? new reorder(inner, user) : null;
			}
		}
	}
}
