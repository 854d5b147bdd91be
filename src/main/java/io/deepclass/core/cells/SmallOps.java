package io.deepclass.core.cells;

import java.util.function.Supplier;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

import io.deepclass.core.backend.NativeThreads;

/**
 * Runs a head's training and prediction with ND4J's native code on one thread. A linear head's
 * ops are tiny (a few hundred rows times a few hundred features): splitting each over OpenMP
 * threads costs more than the op, and on a loaded machine each op then waits for a second thread
 * to be scheduled. The usual thread count is put back afterwards.
 */
final class SmallOps {

	private SmallOps() {}

	static synchronized <T> T run(final Supplier<T> work) {
		final int usual = NativeThreads.configure();
		if (usual <= 1) return work.get();
		threads(1);
		try {
			return work.get();
		}
		finally {
			threads(usual);
		}
	}

	private static void threads(final int n) {
		NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(n);
		Nd4j.getEnvironment().setMaxThreads(n);
		Nd4j.getEnvironment().setMaxMasterThreads(n);
	}
}
