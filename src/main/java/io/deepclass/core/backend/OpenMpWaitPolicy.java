package io.deepclass.core.backend;

import java.util.Locale;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * Makes ND4J's OpenMP threads sleep, not spin, when a parallel region ends
 * ({@code OMP_WAIT_POLICY=PASSIVE}) when the machine is already busy as DeepClass starts (its load
 * average at least its number of cores), unless the user set a policy. ND4J runs even tiny ops
 * (a 512 x 10 head's update, a 32-pixel network's layers) as parallel regions; with the default
 * policy the threads busy-wait between them, and when the machine is shared (another program,
 * Fiji's own threads) a waiting thread burns the core that the thread it waits for needs. Measured
 * with 2 threads on the 2-core machine under load: a resnet18 at 32 px computed 100 images'
 * features in 0.15 s instead of 8 s, and 40 steps of a linear head took 0.5 s instead of 8.6 s.
 * On the same machine idle, spinning is the faster: bncnn trained at 1 883 and 1 759 img/s
 * spinning against 1 581 and 1 668 sleeping (one epoch each, alternated), so an idle machine keeps
 * OpenMP's default.
 *
 * <p>OpenMP reads the variable once, when its library loads: this must run before ND4J's native
 * library does ({@link NativeBackend#select()} calls it). It sets the C library's environment
 * (Java's own is read-only) through JNA; where that is not possible it does nothing.
 */
final class OpenMpWaitPolicy {

	static final String VARIABLE = "OMP_WAIT_POLICY";

	private OpenMpWaitPolicy() {}

	public interface LibC extends Library {

		int setenv(String name, String value, int overwrite);

		String getenv(String name);
	}

	/**
	 * Whether another program already keeps the cores busy: the one-minute load average (negative
	 * when unknown) at least the number of cores.
	 */
	static boolean busy(final double loadAverage, final int cores) {
		return loadAverage >= cores;
	}

	/** PASSIVE (see {@link #passiveUnlessSet}) when this machine is {@link #busy} now. */
	static void passiveWhenBusy() {
		final double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean()
			.getSystemLoadAverage();
		if (busy(load, Runtime.getRuntime().availableProcessors())) passiveUnlessSet();
	}

	/**
	 * Sets {@value #VARIABLE} to PASSIVE in this process unless it is set already; returns the
	 * policy in force afterwards (null when the environment could not be read or changed).
	 */
	@SuppressWarnings("deprecation") // Native.load is JNA 5 only; Fiji ships JNA 5, DL4J 4.3
	static String passiveUnlessSet() {
		final String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
		if (!os.contains("linux") && !os.contains("mac")) return null;
		try {
			final LibC libc = (LibC) Native.loadLibrary("c", LibC.class);
			libc.setenv(VARIABLE, "PASSIVE", 0); // 0: a value the user set stays
			return libc.getenv(VARIABLE);
		}
		catch (final LinkageError | RuntimeException e) {
			return null; // no JNA or no C library to call: OpenMP keeps its default
		}
	}
}
