package io.deepclass.ij.bridge;

import java.awt.GraphicsEnvironment;
import java.awt.Window;
import java.util.ArrayList;
import java.util.List;
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
import io.deepclass.ij.display.WindowLayout;


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
		final ClassLoader previous = CommandCalls.enter();
		try {
			runCommand(arg);
		}
		finally {
			CommandCalls.leave(previous);
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
		catch (final RuntimeException | OutOfMemoryError e) {
			// a bug, not bad input: the trace goes to the Log for the report
			if (CommandCalls.isBug(e)) IJ.log(CommandCalls.bugReport(runner.title(), e));
			fail(runner.title(), CommandCalls.errorMessage(e));
		}
	}

	/**
	 * Shows images, and tables under their titles (batch mode keeps images without windows); when
	 * the command has a {@value #SAVE_TABLES} folder, also writes each table there as CSV.
	 */
	static void showOutputs(final Module module) {
		final ImagePlus input = WindowManager.getCurrentImage();
		final Window front = WindowManager.getFrontWindow(); // e.g. the training plot
		final List<ImagePlus> images = new ArrayList<>();
		final List<Window> tables = new ArrayList<>();
		for (final ModuleItem<?> item : module.getInfo().outputs()) {
			final Object value = item.getValue(module);
			if (value instanceof ImagePlus imp) {
				imp.show();
				images.add(imp);
			}
			else if (value instanceof ResultsTable table) {
				CommandCalls.keepTable(module, item.getLabel(), table, true, IJ::log);
				final Window w = WindowManager.getWindow(item.getLabel());
				if (w != null) tables.add(w);
			}
		}
		WindowLayout.arrange(input, front, images, tables);
	}

	/** The input naming a folder for every table a command makes, as CSV. */
	public static final String SAVE_TABLES = CommandCalls.SAVE_TABLES;

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
