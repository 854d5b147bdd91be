package io.deepclass.cluster;

import java.io.PrintStream;
import java.util.Map;

import io.deepclass.core.backend.NativeBackend;
import io.deepclass.core.backend.SystemReport;

/**
 * Prints what the DeepClass System Check shows (backend, GPU, CUDA and cuDNN versions, the
 * reason for the choice) on the command line: {@code bench/gpu-check.sh} runs it.
 */
public final class SystemCheck {

	private SystemCheck() {}

	public static void main(final String[] args) {
		NativeBackend.select();
		final PrintStream out = System.out;
		for (final Map.Entry<String, String> row : SystemReport.collect().entrySet())
			out.printf("%-24s %s%n", row.getKey(), row.getValue());
	}
}
