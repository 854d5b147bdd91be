package io.deepclass.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A subcommand's arguments read against its options: {@code --name value}, {@code --name=value},
 * {@code --flag} and {@code --no-flag} for booleans, {@code -} or {@code _} alike in names, and
 * the positional arguments the subcommand takes. Every value is checked here (known option,
 * number, one of the choices, required ones given), so that what reaches a command is well
 * formed and a mistake is a usage error (exit code 2) before any work starts.
 *
 * @param values the options given, by macro key, as canonical text (choices as declared)
 * @param positional the arguments that are not options
 * @param help whether {@code --help} or {@code -h} was given
 */
record Arguments(Map<String, String> values, List<String> positional, boolean help) {

	/**
	 * Reads {@code args}.
	 *
	 * @param aliases short names for options, e.g. "model" for "model_file"
	 * @param positionals how many positional arguments are allowed (Integer.MAX_VALUE: any)
	 * @throws UsageException naming the argument and what is accepted
	 */
	static Arguments parse(final String[] args, final List<CliOption> options,
		final Map<String, String> aliases, final int positionals)
	{
		final Map<String, CliOption> byName = new LinkedHashMap<>();
		for (final CliOption o : options)
			byName.put(o.name(), o);
		final Map<String, String> values = new LinkedHashMap<>();
		final List<String> positional = new ArrayList<>();
		boolean help = false, onlyPositional = false;
		for (int i = 0; i < args.length; i++) {
			final String arg = args[i];
			if (onlyPositional || !arg.startsWith("-") || arg.equals("-")) {
				positional.add(arg);
				continue;
			}
			if (arg.equals("--")) {
				onlyPositional = true;
				continue;
			}
			if (arg.equals("-h") || arg.equals("--help")) {
				help = true;
				continue;
			}
			if (!arg.startsWith("--"))
				throw new UsageException("unknown option '" + arg + "' (options start with --; see --help).");
			final int eq = arg.indexOf('=');
			final String typed = eq < 0 ? arg : arg.substring(0, eq);
			String key = key(eq < 0 ? arg.substring(2) : arg.substring(2, eq));
			String value = eq < 0 ? null : arg.substring(eq + 1);
			boolean negated = false;
			if (!byName.containsKey(key) && !aliases.containsKey(key) && key.startsWith("no_") && byName
				.containsKey(key.substring(3)) && byName.get(key.substring(3)).isFlag())
			{
				key = key.substring(3);
				negated = true;
			}
			key = aliases.getOrDefault(key, key);
			final CliOption option = byName.get(key);
			if (option == null)
				throw new UsageException("unknown option '" + typed + "'. " + suggestion(key, byName));
			if (values.containsKey(key))
				throw new UsageException(typed + " is given twice.");
			if (option.isFlag()) {
				if (value == null) value = negated ? "false" : "true";
				else if (negated) throw new UsageException("--no-" + option.flag().substring(2) +
					" takes no value.");
			}
			else if (value == null) {
				if (i + 1 >= args.length)
					throw new UsageException(typed + " needs a value (" + option.hint() + ").");
				value = args[++i];
			}
			values.put(key, check(option, negated ? option.flag() : typed, value));
		}
		if (positional.size() > positionals)
			throw new UsageException(positionals == 0 ? "unexpected argument '" + positional.get(0) +
				"' (values follow their option, e.g. --folder DIR; see --help)."
				: "too many arguments: " + positional);
		return new Arguments(values, positional, help);
	}

	/** The macro key for a name as typed: {@code model-file} and {@code model_file} alike. */
	static String key(final String typed) {
		return typed.replace('-', '_').toLowerCase(Locale.ROOT);
	}

	/**
	 * The value as the option declares it, or a usage error saying what is accepted.
	 *
	 * @param typed the option as the user typed it, for the message
	 */
	static String check(final CliOption option, final String typed, final String value) {
		final Class<?> type = option.type();
		if (!option.choices().isEmpty()) {
			for (final String c : option.choices())
				if (c.equalsIgnoreCase(value.trim())) return c;
			throw new UsageException("'" + value + "' is not a valid " + typed + "; choose one " +
				"of: " + String.join(", ", option.choices()) + ".");
		}
		try {
			if (type == int.class || type == Integer.class) Integer.parseInt(value.trim());
			else if (type == long.class || type == Long.class) Long.parseLong(value.trim());
			else if (type == double.class || type == Double.class || type == float.class ||
				type == Float.class)
			{
				if (!Double.isFinite(Double.parseDouble(value.trim())))
					throw new NumberFormatException(value);
			}
		}
		catch (final NumberFormatException e) {
			throw new UsageException(typed + " needs " + (option.hint().equals("N")
				? "a whole number" : "a number") + ", not '" + value + "'.");
		}
		if (option.isFlag() && !value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false"))
			throw new UsageException(typed + " is true or false, not '" + value + "'.");
		return option.isFlag() ? value.toLowerCase(Locale.ROOT) : value;
	}

	/** Fails when a required option is missing. */
	void requireAll(final List<CliOption> options) {
		for (final CliOption o : options)
			if (o.required() && !values.containsKey(o.name()))
				throw new UsageException("missing " + o.flag() + " " + o.hint() + (o.description()
					.isEmpty() ? "" : " (" + o.description() + ")") + ".");
	}

	private static String suggestion(final String key, final Map<String, CliOption> byName) {
		for (final CliOption o : byName.values())
			if (o.name().contains(key) || key.contains(o.name()))
				return "Did you mean " + o.flag() + "? See --help.";
		return "See --help for the options.";
	}
}
