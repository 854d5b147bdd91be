package io.deepclass.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The text of {@code deepclass --help} and {@code deepclass <subcommand> --help}. */
final class Help {

	private static final int WIDTH = 80;

	private Help() {}

	static String overview(final Map<String, Subcommand> subcommands) {
		final StringBuilder s = new StringBuilder();
		s.append("deepclass: train and apply DeepClass image classifiers on the command line\n\n");
		s.append("usage: deepclass <subcommand> [options]   (deepclass <subcommand> --help: its " +
			"options)\n\nsubcommands:\n");
		for (final Subcommand sub : subcommands.values())
			s.append(String.format("  %-13s %s%n", sub.name, sub.summary));
		s.append("\n");
		wrap(s, "", "exit codes: 0 done (files skipped as unreadable are counted on stderr, not a " +
			"failure); 1 failed (the reason on stderr); 2 bad usage.");
		wrap(s, "", "Results go to files or stdout, progress and messages to stderr. Environment: " +
			"OMP_NUM_THREADS (native threads, default all cores; set it to the cores a job was " +
			"given), DEEPCLASS_JVM_OPTS (the launcher's JVM options, default -Xmx2g).");
		return s.toString();
	}

	static String of(final Subcommand sub, final Subcommand.Env env) {
		final StringBuilder s = new StringBuilder();
		s.append("deepclass ").append(sub.name).append(": ").append(sub.summary).append("\n\n");
		s.append("usage: deepclass ").append(sub.name).append(sub.usage().isEmpty() ? "" : " " + sub
			.usage()).append("\n\n");
		if (sub instanceof CommandSubcommand c) {
			final String label = c.label(env);
			wrap(s, "", "Runs Plugins > DeepClass > " + label + "; each option is the macro key of " +
				"run(\"" + label + "\", ...) with '-' for '_' (--model-file is model_file=).");
			s.append("\n");
		}
		final List<CliOption> options = sub.options(env);
		if (!options.isEmpty()) s.append("options:\n");
		for (final CliOption o : options) {
			final StringBuilder head = new StringBuilder("  ").append(o.flag());
			for (final var alias : sub.aliases().entrySet())
				if (alias.getValue().equals(o.name())) head.append(", --").append(alias.getKey().replace(
					'_', '-'));
			if (!o.isFlag()) head.append(' ').append(o.choices().isEmpty() ? o.hint() : String.join("|",
				o.choices()));
			s.append(head).append('\n');
			final List<String> about = new ArrayList<>();
			if (!o.description().isEmpty()) about.add(o.description().endsWith(".") ? o.description()
				: o.description() + ".");
			if (o.required()) about.add(sub.setBy(o.name()).isEmpty() ? "Required." : "Required; " + sub
				.setBy(o.name()) + ".");
			else if (o.isFlag()) about.add("Default: " + ("true".equals(o.defaultValue()) ? "on (--no-" +
				o.flag().substring(2) + " turns it off)" : "off") + ".");
			else if (o.defaultValue() != null && !o.defaultValue().isEmpty()) about.add("Default: " + o
				.defaultValue() + ".");
			if (!about.isEmpty()) wrap(s, "      ", String.join(" ", about));
		}
		if (sub.positionals() > 0) s.append("  (then the files the subcommand works on)\n");
		if (!sub.notes().isEmpty()) s.append('\n').append(sub.notes()).append('\n');
		return s.toString();
	}

	/** Appends {@code text} as lines of at most {@link #WIDTH} characters starting with {@code indent}. */
	private static void wrap(final StringBuilder s, final String indent, final String text) {
		final StringBuilder line = new StringBuilder(indent);
		for (final String word : text.split(" ")) {
			if (line.length() > indent.length() && line.length() + 1 + word.length() > WIDTH) {
				s.append(line).append('\n');
				line.setLength(0);
				line.append(indent);
			}
			if (line.length() > indent.length()) line.append(' ');
			line.append(word);
		}
		s.append(line).append('\n');
	}
}
