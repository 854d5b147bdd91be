package io.deepclass.ij.bridge;

import java.io.File;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.scijava.Context;
import org.scijava.command.Command;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandService;
import org.scijava.module.Module;
import org.scijava.module.ModuleItem;
import org.scijava.module.ModuleService;
import org.scijava.service.Service;

import ij.ImagePlus;
import ij.WindowManager;

import io.deepclass.core.DeepClassException;

/**
 * Runs a SciJava command with inputs given as ImageJ macro options, in the calling thread.
 * Strings from the macro are converted to each parameter's type; images are found by title
 * (the current image when none is named); unknown keys, missing required values, bad numbers and
 * values outside the choices are refused with a message that lists what is accepted.
 */
public final class CommandRunner {

	private final String title;

	private final CommandInfo info;

	private final ModuleService modules;

	public CommandRunner(final Context context, final Class<? extends Command> command,
		final String title)
	{
		this(context, context.service(CommandService.class).getCommand(command), title);
	}

	/** Runs {@code info}, named in messages by its label. */
	public CommandRunner(final Context context, final CommandInfo info) {
		this(context, info, info.getLabel());
	}

	private CommandRunner(final Context context, final CommandInfo info, final String title) {
		this.title = title;
		this.info = info;
		this.modules = context.service(ModuleService.class);
	}

	/** The menu label, used to prefix messages. */
	public String title() {
		return title;
	}

	/** The user guide page of the command ({@link DialogGroups#DOCS}), or null. */
	String docs() {
		return info.get(DialogGroups.DOCS);
	}

	/** The user-facing inputs: every input but services and the context. */
	public List<ModuleItem<?>> inputs() {
		return CommandCalls.userInputs(info);
	}

	/** The value last entered for {@code item} in a dialog (also after a restart), or null. */
	Object remembered(final ModuleItem<?> item) {
		try {
			return modules.load(item);
		}
		catch (final RuntimeException e) {
			return null; // a preference that no longer converts: the default instead
		}
	}

	/** Remembers the dialog's {@code text} for {@code item} (see {@link #remembered}). */
	@SuppressWarnings("unchecked")
	void remember(final ModuleItem<?> item, final String text) {
		final Object value;
		try {
			value = convert(item, text);
		}
		catch (final DeepClassException e) {
			return; // the run says what is wrong with it
		}
		modules.save((ModuleItem<Object>) item, value);
	}

	/** A new module of the command, with its fields at their defaults. */
	public Module newModule() {
		return modules.createModule(info);
	}

	/**
	 * Sets the module's inputs from macro options and runs it.
	 *
	 * @throws DeepClassException for bad options and for everything the command refuses
	 */
	public Module run(final Map<String, String> options) {
		final Module module = newModule();
		final Map<String, ModuleItem<?>> byName = new LinkedHashMap<>();
		for (final ModuleItem<?> item : inputs())
			byName.put(item.getName().toLowerCase(Locale.ROOT), item);
		for (final String key : options.keySet())
			if (!byName.containsKey(key))
				throw new DeepClassException("unknown parameter '" + key + "'. " + title +
					" takes: " + String.join(", ", byName.keySet()) + ".");
		for (final ModuleItem<?> item : byName.values()) {
			final String text = options.get(item.getName().toLowerCase(Locale.ROOT));
			if (text == null) CommandCalls.completeInput(module, item);
			else {
				module.setInput(item.getName(), convert(item, text));
				module.resolveInput(item.getName());
			}
		}
		for (final ModuleItem<?> item : info.inputs())
			if (Service.class.isAssignableFrom(item.getType())) module.resolveInput(item.getName());
		module.run();
		return module;
	}

	private Object convert(final ModuleItem<?> item, final String text) {
		final Class<?> type = item.getType();
		final String name = item.getName();
		try {
			if (type == String.class || type.isEnum()) return CommandCalls.choice(item, text);
			if (type == File.class) return text.isBlank() ? null : new File(text);
			if (type == int.class || type == Integer.class) return (int) Math.round(Double.parseDouble(
				text));
			if (type == long.class || type == Long.class) return Math.round(Double.parseDouble(text));
			if (type == double.class || type == Double.class) return Double.parseDouble(text);
			if (type == float.class || type == Float.class) return Float.parseFloat(text);
			if (type == boolean.class || type == Boolean.class) return !text.equalsIgnoreCase("false");
		}
		catch (final NumberFormatException e) {
			throw new DeepClassException("parameter '" + name + "' needs a number, not '" + text +
				"'.");
		}
		if (type == ImagePlus.class) {
			if (text.isBlank() || text.equals("(none)")) return null;
			final ImagePlus imp = WindowManager.getImage(text);
			if (imp == null)
				throw new DeepClassException("no open image is called '" + text + "' (parameter '" +
					name + "'). Open it first, or use the exact window title.");
			return imp;
		}
		throw new IllegalStateException("no conversion to " + type + " for " + name);
	}
}
