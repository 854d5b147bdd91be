package io.deepclass.core.backend;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Sets how many threads ND4J's native code uses. ND4J 1.0.0-M2.1 sets its OpenMP threads to 4
 * whatever the machine (a leftover debug line, DL4J issue #9668), so on a 2-core machine every
 * op runs 4 spinning threads on 2 cores. Called once, before the first training or
 * classification; the count is {@code OMP_NUM_THREADS} when set, else the number of cores.
 */
public final class NativeThreads {

	private static int configured;

	private NativeThreads() {}

	/** Configures the native thread count once; returns it. */
	public static synchronized int configure() {
		NativeBackend.select();
		if (configured > 0) return configured;
		final int threads = threads();
		Nd4j.getBackend(); // loads the native library NativeOpsHolder needs
		NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
		Nd4j.getEnvironment().setMaxThreads(threads);
		Nd4j.getEnvironment().setMaxMasterThreads(threads);
		configured = threads;
		return threads;
	}

	private static int threads() {
		final String env = System.getenv("OMP_NUM_THREADS");
		if (env != null) {
			try {
				final int n = Integer.parseInt(env.trim());
				if (n > 0) return n;
			}
			catch (final NumberFormatException e) {
				// not a number: fall back to the core count
			}
		}
		return Runtime.getRuntime().availableProcessors();
	}
}
