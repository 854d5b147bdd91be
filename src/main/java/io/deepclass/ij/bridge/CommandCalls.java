package io.deepclass.ij.bridge;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.scijava.Context;
import org.scijava.module.Module;
import org.scijava.module.ModuleInfo;
import org.scijava.module.ModuleItem;
import org.scijava.service.Service;

import ij.ImagePlus;
import ij.WindowManager;
import ij.measure.ResultsTable;

import io.deepclass.core.DeepClassException;
import io.deepclass.core.backend.NativeStart;
import io.deepclass.core.engine.FastGraph;
import io.deepclass.ij.display.Tables;

/**
 * What happens around every run of a DeepClass command, whoever starts it: the menu bridge
 * ({@link DeepClassPlugIn}, macros) and SciJava's {@code CommandService} (scripts, pyimagej,
 * through {@link DeepClassPreprocessor}, {@link DeepClassPostprocessor} and
 * {@link DeepClassRunService}). One copy of these rules, so both ways give the same result and
 * the same error lines.
 */
public final class CommandCalls {

	private CommandCalls() {}

	/** Whether {@code info} is a DeepClass command (it names its menu key). */
	public static boolean isDeepClass(final ModuleInfo info) {
		return info != null && info.get(DeepClassPlugIn.MENU_KEY) != null;
	}

	/** How messages name the command: its menu label. */
	public static String title(final ModuleInfo info) {
		return info.getLabel() != null && !info.getLabel().isBlank() ? info.getLabel() : info
			.getTitle();
	}

	/**
	 * Prepares the calling thread for a command: the thread's context class loader becomes
	 * DeepClass's (ImageJ loads plugins with its own class loader, while SciJava's plugin discovery
	 * and ND4J's backend discovery look in the thread's), and the native backend is chosen before
	 * anything touches ND4J, which then loads on another thread while the command shows its
	 * dialog or reads its images ({@link NativeStart}).
	 *
	 * @return the class loader to give back with {@link #leave}
	 */
	public static ClassLoader enter() {
		final Thread thread = Thread.currentThread();
		final ClassLoader previous = thread.getContextClassLoader();
		thread.setContextClassLoader(CommandCalls.class.getClassLoader());
		try {
			NativeStart.inBackground();
		}
		catch (final RuntimeException | LinkageError e) {
			thread.setContextClassLoader(previous);
			throw e;
		}
		return previous;
	}

	/**
	 * Gives the thread back the class loader {@link #enter} replaced, and frees the native buffers
	 * the command's computations kept on this thread ({@link FastGraph#releaseThreadBuffers}):
	 * ImageJ runs each menu command on a thread of its own, which ends with the command.
	 */
	public static void leave(final ClassLoader previous) {
		try {
			FastGraph.releaseThreadBuffers();
		}
		catch (final LinkageError e) {
			// the engine cannot load here (no oneDNN for this platform): it allocated nothing
		}
		finally {
			Thread.currentThread().setContextClassLoader(previous);
		}
	}

	/** The user-facing inputs: every input but services and the context. */
	public static List<ModuleItem<?>> userInputs(final ModuleInfo info) {
		final List<ModuleItem<?>> items = new ArrayList<>();
		for (final ModuleItem<?> item : info.inputs())
			if (!Service.class.isAssignableFrom(item.getType()) && !Context.class.isAssignableFrom(item
				.getType())) items.add(item);
		return items;
	}

	/**
	 * Gives an input nobody set the value a macro gives a key it leaves out, and marks it
	 * resolved: false for a flag (an unticked checkbox is not recorded), the current image for an
	 * image, else the command's own default.
	 *
	 * @throws DeepClassException when the input is required and has no value
	 */
	public static void completeInput(final Module module, final ModuleItem<?> item) {
		if (module.isInputResolved(item.getName())) return;
		final Object value = fallback(item);
		if (value == null && item.isRequired() && item.getValue(module) == null)
			throw new DeepClassException("missing parameter '" + item.getName() + "'" + example(item) +
				".");
		if (value != null) module.setInput(item.getName(), value);
		module.resolveInput(item.getName());
	}

	/** Every user input: those set are checked against their choices, the others completed. */
	public static void completeInputs(final Module module) {
		for (final ModuleItem<?> item : userInputs(module.getInfo())) {
			if (!module.isInputResolved(item.getName())) completeInput(module, item);
			else if (item.getType() == String.class && module.getInput(item.getName()) != null) module
				.setInput(item.getName(), choice(item, module.getInput(item.getName()).toString()));
		}
	}

	private static Object fallback(final ModuleItem<?> item) {
		if (item.getType() == boolean.class || item.getType() == Boolean.class) return Boolean.FALSE;
		if (item.getType() == ImagePlus.class) return WindowManager.getCurrentImage();
		return null;
	}

	/**
	 * The choice {@code text} names, ignoring case, as the command spells it; {@code text} itself
	 * when the input has no choices.
	 *
	 * @throws DeepClassException when it names none, listing them
	 */
	public static Object choice(final ModuleItem<?> item, final String text) {
		final List<?> choices = item.getChoices();
		if (choices == null || choices.isEmpty()) return text;
		for (final Object c : choices)
			if (c.toString().equalsIgnoreCase(text.trim())) return c;
		final List<String> names = new ArrayList<>();
		for (final Object c : choices)
			names.add(c.toString());
		throw new DeepClassException("'" + text + "' is not a valid " + item.getName() +
			"; choose one of: " + String.join(", ", names) + ".");
	}

	private static String example(final ModuleItem<?> item) {
		if (item.getType() == File.class) return " (e.g. " + item.getName() + "=/path/to/file)";
		if (item.getType() == ImagePlus.class) return ": open an image first";
		return "";
	}

	/** The input naming a folder for every table a command makes, as CSV. */
	public static final String SAVE_TABLES = "save_tables";

	/**
	 * Keeps each table the command made under its title (for Get DeepClass Table, and shown in a
	 * window when {@code show}), and when the command has a {@value #SAVE_TABLES} folder writes it
	 * there as CSV, saying so to {@code log}.
	 */
	public static void keepTables(final Module module, final boolean show,
		final Consumer<String> log)
	{
		for (final ModuleItem<?> item : module.getInfo().outputs())
			if (item.getValue(module) instanceof ResultsTable table) keepTable(module, item.getLabel(),
				table, show, log);
	}

	/** Keeps one table of {@code module} as {@link #keepTables} does. */
	public static void keepTable(final Module module, final String title, final ResultsTable table,
		final boolean show, final Consumer<String> log)
	{
		final Object folder = module.getInfo().getInput(SAVE_TABLES) != null ? module.getInput(
			SAVE_TABLES) : null;
		if (show) Tables.show(table, title);
		else Tables.keep(table, title);
		if (folder instanceof File dir && !dir.getPath().isBlank()) log.accept("DeepClass: saved " +
			Tables.save(table, title, dir));
	}

	/** The one line (after "Command: ") that says what went wrong. */
	public static String errorMessage(final Throwable t) {
		final Throwable cause = cause(t);
		if (cause instanceof DeepClassException) return cause.getMessage();
		if (cause instanceof OutOfMemoryError)
			return "out of memory. Use fewer or smaller images, a smaller batch size, or give ImageJ " +
				"more memory (Edit > Options > Memory & Threads).";
		return "unexpected error: " + cause + ". Please report it with the Log window's content.";
	}

	/** Whether {@code t} is a bug rather than bad input or too little memory: its trace is logged. */
	public static boolean isBug(final Throwable t) {
		final Throwable cause = cause(t);
		return !(cause instanceof DeepClassException) && !(cause instanceof OutOfMemoryError);
	}

	/** The lines logged for a bug, so that it can be reported. */
	public static String bugReport(final String title, final Throwable t) {
		final StringWriter text = new StringWriter();
		cause(t).printStackTrace(new PrintWriter(text));
		return "DeepClass internal error in " + title + ":\n" + text;
	}

	/** A command's exception, or the DeepClassException a wrapper carries. */
	private static Throwable cause(final Throwable t) {
		return t instanceof RuntimeException && t.getCause() instanceof DeepClassException ? t
			.getCause() : t;
	}
}
