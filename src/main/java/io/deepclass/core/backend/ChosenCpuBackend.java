package io.deepclass.core.backend;

import org.nd4j.linalg.cpu.nativecpu.CpuBackend;

/**
 * ND4J's CPU backend, ranked by DeepClass's {@link BackendDecision}: ND4J picks the available
 * backend of highest priority, and ranks CUDA (100) above the CPU (0) whatever the GPU. This one
 * answers 1000 when DeepClass decided for the CPU, so the CUDA backend of the GPU variant is then
 * never loaded, and -1000 otherwise, leaving the choice to ND4J's own backends. ND4J finds it
 * through {@code META-INF/services/org.nd4j.linalg.factory.Nd4jBackend}; DeepClass's code never
 * calls it, and it is one of the two classes that name nd4j-native's own classes.
 */
public class ChosenCpuBackend extends CpuBackend {

	@Override
	public int getPriority() {
		return NativeBackend.decision().device() == BackendDecision.Device.CPU ? 1000 : -1000;
	}
}
