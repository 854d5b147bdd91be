package io.deepclass.ij.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The headless launcher as README runs it ({@code java -Djava.awt.headless=true -cp ...
 * io.deepclass.ij.bridge.Headless macro.ijm "args"}): exit code 0 when the macro ran to its end, 1 when
 * it failed (a DeepClass command's error, a macro error, a missing macro file), 2 for bad usage,
 * so a batch job or job array sees the failure.
 */
class LauncherExitCodesTest {

	@TempDir
	Path dir;

	record Exit(int code, String output) {}

	static Exit launch(final String... args) throws IOException, InterruptedException {
		final List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"),
			"bin", "java").toString(), "-Djava.awt.headless=true", "-Xmx512m",
			"-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
			"io.deepclass.ij.bridge.Headless"));
		command.addAll(List.of(args));
		final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
		final String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		return new Exit(p.waitFor(), output);
	}

	@Test
	void exitCodeTellsWhetherTheMacroRanToItsEnd() throws Exception {
		final Path ok = Files.writeString(dir.resolve("ok.ijm"), "args = split(getArgument(), \";\");\n" +
			"print(\"got \" + args.length + \" \" + args[1]);\n");
		final Exit fine = launch(ok.toString(), "a;b");
		assertEquals(0, fine.code(), fine.output());
		assertTrue(fine.output().contains("got 2 b"), fine.output());

		final Path failing = Files.writeString(dir.resolve("failing.ijm"), "run(\"Classify Images\", " +
			"\"model_file=[" + dir.resolve("missing.zip") + "] input=folder folder=[" + dir + "]\");\n" +
			"print(\"AFTER THE ERROR\");\n");
		final Exit failed = launch(failing.toString());
		assertEquals(1, failed.code(), failed.output());
		assertTrue(failed.output().contains("Classify Images: the model file '"), failed.output());
		assertFalse(failed.output().contains("AFTER THE ERROR"), failed.output());

		final Path broken = Files.writeString(dir.resolve("broken.ijm"), "x = ;\n");
		assertEquals(1, launch(broken.toString()).code(), "a macro error");
		assertEquals(1, launch(dir.resolve("no-such.ijm").toString()).code(), "no macro file");
		assertEquals(2, launch().code(), "no macro given");
	}
}
