package io.deepclass.ij.bridge;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import ij.ImagePlus;
import ij.WindowManager;
import ij.io.FileSaver;
import ij.measure.ResultsTable;
import ij.process.ByteProcessor;

import io.deepclass.core.TestData;
import io.deepclass.core.data.Dataset;
import io.deepclass.ij.display.Tables;

/** Runs macro strings headless as ImageJ would, capturing what they print and log. */
public final class MacroHarness {

	/** What a macro printed (ImageJ's Log goes to standard output headless) and whether it ended. */
	record Run(boolean completed, String output) {}

	/** The image a macro handed over with {@code call("io.deepclass.ij.bridge.MacroHarness.grab")}. */
	static ImagePlus grabbed;

	private MacroHarness() {}

	static Run run(final String code) {
		return run(code, "");
	}

	/**
	 * Runs a macro after forgetting every DeepClass table an earlier macro made, so a test reads
	 * {@link Tables#last} tables this macro made or finds none.
	 */
	static Run run(final String code, final String argument) {
		Tables.clear();
		try {
			HeadlessImageJ.install();
		}
		catch (final IOException e) {
			throw new IllegalStateException(e);
		}
		final PrintStream stdout = System.out;
		final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
		System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
		try {
			final boolean completed = Headless.runMacro(code, argument);
			return new Run(completed, buffer.toString(StandardCharsets.UTF_8));
		}
		catch (final InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(e);
		}
		finally {
			System.setOut(stdout);
		}
	}

	/** A run and the warnings it wrote (SciJava's LogService writes them to standard error). */
	record Warned(Run run, String warnings) {}

	/** As {@link #run}, also keeping what the macro's commands warned about. */
	static Warned runKeepingWarnings(final java.util.function.Supplier<Run> macro) {
		final PrintStream stderr = System.err;
		final ByteArrayOutputStream warnings = new ByteArrayOutputStream();
		System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
		final Run run;
		try {
			run = macro.get();
		}
		finally {
			System.setErr(stderr);
		}
		return new Warned(run, warnings.toString(StandardCharsets.UTF_8));
	}

	/**
	 * The table with this title that the last macro made; fails when it made none (a table of an
	 * earlier macro never stands in for it: {@link #run} forgets them).
	 */
	static ResultsTable table(final String title) {
		final ResultsTable table = Tables.last(title);
		if (table == null) throw new AssertionError("the macro made no table '" + title + "'");
		return table;
	}

	/** Macro-callable: keeps the current image for the test to inspect. */
	public static String grab() {
		grabbed = WindowManager.getCurrentImage();
		return grabbed == null ? "none" : grabbed.getTitle();
	}

	/** Writes stripes as 8-bit PNGs into class sub-folders (or flat when {@code flat}). */
	public static Path stripesFolder(final Path root, final int n, final int size, final long seed,
		final boolean flat) throws IOException
	{
		final Dataset d = TestData.stripes(n, size, seed);
		for (int i = 0; i < d.size(); i++) {
			final Path dir = flat ? root : root.resolve(d.classNames().get(d.label(i)));
			Files.createDirectories(dir);
			final float[] pixels = d.image(i);
			final byte[] bytes = new byte[pixels.length];
			for (int p = 0; p < pixels.length; p++)
				bytes[p] = (byte) Math.max(0, Math.min(255, Math.round(pixels[p])));
			new FileSaver(new ImagePlus("s", new ByteProcessor(size, size, bytes))).saveAsPng(dir
				.resolve(String.format("%s-%03d.png", d.classNames().get(d.label(i)), i)).toString());
		}
		return root;
	}

	static String path(final Path p) {
		return p.toAbsolutePath().toString();
	}

	/**
	 * A model of the stripes of {@link #stripesFolder} (80 images of 16 x 16, seed 1) trained by
	 * Train Classifier through a macro, as {@code <dir>/stripes.zip}; its folder is
	 * {@code <dir>/train}.
	 */
	static Path stripesModel(final Path dir) throws IOException {
		final Path train = stripesFolder(dir.resolve("train"), 80, 16, 1, false);
		final Path model = dir.resolve("stripes.zip");
		final Run run = run("setBatchMode(true);\n" + "run(\"Train Classifier\", \"folder=[" + train +
			"] architecture=custom custom_architecture=mlp:32 epochs=3 batch_size=16 optimizer=adam " +
			"learning_rate=0.003 validation_fraction=0.25 seed=42 model_file=[" + model + "]\");");
		if (!run.completed() || !Files.isRegularFile(model)) throw new AssertionError(run.output());
		return model;
	}
}
