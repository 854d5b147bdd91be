package io.deepclass.ij;

import java.awt.GraphicsEnvironment;
import java.util.Map;

import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandService;
import org.scijava.module.Module;
import org.scijava.module.ModuleItem;

import ij.IJ;
import ij.ImagePlus;
import ij.Macro;
import ij.WindowManager;
import ij.macro.Interpreter;
import ij.measure.ResultsTable;
import ij.plugin.PlugIn;

import io.deepclass.core.DeepClassException;
import io.deepclass.core.backend.NativeBackend;

/**
 * The bridge that {@code plugins.config} points every DeepClass menu entry at, with the entry's
 * key as argument. It asks for the command's parameters in a GenericDialog (so the Macro
 * Recorder records {@code run("Label", "key=value ...")}), or takes them from the macro options
 * when a macro runs it (no dialog, headless-safe), runs the SciJava command, and shows its
 * outputs: images, and tables under their titles. Errors name the command and stop the macro.
 */
public class DeepClassPlugIn implements PlugIn {

	@Override
	public void run(final String arg) {
		// ImageJ loads plugins (and plugins/jars) with its own class loader, while SciJava's
		// plugin discovery and ND4J's backend discovery look in the thread's context class
		// loader: make it ours for the run, or no command and no backend is found.
		final Thread thread = Thread.currentThread();
		final ClassLoader previous = thread.getContextClassLoader();
		thread.setContextClassLoader(DeepClassPlugIn.class.getClassLoader());
		try {
			NativeBackend.select();
			runCommand(arg);
		}
		finally {
			thread.setContextClassLoader(previous);
		}
	}

	/**
	 * The SciJava plugin attribute that names a DeepClass command's menu key, the argument
	 * plugins.config passes here: {@code @Plugin(..., attrs = @Attr(name = MENU_KEY, value =
	 * "train"))}. The bridge finds commands by it in SciJava's plugin index, so it names none.
	 */
	public static final String MENU_KEY = "deepclass.menu";

	/** The command whose {@link #MENU_KEY} is {@code key}, or null. */
	public static CommandInfo command(final Context context, final String key) {
		for (final CommandInfo info : context.service(CommandService.class).getCommands())
			if (key.equals(info.get(MENU_KEY))) return info;
		return null;
	}

	private void runCommand(final String arg) {
		final CommandRunner runner;
		try {
			final CommandInfo command = command(SciJavaContext.get(), arg);
			if (command == null) {
				fail("DeepClass", "unknown command '" + arg + "' (plugins.config and this version of " +
					"DeepClass do not match; reinstall DeepClass).");
				return;
			}
			runner = new CommandRunner(SciJavaContext.get(), command);
		}
		catch (final RuntimeException | LinkageError e) {
			fail("DeepClass", "DeepClass could not start: " + e + ". Run Plugins > DeepClass > " +
				"DeepClass System Check for details.");
			return;
		}
		final String options = Macro.getOptions();
		final Map<String, String> values;
		if (options != null) values = MacroOptions.parse(options);
		else if (GraphicsEnvironment.isHeadless() || runner.inputs().isEmpty()) values = Map.of();
		else {
			values = ParameterDialog.show(runner);
			if (values == null) return; // cancelled
		}
		try {
			showOutputs(runner.run(values));
		}
		catch (final DeepClassException e) {
			fail(runner.title(), e.getMessage());
		}
		catch (final OutOfMemoryError e) {
			fail(runner.title(), "out of memory. Use fewer or smaller images, a smaller batch size, or " +
				"give ImageJ more memory (Edit > Options > Memory & Threads).");
		}
		catch (final RuntimeException e) {
			final Throwable cause = e.getCause() instanceof DeepClassException ? e.getCause() : e;
			if (!(cause instanceof DeepClassException))
				// a bug, not bad input: the trace goes to the Log for the report
				IJ.log("DeepClass internal error in " + runner.title() + ":\n" + stackTrace(cause));
			fail(runner.title(), cause instanceof DeepClassException ? cause.getMessage()
				: "unexpected error: " + cause + ". Please report it with the Log window's content.");
		}
	}

	private static String stackTrace(final Throwable t) {
		final java.io.StringWriter text = new java.io.StringWriter();
		t.printStackTrace(new java.io.PrintWriter(text));
		return text.toString();
	}

	/**
	 * Shows images, and tables under their titles (batch mode keeps images without windows); when
	 * the command has a {@value #SAVE_TABLES} folder, also writes each table there as CSV.
	 */
	static void showOutputs(final Module module) {
		final Object folder = module.getInfo().getInput(SAVE_TABLES) != null ? module.getInput(
			SAVE_TABLES) : null;
		final ImagePlus input = WindowManager.getCurrentImage();
		final java.awt.Window front = WindowManager.getFrontWindow(); // e.g. the training plot
		final java.util.List<ImagePlus> images = new java.util.ArrayList<>();
		final java.util.List<java.awt.Window> tables = new java.util.ArrayList<>();
		for (final ModuleItem<?> item : module.getInfo().outputs()) {
			final Object value = item.getValue(module);
			if (value instanceof ImagePlus imp) {
				imp.show();
				images.add(imp);
			}
			else if (value instanceof ResultsTable table) {
				Tables.show(table, item.getLabel());
				final java.awt.Window w = WindowManager.getWindow(item.getLabel());
				if (w != null) tables.add(w);
				if (folder instanceof java.io.File dir && !dir.getPath().isBlank()) IJ.log("DeepClass: " +
					"saved " + Tables.save(table, item.getLabel(), dir));
			}
		}
		WindowLayout.arrange(input, front, images, tables);
	}

	/** The input naming a folder for every table a command makes, as CSV. */
	public static final String SAVE_TABLES = "save_tables";

	/**
	 * Reports an error: a dialog in the GUI, a Log line headless; then aborts the running macro,
	 * so a macro never goes on after a failed step.
	 */
	static void fail(final String title, final String message) {
		final String text = title + ": " + message;
		if (GraphicsEnvironment.isHeadless() || IJ.getInstance() == null) IJ.log(text);
		else IJ.error(title, message);
		if (Interpreter.getInstance() != null) {
			Interpreter.abort();
			Macro.abort();
		}
	}
}
