package io.deepclass.cuda;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.cuda.global.cublas;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.cuda.global.cudnn;

import io.deepclass.core.backend.CudaRuntime;

/**
 * The GPU variant's check that ND4J's CUDA backend can load: its natives for this platform are
 * in the build, and the CUDA 11.6 runtime, cuBLAS and cuDNN load through JavaCPP's presets (the
 * machine's CUDA installation, or JavaCPP's cuda-platform-redist jars). Loading them starts no
 * ND4J code, so a failure here still leaves the CPU backend to run on. Found by
 * {@link java.util.ServiceLoader}; compiled only in the GPU variant ({@code src/cuda}).
 */
public final class JavaCppCudaRuntime implements CudaRuntime {

	@Override
	public boolean backendPresent() {
		final String dir = "org/nd4j/linalg/jcublas/bindings/" + Loader.getPlatform();
		final String library = System.mapLibraryName("jnind4jcuda");
		final ClassLoader loader = JavaCppCudaRuntime.class.getClassLoader();
		return loader.getResource(dir + "-cudnn/" + library) != null || loader.getResource(dir + "/" +
			library) != null;
	}

	@Override
	public Status load() {
		try {
			Loader.load(cudart.class);
			final int[] version = new int[1];
			final int error = cudart.cudaRuntimeGetVersion(version);
			if (error != 0) return Status.failed("cudaRuntimeGetVersion answered error " + error);
			final int[] devices = new int[1];
			final int deviceError = cudart.cudaGetDeviceCount(devices);
			if (deviceError != 0 || devices[0] < 1) return Status.failed("the CUDA runtime sees no " +
				"device (error " + deviceError + "; is the driver too old for CUDA 11.6?)");
			Loader.load(cublas.class);
			String cudnnVersion = null;
			try {
				Loader.load(cudnn.class);
				final long v = cudnn.cudnnGetVersion();
				cudnnVersion = v / 1000 + "." + v % 1000 / 100 + "." + v % 100;
			}
			catch (final Throwable e) {
				// without cuDNN libnd4j's platform helpers are off; ND4J's CUDA ops still run
			}
			return Status.ok(version[0] / 1000 + "." + version[0] % 1000 / 10, cudnnVersion);
		}
		catch (final Throwable e) {
			// UnsatisfiedLinkError, NoClassDefFoundError, or JavaCPP's own exceptions: say which
			return Status.failed(e.getClass().getSimpleName() + ": " + e.getMessage());
		}
	}
}
