package io.deepclass.core.backend;

/**
 * Whether the CUDA libraries that ND4J's CUDA backend needs load on this machine, and their
 * versions. The GPU variant provides the implementation that really loads them (JavaCPP's CUDA
 * presets); the CPU build has none, and {@link #ABSENT} stands in.
 */
public interface CudaRuntime {

	/** What loading the libraries found. */
	record Status(boolean loaded, String runtimeVersion, String cudnnVersion, String problem) {

		public static Status ok(final String runtimeVersion, final String cudnnVersion) {
			return new Status(true, runtimeVersion, cudnnVersion, null);
		}

		public static Status failed(final String problem) {
			return new Status(false, null, null, problem);
		}
	}

	/** True when this build carries ND4J's CUDA backend with native code for this platform. */
	boolean backendPresent();

	/** Loads the CUDA runtime, cuBLAS and cuDNN (not ND4J); never throws. */
	Status load();

	/** A CUDA backend that is there but cannot load, for {@code problem}. */
	static CudaRuntime broken(final String problem) {
		return new CudaRuntime() {

			@Override
			public boolean backendPresent() {
				return true;
			}

			@Override
			public Status load() {
				return Status.failed(problem);
			}
		};
	}

	/** The CPU build: no CUDA backend. */
	CudaRuntime ABSENT = new CudaRuntime() {

		@Override
		public boolean backendPresent() {
			return false;
		}

		@Override
		public Status load() {
			return Status.failed("this DeepClass build has no CUDA backend");
		}
	};
}
