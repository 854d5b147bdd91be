package io.deepclass.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.deepclass.cluster.MergeShards;

/** {@code deepclass merge}: the shards' CSVs joined into one CSV in the list's order. */
final class MergeSubcommand extends Subcommand {

	MergeSubcommand() {
		super("merge", "join the shards' result CSVs into one, in the list's order");
	}

	@Override
	List<CliOption> options(final Env env) {
		return List.of(
			new CliOption("list_file", File.class, List.of(), null, true, "the list the shards were " +
				"cut from", "FILE"),
			new CliOption("save_csv", File.class, List.of(), null, true, "the merged CSV", "FILE"));
	}

	@Override
	Map<String, String> aliases() {
		return Map.of("list", "list_file", "csv", "save_csv");
	}

	@Override
	int positionals() {
		return Integer.MAX_VALUE;
	}

	@Override
	String usage() {
		return "--list FILE --csv FILE SHARD.csv...";
	}

	@Override
	String notes() {
		return "Refuses shards of different models (columns), rows of files not in the list and\n" +
			"half-written shards (a task still running or killed: resubmit it, it resumes).\n" +
			"Listed files without a row (skipped as unreadable) are counted, not an error.";
	}

	@Override
	void run(final Arguments args, final Env env) throws IOException {
		args.requireAll(options(env));
		if (args.positional().isEmpty())
			throw new UsageException("name the shards' CSVs after the options, e.g. shards/shard-*.csv.");
		env.err().println("deepclass merge: " + MergeShards.merge(Path.of(args.values().get(
			"list_file")), Path.of(args.values().get("save_csv")), args.positional().stream().map(
				Path::of).toList()));
	}
}
