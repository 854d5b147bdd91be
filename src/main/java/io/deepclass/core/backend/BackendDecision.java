package io.deepclass.core.backend;

import io.deepclass.core.Versions;

/**
 * Which ND4J backend DeepClass loads, and why, decided before ND4J loads from what is known of
 * the GPU. ND4J 1.0.0-M2.1's CUDA build ({@code nd4j-cuda-11.6}) holds compiled code for compute
 * capability 3.7 to 8.6 and no PTX: Ada (8.9) runs the 8.6 code, Hopper (9.0) and Blackwell
 * (10.x, 12.x) cannot, and would fail with "no kernel image is available" in the middle of the
 * first operation. Those, and every other case where the CUDA backend cannot run, get the CPU
 * and a sentence that says why.
 */
public record BackendDecision(Device device, String reason, GpuFacts gpu,
	CudaRuntime.Status runtime)
{

	public enum Device {
		CPU, CUDA
	}

	/** The oldest and newest compute capability ND4J 1.0.0-M2.1's CUDA build runs on (x10). */
	static final int MIN_COMPUTE = 37, MAX_COMPUTE = 89;

	/**
	 * @param choice the user's: "auto" (or null), "cpu", or "cuda" (as auto, but says so when
	 *          the GPU cannot be used)
	 * @param gpu the first NVIDIA GPU, or null when none was found
	 * @param cuda this build's CUDA backend; its libraries are loaded only when everything else
	 *          allows the GPU
	 */
	public static BackendDecision decide(final String choice, final GpuFacts gpu,
		final CudaRuntime cuda)
	{
		final String c = choice == null || choice.isBlank() ? "auto" : choice.trim().toLowerCase();
		if (c.equals("cpu")) return cpu("the CPU was chosen (deepclass.backend=cpu)", gpu, null);
		if (!c.equals("auto") && !c.equals("cuda") && !c.equals("gpu")) return cpu(
			"deepclass.backend is '" + choice + "', not auto, cpu or cuda; running on the CPU", gpu,
			null);
		if (gpu == null) return cpu("no NVIDIA GPU found (nvidia-smi is absent or lists none); " +
			"running on the CPU", null, null);
		if (!cuda.backendPresent()) return cpu(gpu.describe() + " found, but this is the CPU build " +
			"of DeepClass; install the GPU variant to use it. Running on the CPU", gpu, null);
		if (!gpu.computeKnown()) return cpu(gpu.name() + ": its driver does not report the compute " +
			"capability (drivers before R510 do not); update the NVIDIA driver to let DeepClass check " +
			"that ND4J " + Versions.dl4j() + "'s CUDA build supports it. Running on the CPU", gpu, null);
		if (gpu.compute() > MAX_COMPUTE) return cpu(gpu.name() + " (compute " + gpu.computeText() +
			") is newer than ND4J " + Versions.dl4j() + "'s CUDA build supports (up to 8.9); running on " +
			"the CPU", gpu, null);
		if (gpu.compute() < MIN_COMPUTE) return cpu(gpu.name() + " (compute " + gpu.computeText() +
			") is older than ND4J " + Versions.dl4j() + "'s CUDA build supports (3.7 and newer); " +
			"running on the CPU", gpu, null);
		final CudaRuntime.Status runtime = cuda.load();
		if (!runtime.loaded()) return cpu(gpu.describe() + " could run ND4J's CUDA build, but the " +
			"CUDA 11.6 libraries did not load (" + runtime.problem() + "). Install the CUDA 11.6 " +
			"runtime and cuDNN 8, or JavaCPP's cuda-platform-redist 11.6-8.3-1.5.7 jars. Running on " +
			"the CPU", gpu, runtime);
		return new BackendDecision(Device.CUDA, "running on " + gpu.describe() + " with CUDA " +
			runtime.runtimeVersion() + (runtime.cudnnVersion() != null ? " and cuDNN " + runtime
				.cudnnVersion() : ""), gpu, runtime);
	}

	private static BackendDecision cpu(final String reason, final GpuFacts gpu,
		final CudaRuntime.Status runtime)
	{
		return new BackendDecision(Device.CPU, reason, gpu, runtime);
	}
}
