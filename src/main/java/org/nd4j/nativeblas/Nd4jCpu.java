package org.nd4j.nativeblas;

import org.nd4j.linalg.factory.Nd4j;

/**
 * Compatibility shim, not part of ND4J: DL4J 1.0.0-M2.1 decides whether its oneDNN layer
 * helpers (convolution, pooling, BatchNorm) may run by calling
 * {@code org.nd4j.nativeblas.Nd4jCpu$Environment.getInstance().isUseMKLDNN()} through
 * reflection ({@code BaseMKLDNNHelper.mklDnnEnabled()}), but in M2.1 that class lives in
 * {@code org.nd4j.linalg.cpu.nativecpu.bindings} and its method is called {@code isUseONEDNN}.
 * The lookup fails, and DL4J silently falls back to its slow built-in layers even with a oneDNN
 * build of nd4j-native. This class answers that lookup with the real flag. It is loaded only
 * through that reflective call; DeepClass itself never uses it.
 */
public final class Nd4jCpu {

	private Nd4jCpu() {}

	/** What {@code BaseMKLDNNHelper} looks up. */
	public static final class Environment {

		private static final Environment INSTANCE = new Environment();

		private Environment() {}

		public static Environment getInstance() {
			return INSTANCE;
		}

		/**
		 * Whether the loaded nd4j-native build has oneDNN and may use it; false on the CUDA backend
		 * (the GPU variant), where asking nd4j-native would load the CPU library too.
		 */
		public boolean isUseMKLDNN() {
			if (!Nd4j.getEnvironment().isCPU()) return false;
			return org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu.Environment.getInstance()
				.isUseONEDNN();
		}
	}
}
