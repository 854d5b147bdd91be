package io.deepclass.core.backend;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * Gives freed native memory back to the operating system while a network trains or classifies.
 *
 * <p>ND4J and oneDNN allocate their large temporary buffers with malloc. On Linux, glibc keeps
 * freed blocks in its heaps, and with every batch's mix of sizes those heaps fragment and grow:
 * training {@code bncnn} at batch 256 on 30 000 images went from 1.4 GB to 2.0 GB resident while
 * the Java heap stayed at 0.4 GB. {@code malloc_trim(0)} hands the free pages back (600 MB in
 * 25-30 ms there, with no change in training speed), so the trainer and classifier call
 * {@link #trimIfDue()} between batches and it trims at most every {@value #PERIOD_MS} ms (the
 * system property {@code deepclass.trimMillis} changes that; 0 turns trimming off). Elsewhere
 * (other C libraries, no JNA) it does nothing.
 */
public final class NativeMemory {

	static final long PERIOD_MS = 2000;

	private static final long PERIOD_NANOS = Long.getLong("deepclass.trimMillis", PERIOD_MS) *
		1_000_000;

	private static final Trimmer TRIMMER = PERIOD_NANOS > 0 ? Trimmer.load() : null;

	private static long lastTrim = System.nanoTime();

	private NativeMemory() {}

	/** Trims when the last trim is older than {@value #PERIOD_MS} ms. */
	public static void trimIfDue() {
		if (TRIMMER == null) return;
		synchronized (NativeMemory.class) {
			final long now = System.nanoTime();
			if (now - lastTrim < PERIOD_NANOS) return;
			lastTrim = now;
		}
		TRIMMER.trim();
	}

	/** True when trimming is available on this system (Linux with glibc). */
	public static boolean available() {
		return TRIMMER != null;
	}

	/** Trims now; returns false when trimming is not available. */
	public static boolean trim() {
		if (TRIMMER == null) return false;
		TRIMMER.trim();
		return true;
	}

	/** glibc's malloc_trim through JNA. */
	private static final class Trimmer {

		public interface LibC extends Library {

			int malloc_trim(long pad);
		}

		private final LibC libc;

		private Trimmer(final LibC libc) {
			this.libc = libc;
		}

		@SuppressWarnings("deprecation") // Native.load is JNA 5 only; Fiji ships JNA 5, DL4J 4.3
		static Trimmer load() {
			if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) return null;
			try {
				final LibC libc = (LibC) Native.loadLibrary("c", LibC.class);
				libc.malloc_trim(0);
				return new Trimmer(libc);
			}
			catch (final LinkageError | RuntimeException e) {
				return null; // musl or no JNA: nothing to trim with
			}
		}

		void trim() {
			libc.malloc_trim(0);
		}
	}
}
