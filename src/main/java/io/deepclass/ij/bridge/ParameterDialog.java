package io.deepclass.ij.bridge;

import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.scijava.module.Module;
import org.scijava.module.ModuleItem;

import ij.ImagePlus;
import ij.WindowManager;
import ij.gui.GenericDialog;

/**
 * Asks for a command's parameters in an ImageJ GenericDialog. Each field's label is the
 * parameter name, which is what the Macro Recorder turns into the macro key, so recorded macros
 * use the same snake_case keys as the command. The values entered are remembered across
 * restarts the SciJava way (ModuleService's persisted inputs, kept by PrefService), so the next
 * dialog of the command shows them, as SciJava's own dialogs do; images are not remembered (the
 * dialog offers the current one). The fields are laid out by {@link DialogGroups}; the
 * parameters' descriptions are behind the Help button ({@link DialogHelp}).
 */
final class ParameterDialog {

	private static final String NONE = "(none)";

	private ParameterDialog() {}

	/** The entered values as macro-option text, or null when cancelled. */
	static Map<String, String> show(final CommandRunner runner) {
		final Module defaults = runner.newModule();
		final GenericDialog gd = new GenericDialog("DeepClass: " + runner.title());
		final List<ModuleItem<?>> items = runner.inputs();
		final DialogGroups groups = new DialogGroups(gd);
		for (final ModuleItem<?> item : items) {
			final int first = gd.getComponentCount();
			final String name = item.getName();
			final Object value = item.getValue(defaults);
			final Object remembered = item.getType() == ImagePlus.class ? null : runner.remembered(item);
			final String previous = remembered == null ? null : remembered instanceof File file ? file
				.getPath() : remembered.toString();
			final Class<?> type = item.getType();
			if (type == ImagePlus.class) {
				final List<String> titles = new ArrayList<>();
				if (!item.isRequired()) titles.add(NONE);
				for (final int id : WindowManager.getIDList() == null ? new int[0] : WindowManager
					.getIDList())
					titles.add(WindowManager.getImage(id).getTitle());
				final ImagePlus current = WindowManager.getCurrentImage();
				gd.addChoice(name, titles.toArray(String[]::new), current != null ? current.getTitle()
					: NONE);
			}
			else if (isChoice(item))
				gd.addChoice(name, item.getChoices().stream().map(Object::toString).toArray(
					String[]::new), previous != null ? previous : String.valueOf(value));
			else if (type == String.class) gd.addStringField(name, previous != null ? previous : value ==
				null ? "" : value.toString(), 25);
			else if (type == File.class) {
				final String path = previous != null ? previous : value == null ? "" : ((File) value)
					.getPath();
				if ("directory".equals(item.getWidgetStyle())) gd.addDirectoryField(name, path, 30);
				else gd.addFileField(name, path, 30);
			}
			else if (type == boolean.class || type == Boolean.class) gd.addCheckbox(name,
				previous != null ? Boolean.parseBoolean(previous) : Boolean.TRUE.equals(value));
			else {
				final double number = previous != null ? Double.parseDouble(previous)
					: ((Number) value).doubleValue();
				final boolean integral = type == int.class || type == long.class || type == Integer.class ||
					type == Long.class;
				gd.addNumericField(name, number, integral ? 0 : decimals(number), 10, null);
			}
			groups.added(item, first, previous != null && !previous.equals(value instanceof File file
				? file.getPath() : String.valueOf(value)));
		}
		groups.finish();
		gd.addHelp(DialogHelp.html(gd.getTitle(), runner.docs(), items));
		gd.showDialog();
		if (gd.wasCanceled()) return null;
		final Map<String, String> values = new LinkedHashMap<>();
		for (final ModuleItem<?> item : items) {
			final Class<?> type = item.getType();
			final String text;
			if (type == ImagePlus.class) text = gd.getNextChoice();
			else if (isChoice(item)) text = gd.getNextChoice();
			else if (type == String.class || type == File.class) text = gd.getNextString();
			else if (type == boolean.class || type == Boolean.class) text = Boolean.toString(gd
				.getNextBoolean());
			else text = Double.toString(gd.getNextNumber());
			values.put(item.getName(), text);
		}
		values.values().removeIf(NONE::equals);
		for (final ModuleItem<?> item : items)
			if (item.getType() != ImagePlus.class && values.containsKey(item.getName())) runner.remember(
				item, values.get(item.getName()));
		return values;
	}

	/** A list to choose from: a String with choices, or an enum (shown by its toString). */
	private static boolean isChoice(final ModuleItem<?> item) {
		return (item.getType() == String.class || item.getType().isEnum()) && item.getChoices() !=
			null && !item.getChoices().isEmpty();
	}

	/** Enough decimals to show small learning rates such as 0.0005. */
	private static int decimals(final double value) {
		if (value == 0 || Math.abs(value) >= 1) return 2;
		return Math.min(8, (int) Math.ceil(-Math.log10(Math.abs(value))) + 2);
	}
}
