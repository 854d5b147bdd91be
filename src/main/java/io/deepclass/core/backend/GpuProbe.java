package io.deepclass.core.backend;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds NVIDIA GPUs without loading any GPU library, by asking the driver's {@code nvidia-smi}
 * (installed with every NVIDIA driver, on Linux and Windows). Each call is bounded by a timeout,
 * so a hung driver means "no GPU", never a hung Fiji.
 */
public final class GpuProbe {

	static final String QUERY = "name,compute_cap,memory.total,driver_version";

	private static final long TIMEOUT_SECONDS = 10;

	private static final Pattern CUDA_VERSION = Pattern.compile("CUDA Version:\\s*([0-9.]+)");

	private GpuProbe() {}

	/** The GPUs nvidia-smi lists; empty when it is absent, fails or lists none. */
	public static List<GpuFacts> probe() {
		final String header = run("nvidia-smi");
		if (header == null) return List.of();
		String table = run("nvidia-smi", "--query-gpu=" + QUERY, "--format=csv,noheader,nounits");
		final boolean withCompute = table != null;
		// drivers before R510 do not know compute_cap and refuse the whole query
		if (!withCompute) table = run("nvidia-smi", "--query-gpu=name,memory.total,driver_version",
			"--format=csv,noheader,nounits");
		return parse(table, withCompute, header);
	}

	/**
	 * The GPUs of nvidia-smi's CSV answer ({@code name, compute_cap, memory.total MiB,
	 * driver_version} per line, or without compute_cap), with the CUDA version from its plain
	 * output's header.
	 */
	static List<GpuFacts> parse(final String csv, final boolean withCompute, final String header) {
		final List<GpuFacts> gpus = new ArrayList<>();
		if (csv == null) return gpus;
		final Matcher cuda = CUDA_VERSION.matcher(header == null ? "" : header);
		final String cudaVersion = cuda.find() ? cuda.group(1) : null;
		for (final String line : csv.split("\\R")) {
			final String[] f = line.split(",");
			if (f.length < (withCompute ? 4 : 3) || f[0].isBlank()) continue;
			int major = -1, minor = -1;
			int k = 1;
			if (withCompute) {
				final String[] cc = f[k++].trim().split("\\.");
				try {
					major = Integer.parseInt(cc[0]);
					minor = cc.length > 1 ? Integer.parseInt(cc[1]) : 0;
				}
				catch (final NumberFormatException e) {
					major = minor = -1; // "[N/A]"
				}
			}
			long memory;
			try {
				memory = Long.parseLong(f[k++].trim().replace("MiB", "").trim());
			}
			catch (final NumberFormatException e) {
				memory = -1;
			}
			gpus.add(new GpuFacts(f[0].trim(), major, minor, memory, f[k].trim(), cudaVersion));
		}
		return gpus;
	}

	/** What the command printed when it exits 0 within the timeout, else null. */
	private static String run(final String... command) {
		final Process process;
		try {
			process = new ProcessBuilder(command).redirectErrorStream(true).start();
		}
		catch (final IOException e) {
			return null; // no nvidia-smi: no NVIDIA driver
		}
		try (InputStream in = process.getInputStream()) {
			process.getOutputStream().close();
			final var out = new ByteArrayOutputStream();
			final Thread reader = new Thread(() -> {
				try {
					in.transferTo(out);
				}
				catch (final IOException e) {
					// the process was killed: what was read so far is discarded below
				}
			}, "DeepClass nvidia-smi reader");
			reader.setDaemon(true);
			reader.start();
			if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				return null;
			}
			reader.join(1000);
			return process.exitValue() == 0 ? out.toString(StandardCharsets.UTF_8) : null;
		}
		catch (final IOException e) {
			return null;
		}
		catch (final InterruptedException e) {
			process.destroyForcibly();
			Thread.currentThread().interrupt();
			return null;
		}
	}
}
