package io.deepclass.ij.bridge;

import java.awt.HeadlessException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.atomic.AtomicReference;

import ij.IJ;
import ij.Macro;
import ij.WindowManager;
import ij.macro.Interpreter;

import io.deepclass.core.backend.NativeStart;

/**
 * Runs an ImageJ macro that uses DeepClass on a machine without a display, with plain ImageJ
 * 1.x: {@code java -Djava.awt.headless=true -cp <ij.jar:deepclass jars> io.deepclass.ij.bridge.Headless
 * macro.ijm [argument]}. The macro runs in batch mode; the exit code is 0 when it ran to its end
 * and 1 when it failed or was aborted by an error (the message is on standard output, where
 * ImageJ's Log goes headless). In Fiji, use {@code ImageJ --headless -batch macro.ijm} instead.
 */
public final class Headless {

	private Headless() {}

	public static void main(final String[] args) throws InterruptedException {
		// before ImageJ or a macro can touch ND4J; it loads while ImageJ starts
		NativeStart.inBackground();
		final PrintStream out = System.out;
		if (args.length < 1 || args.length > 2) {
			out.println("usage: io.deepclass.ij.bridge.Headless macro.ijm [argument]");
			System.exit(2);
		}
		System.exit(run(Paths.get(args[0]), args.length > 1 ? args[1] : "") ? 0 : 1);
	}

	/** Runs the macro file; true when it reached its end. */
	public static boolean run(final Path macro, final String argument) throws InterruptedException {
		final String code;
		try {
			code = Files.readString(macro, StandardCharsets.UTF_8);
			HeadlessImageJ.install();
		}
		catch (final IOException e) {
			IJ.log("DeepClass headless: cannot run " + macro + ": " + e.getMessage());
			return false;
		}
		return runMacro(code, argument);
	}

	/**
	 * Runs macro code in batch mode in a macro thread (so that an error aborts it as in ImageJ);
	 * true when the macro reached its end.
	 */
	public static boolean runMacro(final String code, final String argument)
		throws InterruptedException
	{
		final AtomicReference<Boolean> completed = new AtomicReference<>(false);
		final Thread thread = new Thread(() -> {
			final Interpreter interpreter = new Interpreter();
			Interpreter.batchMode = true;
			try {
				final String result = interpreter.run(code + "\n;call(\"" + Headless.class.getName() +
					".completed\");", argument);
				completed.set(!"[aborted]".equals(result) && done);
			}
			catch (final HeadlessException e) {
				// ImageJ shows macro errors (undefined variable, a built-in's name used as a
				// variable, bad syntax) in a dialog, which cannot open without a display
				final int line = interpreter.getLineNumber();
				final String[] lines = code.split("\n", -1);
				// the interpreter may already have read on to the next line
				final StringBuilder near = new StringBuilder();
				for (int l = Math.max(1, line - 1); l <= Math.min(line, lines.length); l++)
					near.append("\n  ").append(l).append(": ").append(lines[l - 1].trim());
				IJ.log("DeepClass headless: the macro stopped with an error at or just before line " +
					line + ":" + near + "\n(ImageJ cannot show " +
					"macro errors without a display: check that line's syntax and variable names; run it " +
					"in ImageJ with a display to see the message)");
			}
			catch (final RuntimeException e) {
				// exit() and aborts end the macro by throwing "Macro canceled"; anything else is a bug
				if (!Macro.MACRO_CANCELED.equals(e.getMessage()))
					IJ.log("DeepClass headless: the macro failed: " + e);
			}
			done = false;
		}, "DeepClass headless Macro$");
		done = false;
		thread.start();
		thread.join();
		// batch mode was switched on from outside the macro, so ImageJ keeps its images: drop them
		for (final int id : Interpreter.getBatchModeImageIDs())
			Interpreter.removeBatchModeImage(WindowManager.getImage(id));
		Interpreter.batchMode = false;
		return completed.get();
	}

	private static volatile boolean done;

	/** Called by the last line {@link #runMacro} appends: the macro got there. */
	public static String completed() {
		done = true;
		return "";
	}
}
