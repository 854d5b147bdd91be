package io.deepclass.core.backend;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

import org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Chooses the ND4J backend, CUDA or CPU ({@link BackendDecision}), and which build of the CPU
 * library loads, before ND4J first loads, and turns on
 * DL4J's platform helpers. On Linux x86-64 CPUs with AVX2 that is the oneDNN build
 * ({@code nd4j-native} classifier {@code linux-x86_64-onednn-avx2}): DL4J then runs convolution,
 * pooling and BatchNorm through oneDNN. On the bncnn benchmark this trained 2.6x faster,
 * classified 5x faster and used a seventh of the memory (BatchNorm's built-in path allocates
 * fresh native arrays on every call). Elsewhere the generic build loads.
 * <p>
 * DL4J 1.0.0-M2.1 switches its helpers off by default
 * ({@code org.eclipse.deeplearning4j.helpers.disable=true}) and cannot see that oneDNN is there
 * (see {@link org.nd4j.nativeblas.Nd4jCpu}); both are handled here. A user's own
 * {@code -Dorg.bytedeco.javacpp.platform.extension} or helper setting is left alone.
 * <p>
 * The GPU variant carries both ND4J backends. ND4J itself would always try CUDA first, and a GPU
 * its CUDA build has no code for would fail mid-computation; {@link ChosenCpuBackend} (found by
 * ND4J's service loader) asks this class and outranks the CUDA backend whenever the decision is
 * the CPU. {@code -Ddeepclass.backend=cpu} (or the environment variable {@code DEEPCLASS_BACKEND})
 * forces the CPU.
 * <p>
 * On a machine already busy it also makes OpenMP's idle threads sleep rather than spin
 * ({@link OpenMpWaitPolicy}).
 * <p>
 * Call {@link #select()} at every entry point before anything touches ND4J; it is idempotent.
 * {@link NativeStart#inBackground()} chooses too, and loads ND4J meanwhile.
 * Once ND4J has loaded (for example by another Fiji plugin) the choice cannot change:
 * {@link #loadedBuild()} tells what actually runs.
 */
public final class NativeBackend {

	static final String EXTENSION_PROPERTY = "org.bytedeco.javacpp.platform.extension";

	static final String HELPERS_PROPERTY = "org.eclipse.deeplearning4j.helpers.disable";

	static final String ONEDNN_AVX2 = "-onednn-avx2";

	/** The user's backend choice: auto (default), cpu or cuda. */
	public static final String CHOICE_PROPERTY = "deepclass.backend";

	private static String chosen;

	private static BackendDecision decision;

	private NativeBackend() {}

	/**
	 * Picks the native build for this CPU; returns the extension chosen ("" = generic). When
	 * {@link NativeStart} is loading ND4J on another thread, returns once it has loaded.
	 */
	public static String select() {
		final String extension = choose();
		NativeStart.await();
		return extension;
	}

	/** {@link #select()} without waiting for a load on another thread. */
	static synchronized String choose() {
		if (chosen != null) return chosen;
		OpenMpWaitPolicy.passiveWhenBusy(); // before ND4J's OpenMP library loads and reads it
		if (System.getProperty(HELPERS_PROPERTY) == null) System.setProperty(HELPERS_PROPERTY,
			"false");
		final List<GpuFacts> gpus = GpuProbe.probe();
		decision = BackendDecision.decide(userChoice(), gpus.isEmpty() ? null : gpus.get(0),
			cudaRuntime());
		final String own = System.getProperty(EXTENSION_PROPERTY);
		if (own != null) chosen = own;
		// the extension applies to every JavaCPP library: not to the CUDA backend's
		else if (decision.device() == BackendDecision.Device.CPU && isLinuxX86() && cpuHas("avx2") &&
			buildPresent(ONEDNN_AVX2))
		{
			System.setProperty(EXTENSION_PROPERTY, ONEDNN_AVX2);
			chosen = ONEDNN_AVX2;
		}
		else chosen = "";
		return chosen;
	}

	/** Which backend DeepClass chose, and why; decides on first call. */
	public static synchronized BackendDecision decision() {
		choose();
		return decision;
	}

	/**
	 * What computes, for logs and model files: "GPU: NVIDIA ... (compute 8.6, 10240 MiB), CUDA
	 * 11.6" or "CPU (onednn-avx2)". Reports the backend ND4J really loaded when it differs.
	 */
	public static String device() {
		final BackendDecision d = decision();
		final boolean cpuLoaded = Nd4j.getEnvironment().isCPU();
		if (!cpuLoaded) return "GPU: " + (d.gpu() != null ? d.gpu().describe() : "CUDA") + (d
			.runtime() != null && d.runtime().runtimeVersion() != null ? ", CUDA " + d.runtime()
				.runtimeVersion() : "");
		final String extension = select();
		return "CPU (" + (extension.isEmpty() ? "generic" : extension.substring(1)) + ", " + Runtime
			.getRuntime().availableProcessors() + " cores)";
	}

	private static String userChoice() {
		final String property = System.getProperty(CHOICE_PROPERTY);
		return property != null ? property : System.getenv("DEEPCLASS_BACKEND");
	}

	/** The GPU variant's CUDA runtime check, or {@link CudaRuntime#ABSENT} in the CPU build. */
	private static CudaRuntime cudaRuntime() {
		try {
			for (final CudaRuntime runtime : ServiceLoader.load(CudaRuntime.class, NativeBackend.class
				.getClassLoader()))
				return runtime;
		}
		catch (final ServiceConfigurationError | LinkageError e) {
			// a GPU-variant class without JavaCPP's CUDA presets beside it: a broken install
			return CudaRuntime.broken("the GPU variant is installed without its CUDA presets: " + e
				.getMessage());
		}
		return CudaRuntime.ABSENT;
	}

	/** "onednn-avx2 (chosen: the CPU has AVX2)" and the like, for the System Check. */
	public static String describeChoice() {
		final String extension = select();
		if (extension.isEmpty()) return "generic" + (isLinuxX86() && !cpuHas("avx2")
			? " (the CPU has no AVX2)" : isLinuxX86() ? " (the oneDNN build is not installed)"
				: " (oneDNN builds are chosen on Linux only)");
		return extension.substring(1) + (ONEDNN_AVX2.equals(extension) && System.getProperty(
			EXTENSION_PROPERTY).equals(extension) ? " (chosen: the CPU has AVX2)" : "");
	}

	/** The features libnd4j was built with, e.g. "ONEDNN OPENBLAS", read from the loaded build. */
	public static String loadedBuild() {
		final String info = NativeOpsHolder.getInstance().getDeviceNativeOps()
			.buildInfo();
		final StringBuilder features = new StringBuilder();
		for (final String line : info.split("\n"))
			if (line.startsWith("HAVE_")) features.append(features.length() > 0 ? " " : "").append(line
				.substring(5));
		return features.toString();
	}

	/** Whether DL4J's layers run through oneDNN (what DL4J itself asks before using it). */
	public static boolean oneDnnLayers() {
		try {
			return BaseMKLDNNHelper.mklDnnEnabled() && !Boolean
				.parseBoolean(System.getProperty(HELPERS_PROPERTY, "true"));
		}
		catch (final RuntimeException | LinkageError e) {
			return false;
		}
	}

	private static boolean isLinuxX86() {
		final String arch = System.getProperty("os.arch", "");
		return System.getProperty("os.name", "").toLowerCase().startsWith("linux") && (arch.equals(
			"amd64") || arch.equals("x86_64"));
	}

	/** A flag of /proc/cpuinfo (Linux). */
	static boolean cpuHas(final String flag) {
		try {
			for (final String line : Files.readAllLines(Path.of("/proc/cpuinfo")))
				if (line.startsWith("flags") && (" " + line.substring(line.indexOf(':') + 1) + " ")
					.contains(" " + flag + " ")) return true;
		}
		catch (final IOException | RuntimeException e) {
			// no /proc/cpuinfo: assume the feature is missing, the generic build always works
		}
		return false;
	}

	private static boolean buildPresent(final String extension) {
		return NativeBackend.class.getClassLoader().getResource(
			"org/nd4j/linalg/cpu/nativecpu/bindings/linux-x86_64" + extension + "/libnd4jcpu.so") != null;
	}
}
