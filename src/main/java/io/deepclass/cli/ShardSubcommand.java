package io.deepclass.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.deepclass.cluster.ListShards;

/** {@code deepclass shard}: a list of images cut into K shard lists, one per job-array task. */
final class ShardSubcommand extends Subcommand {

	ShardSubcommand() {
		super("shard", "cut a list of images into K shard lists, one per job-array task");
	}

	@Override
	List<CliOption> options(final Env env) {
		return List.of(
			new CliOption("list_file", File.class, List.of(), null, true, "the list: one image path " +
				"a line (relative paths from the list's folder)", "FILE"),
			new CliOption("shards", int.class, List.of(), null, true, "how many shards (K), at most " +
				"the number of files", "N"),
			new CliOption("out", File.class, List.of(), "shards", false, "the folder for shard-0.txt " +
				"... shard-<K-1>.txt (absolute paths, contiguous pieces of the list)", "DIR"));
	}

	@Override
	Map<String, String> aliases() {
		return Map.of("list", "list_file");
	}

	@Override
	String usage() {
		return "--list FILE --shards K [--out DIR]";
	}

	@Override
	String notes() {
		return "Then classify shard i as task i of a job array (deepclass classify --list\n" +
			"DIR/shard-i.txt --csv DIR/shard-i.csv --resume) and merge the CSVs (deepclass merge).\n" +
			"Prints the shard files' names, one a line.";
	}

	@Override
	void run(final Arguments args, final Env env) throws IOException {
		final List<CliOption> options = options(env);
		args.requireAll(options);
		final int k = Integer.parseInt(args.values().get("shards"));
		if (k < 1) throw new UsageException("--shards must be 1 or more, not " + k + ".");
		final ListShards.Result r = ListShards.write(Path.of(args.values().get("list_file")), k, Path
			.of(args.values().getOrDefault("out", "shards")));
		env.err().println("deepclass shard: " + r.files() + " files in " + k + " shards" + (r
			.duplicates() > 0 ? " (" + r.duplicates() + " duplicate lines left out)" : ""));
		for (final Path p : r.shards())
			env.out().println(p);
	}
}
