package io.deepclass.ij;

import java.io.File;
import java.util.ArrayList;
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

	/** The user-facing inputs: every input but services and the context. */
	public List<ModuleItem<?>> inputs() {
		final List<ModuleItem<?>> items = new ArrayList<>();
		for (final ModuleItem<?> item : info.inputs())
			if (!Service.class.isAssignableFrom(item.getType()) && !Context.class.isAssignableFrom(item
				.getType())) items.add(item);
		return items;
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
			final Object value = text != null ? convert(item, text) : fallback(item, module);
			if (value == null && item.isRequired() && item.getValue(module) == null)
				throw new DeepClassException("missing parameter '" + item.getName() + "'" + example(item) +
					".");
			if (value != null || text != null) module.setInput(item.getName(), value);
			module.resolveInput(item.getName());
		}
		for (final ModuleItem<?> item : info.inputs())
			if (Service.class.isAssignableFrom(item.getType())) module.resolveInput(item.getName());
		module.run();
		return module;
	}

	/** Boolean flags missing from macro options are false (an unticked checkbox is not recorded). */
	private static Object fallback(final ModuleItem<?> item, final Module module) {
		if (item.getType() == boolean.class || item.getType() == Boolean.class) return Boolean.FALSE;
		if (item.getType() == ImagePlus.class) return WindowManager.getCurrentImage();
		return null;
	}

	private Object convert(final ModuleItem<?> item, final String text) {
		final Class<?> type = item.getType();
		final String name = item.getName();
		try {
			if (type == String.class || type.isEnum()) return choice(item, text);
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

	/**
	 * The choice whose text is {@code text}, in any case: a String, or an enum constant (SciJava
	 * lists an enum's constants as its choices and shows them by their {@code toString()}, the
	 * word macros use).
	 */
	private static Object choice(final ModuleItem<?> item, final String text) {
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
}
