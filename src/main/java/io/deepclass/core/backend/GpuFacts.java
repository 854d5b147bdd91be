package io.deepclass.core.backend;

import java.util.Locale;

/**
 * What is known of an NVIDIA GPU before ND4J loads: its name, compute capability, memory, the
 * driver's version and the newest CUDA version that driver runs. Any field may be unknown
 * ({@code null}, or -1 for numbers): old drivers do not report the compute capability.
 */
public record GpuFacts(String name, int computeMajor, int computeMinor, long memoryMiB,
	String driverVersion, String driverCudaVersion)
{

	public boolean computeKnown() {
		return computeMajor >= 0 && computeMinor >= 0;
	}

	/** 86 for compute capability 8.6, -1 when unknown. */
	public int compute() {
		return computeKnown() ? computeMajor * 10 + computeMinor : -1;
	}

	/** "8.6", or "unknown". */
	public String computeText() {
		return computeKnown() ? computeMajor + "." + computeMinor : "unknown";
	}

	/** "NVIDIA GeForce RTX 3080 (compute 8.6, 10240 MiB)". */
	public String describe() {
		return name + " (compute " + computeText() + (memoryMiB > 0 ? String.format(Locale.ROOT,
			", %d MiB", memoryMiB) : "") + ")";
	}
}
