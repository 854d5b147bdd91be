package io.deepclass.cli;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

import org.scijava.module.Module;
import org.scijava.module.ModuleItem;

/**
 * One option of a subcommand: {@code --model-file} for the macro key {@code model_file}. For the
 * subcommands that run a Fiji command it is read from the command's {@code @Parameter}
 * (its {@link ModuleItem}), so the command line, the dialog and the macro share one declaration.
 *
 * @param name the macro key (snake_case)
 * @param type the value's Java type (boolean options are flags)
 * @param choices the accepted values (a String parameter's choices or an enum's constants), or
 *          empty for any
 * @param defaultValue the value when not given, as text; null when there is none
 * @param required whether the option must be given (it is required and has no default)
 * @param description one line of help, may be empty
 * @param hint what the value is in help: FILE, DIR, N, NUMBER, TEXT
 */
record CliOption(String name, Class<?> type, List<String> choices, String defaultValue,
	boolean required, String description, String hint)
{

	/** The option of a command's input, with the default a new module of the command holds. */
	static CliOption of(final ModuleItem<?> item, final Module fresh) {
		final Object value = item.getValue(fresh);
		final String text = value == null || value instanceof File f && f.getPath().isEmpty() ? null
			: value.toString();
		final List<String> choices = choices(item);
		final String description = item.getDescription() == null ? "" : item.getDescription();
		return new CliOption(item.getName(), item.getType(), choices, text, item.isRequired() &&
			text == null, description, hint(item.getType(), item.getWidgetStyle()));
	}

	/** A String parameter's {@code choices}, or an enum parameter's constants as macros name them. */
	static List<String> choices(final ModuleItem<?> item) {
		final List<String> names = new ArrayList<>();
		if (item.getChoices() != null) for (final Object c : item.getChoices())
			names.add(c.toString());
		if (names.isEmpty() && item.getType().isEnum()) for (final Object c : item.getType()
			.getEnumConstants())
			names.add(c.toString());
		return List.copyOf(names);
	}

	static String hint(final Class<?> type, final String style) {
		if (type == File.class) return style != null && style.contains("directory") ? "DIR" : "FILE";
		if (type == int.class || type == Integer.class || type == long.class || type == Long.class)
			return "N";
		if (type == double.class || type == Double.class || type == float.class || type == Float.class)
			return "NUMBER";
		return "TEXT";
	}

	/** {@code --model-file} for {@code model_file}. */
	String flag() {
		return "--" + name.replace('_', '-');
	}

	boolean isFlag() {
		return type == boolean.class || type == Boolean.class;
	}
}
