package io.deepclass.core.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.bytedeco.javacpp.Loader;
import org.junit.jupiter.api.Test;

/**
 * ND4J's load on another thread also loads oneDNN's JavaCPP library before
 * {@link NativeBackend#select()} returns: the first batch no longer pays for it, and no JavaCPP
 * library loads while the caller calls into JavaCPP (a load beside the caller's import crashed the
 * JVM). In a fresh JVM, since this one may have loaded oneDNN already.
 */
class NativeStartLoadsOneDnnTest {

	@Test
	void oneDnnIsLoadedWhenSelectReturns() throws Exception {
		assertEquals("oneDNN loaded: true", run().strip());
	}

	@Test
	void notWhenSwitchedOff() throws Exception {
		assertEquals("oneDNN loaded: false", run("-Ddeepclass.onednn=false").strip());
	}

	private static String run(final String... properties) throws Exception {
		final List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty(
			"java.home"), "bin", "java").toString(), "-Xmx512m", "-XX:TieredStopAtLevel=1"));
		command.addAll(List.of(properties));
		command.addAll(List.of("-cp", System.getProperty("java.class.path"),
			NativeStartLoadsOneDnnTest.class.getName()));
		final Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD)
			.start();
		final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertEquals(0, p.waitFor(), out);
		assertTrue(out.contains("oneDNN loaded"), out);
		return out.lines().filter(l -> l.startsWith("oneDNN loaded")).findFirst().orElseThrow();
	}

	/** In the fresh JVM: start the load, wait for it, say whether oneDNN's library is loaded. */
	public static void main(final String[] args) {
		NativeStart.inBackground();
		NativeBackend.select();
		System.out.println("oneDNN loaded: " + Loader.getLoadedLibraries().keySet().stream().anyMatch(
			name -> name.contains("jnidnnl")));
	}
}
