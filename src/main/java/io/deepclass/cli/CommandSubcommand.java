package io.deepclass.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.scijava.Context;
import org.scijava.command.Command;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandService;
import org.scijava.module.Module;
import org.scijava.module.ModuleItem;
import org.scijava.module.ModuleService;
import org.scijava.service.Service;

import ij.ImagePlus;
import ij.measure.ResultsTable;

import io.deepclass.core.DeepClassException;
import io.deepclass.ij.display.Tables;

/**
 * A subcommand that runs one of the Fiji commands (a SciJava {@link Command}) with the options
 * read from that command's {@code @Parameter} inputs: the same names as the macro keys, the same
 * defaults, choices and descriptions, and the same code run, so a command line and a macro give
 * the same results. Image inputs (there are no open images here) and the options that only draw
 * on images are left out; the output tables go to standard output as CSV, or to the command's
 * results file when it has one and it was given.
 */
final class CommandSubcommand extends Subcommand {

	/** The macro key of the folder every output table is also written to, as the Fiji bridge does. */
	static final String SAVE_TABLES = "save_tables";

	private final Class<? extends Command> command;

	private final Map<String, String> aliases;

	private final Set<String> hidden;

	private final Map<String, List<String>> narrowed;

	private final Set<String> required;

	private final Map<String, String[]> implied;

	private final String resultsFile;

	private final String example;

	/**
	 * @param hidden inputs that have no meaning without an open image
	 * @param narrowed choices the command line offers of an input's (the rest need an open image);
	 *          such an input has no default here
	 * @param required inputs the command takes optionally but the command line needs (a folder,
	 *          where Fiji could use an open image instead)
	 * @param implied {@code option -> {other option, value}}: giving the option sets the other when
	 *          it is not given ({@code --list-file} means {@code --input list})
	 * @param resultsFile the input naming the file the results go to: when given, the results table
	 *          is not also printed
	 */
	CommandSubcommand(final String name, final String summary, final Class<? extends Command> command,
		final Map<String, String> aliases, final Set<String> hidden,
		final Map<String, List<String>> narrowed, final Set<String> required,
		final Map<String, String[]> implied, final String resultsFile, final String example)
	{
		super(name, summary);
		this.command = command;
		this.aliases = aliases;
		this.hidden = hidden;
		this.narrowed = narrowed;
		this.required = required;
		this.implied = implied;
		this.resultsFile = resultsFile;
		this.example = example;
	}

	CommandInfo info(final Context context) {
		final CommandInfo info = context.service(CommandService.class).getCommand(command);
		if (info == null) throw new IllegalStateException("no SciJava command " + command.getName() +
			" in this class path's plugin index");
		return info;
	}

	@Override
	List<CliOption> options(final Env env) {
		final Context context = env.context().get();
		final CommandInfo info = info(context);
		final Module fresh = context.service(ModuleService.class).createModule(info);
		final List<CliOption> options = new ArrayList<>();
		for (final ModuleItem<?> item : info.inputs()) {
			if (!onCommandLine(item)) continue;
			CliOption o = CliOption.of(item, fresh);
			final List<String> only = narrowed.get(o.name());
			if (only != null) {
				if (!o.choices().containsAll(only))
					throw new IllegalStateException(o.name() + " of " + command.getSimpleName() +
						" no longer offers all of " + only + ": " + o.choices());
				o = new CliOption(o.name(), o.type(), only, null, true, o.description(), o.hint());
			}
			if (required.contains(o.name())) o = new CliOption(o.name(), o.type(), o.choices(), o
				.defaultValue(), true, o.description(), o.hint());
			options.add(o);
		}
		return options;
	}

	private boolean onCommandLine(final ModuleItem<?> item) {
		final Class<?> type = item.getType();
		return !Service.class.isAssignableFrom(type) && !Context.class.isAssignableFrom(type) &&
			!ImagePlus.class.isAssignableFrom(type) && !hidden.contains(item.getName());
	}

	@Override
	Map<String, String> aliases() {
		return aliases;
	}

	@Override
	String setBy(final String option) {
		final List<String> by = new ArrayList<>();
		for (final Map.Entry<String, String[]> e : implied.entrySet())
			if (e.getValue()[0].equals(option)) by.add("--" + e.getKey().replace('_', '-') + " sets " +
				e.getValue()[1]);
		by.sort(null);
		return String.join(", ", by);
	}

	/** The menu entry's label, e.g. "Classify Images". */
	String label(final Env env) {
		return info(env.context().get()).getLabel();
	}

	@Override
	String usage() {
		return example;
	}

	@Override
	String notes() {
		return "";
	}

	@Override
	void run(final Arguments args, final Env env) throws IOException {
		final Map<String, String> values = new LinkedHashMap<>(args.values());
		for (final Map.Entry<String, String[]> e : implied.entrySet())
			if (values.containsKey(e.getKey())) values.putIfAbsent(e.getValue()[0], e.getValue()[1]);
		final List<CliOption> options = options(env);
		new Arguments(values, args.positional(), false).requireAll(options);

		final Context context = env.context().get();
		final CommandInfo info = info(context);
		final Module module = context.service(ModuleService.class).createModule(info);
		for (final CliOption o : options) {
			final String text = values.getOrDefault(o.name(), o.defaultValue());
			if (text != null) module.setInput(o.name(), convert(info.getInput(o.name()), text));
		}
		for (final ModuleItem<?> item : info.inputs()) {
			if (ImagePlus.class.isAssignableFrom(item.getType())) module.setInput(item.getName(), null);
			module.resolveInput(item.getName());
		}
		module.run();
		writeOutputs(module, values, env);
	}

	/** Text checked by {@link Arguments#check} as the input's type. */
	static Object convert(final ModuleItem<?> item, final String text) {
		final Class<?> type = item.getType();
		if (type == File.class) return text.isBlank() ? null : new File(text);
		if (type == int.class || type == Integer.class) return Integer.parseInt(text.trim());
		if (type == long.class || type == Long.class) return Long.parseLong(text.trim());
		if (type == double.class || type == Double.class) return Double.parseDouble(text.trim());
		if (type == float.class || type == Float.class) return Float.parseFloat(text.trim());
		if (type == boolean.class || type == Boolean.class) return Boolean.parseBoolean(text);
		if (type.isEnum()) {
			for (final Object c : type.getEnumConstants())
				if (c.toString().equalsIgnoreCase(text) || ((Enum<?>) c).name().equalsIgnoreCase(text))
					return c;
			throw new UsageException("'" + text + "' is not a valid --" + item.getName());
		}
		if (type == String.class) return text;
		throw new IllegalStateException("no conversion to " + type + " for " + item.getName());
	}

	/**
	 * The output tables: to standard output as CSV (a line {@code # <title>} before each when there
	 * are several), unless the results went to a file; also into the {@code save_tables} folder.
	 */
	private void writeOutputs(final Module module, final Map<String, String> values, final Env env)
		throws IOException
	{
		final String folder = values.get(SAVE_TABLES);
		final Map<String, ResultsTable> tables = new LinkedHashMap<>();
		for (final ModuleItem<?> item : module.getInfo().outputs())
			if (item.getValue(module) instanceof ResultsTable table) tables.put(item.getLabel(), table);
		if (folder != null && !folder.isBlank()) for (final var e : tables.entrySet())
			env.err().println("deepclass " + name + ": saved " + Tables.save(e.getValue(), e.getKey(),
				new File(folder)));
		if (resultsFile != null && values.get(resultsFile) != null && !values.get(resultsFile)
			.isBlank()) return;
		final Path tmp = Files.createTempFile("deepclass-table", ".csv");
		try {
			for (final var e : tables.entrySet()) {
				if (tables.size() > 1) env.out().println("# " + e.getKey());
				Tables.writeCsv(e.getValue(), tmp);
				env.out().write(Files.readAllBytes(tmp));
			}
			env.out().flush();
		}
		finally {
			Files.deleteIfExists(tmp);
		}
	}

	/** The exception a command failed with, when it is one whose message is meant for the user. */
	static DeepClassException userError(final Throwable t) {
		for (Throwable c = t; c != null; c = c.getCause())
			if (c instanceof DeepClassException d) return d;
		return null;
	}
}
