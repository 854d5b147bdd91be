package io.deepclass.core.backend;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.factory.Nd4j;

import io.deepclass.core.Versions;
import io.deepclass.core.engine.FastLayers;

/**
 * What DeepClass computes on: ND4J backend (CPU or CUDA), its devices and native libraries,
 * memory, versions. Any failure to load the native backend is reported as a value, not thrown,
 * so a System Check always has something to show.
 */
public final class SystemReport {

	private SystemReport() {}

	/** Ordered key/value pairs for a table or log. */
	public static Map<String, String> collect() {
		final String extension = NativeBackend.select();
		final Map<String, String> info = new LinkedHashMap<>();
		info.put("DeepClass version", Versions.deepclass());
		info.put("DL4J/ND4J version", Versions.dl4j());
		info.put("Java", System.getProperty("java.version") + " (" + System.getProperty(
			"java.vendor") + ")");
		info.put("OS", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
		info.put("CPU cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
		info.put("Java heap max", mib(Runtime.getRuntime().maxMemory()));
		final BackendDecision decision = NativeBackend.decision();
		info.put("backend choice", decision.device() + ": " + decision.reason());
		if (decision.gpu() != null) {
			final GpuFacts gpu = decision.gpu();
			info.put("GPU", gpu.name());
			info.put("GPU compute capability", gpu.computeText());
			if (gpu.memoryMiB() > 0) info.put("GPU memory", gpu.memoryMiB() + " MiB");
			info.put("NVIDIA driver", gpu.driverVersion() + (gpu.driverCudaVersion() != null
				? " (runs CUDA up to " + gpu.driverCudaVersion() + ")" : ""));
		}
		if (decision.runtime() != null && decision.runtime().loaded()) {
			info.put("CUDA runtime", decision.runtime().runtimeVersion());
			if (decision.runtime().cudnnVersion() != null) info.put("cuDNN", decision.runtime()
				.cudnnVersion());
		}
		try {
			final String backend = Nd4j.getBackend().getClass().getSimpleName();
			info.put("native libraries", "loaded");
			info.put("native build", NativeBackend.loadedBuild() + "; variant " + NativeBackend
				.describeChoice());
			info.put("oneDNN layers", NativeBackend.oneDnnLayers() ? "yes (convolution, pooling, " +
				"BatchNorm)" : "no (DL4J's built-in layers" + (extension.isEmpty() ? ")" : "; ND4J was " +
					"loaded before DeepClass could choose)"));
			info.put("kept oneDNN primitives", FastLayers.oneDnnPrimitives());
			info.put("backend", backend + (Nd4j.getEnvironment().isCPU() ? " (CPU)" : " (GPU)") +
				"; computing on " + NativeBackend.device());
			final Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
			copy(env, info, "blas.vendor", "BLAS");
			info.put("native threads", Integer.toString(NativeThreads.configure()));
			info.put("native memory trim", NativeMemory.available() ? "yes (glibc malloc_trim " +
				"between batches, at most every " + NativeMemory.PERIOD_MS / 1000 + " s)" :
				"not available on this system");
			copy(env, info, "memory.available", "memory available");
			final Object devices = env.get("cuda.devicesInformation");
			if (devices != null) info.put("GPU devices", devices.toString());
			info.put("off-heap limit", mib(Pointer.maxBytes()));
			info.put("data type", Nd4j.dataType().toString());
		}
		catch (final Throwable e) {
			// an UnsatisfiedLinkError or ExceptionInInitializerError is exactly what to report here
			info.put("native libraries", "NOT loaded: " + e);
			info.put("backend", "none: DeepClass cannot train or classify on this machine. " +
				"Check that the nd4j-native jar for this platform is installed.");
		}
		return info;
	}

	private static void copy(final Properties env, final Map<String, String> info,
		final String key, final String label)
	{
		final Object value = env.get(key);
		if (value != null) info.put(label, key.startsWith("memory") ? mib(Long.parseLong(value
			.toString())) : value.toString());
	}

	private static String mib(final long bytes) {
		return bytes / (1024 * 1024) + " MiB";
	}
}
