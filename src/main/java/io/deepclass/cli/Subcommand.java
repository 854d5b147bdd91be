package io.deepclass.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.scijava.Context;

/** One subcommand of {@code deepclass}: its name, help and options, and what it does. */
abstract class Subcommand {

	/** Where a subcommand runs: the SciJava context (made on first use) and the two streams. */
	record Env(Supplier<Context> context, PrintStream out, PrintStream err) {}

	final String name;

	final String summary;

	Subcommand(final String name, final String summary) {
		this.name = name;
		this.summary = summary;
	}

	/** The options, in the order help lists them. */
	abstract List<CliOption> options(Env env);

	/** Short names of options, e.g. "model" for "model_file". */
	Map<String, String> aliases() {
		return Map.of();
	}

	/** What sets an option when it is not given, for help ("--list-file sets it to list"); or "". */
	String setBy(final String option) {
		return "";
	}

	/** How many positional arguments it takes. */
	int positionals() {
		return 0;
	}

	/** The usage line's arguments after the subcommand's name. */
	abstract String usage();

	/** Help's text after the options: where the options come from, an example. */
	abstract String notes();

	/**
	 * Does the work: results to files or {@code env.out()}, progress and messages to
	 * {@code env.err()}.
	 *
	 * @throws UsageException for arguments that do not fit together
	 * @throws io.deepclass.core.DeepClassException when the work fails, with the reason and fix
	 */
	abstract void run(Arguments args, Env env) throws IOException;
}
