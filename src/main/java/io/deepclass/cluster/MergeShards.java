package io.deepclass.cluster;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.deepclass.core.data.ImageFiles;
import io.deepclass.core.data.ImageFiles.ImageFile;
import io.deepclass.core.predict.ResultsCsv;

/**
 * Joins the result CSVs of shards of one file list into one CSV in the list's order:
 * {@code deepclass merge --list list.txt --csv merged.csv shard-0.csv ...}, or without the
 * launcher {@code java -cp <jars> io.deepclass.cluster.MergeShards list.txt merged.csv
 * shard-0.csv ...}. Run it once every job-array task has finished. Exit code 0 when merged
 * (files skipped by a shard are counted), 1 on an error.
 */
public final class MergeShards {

	private MergeShards() {}

	public static void main(final String[] args) {
		final PrintStream out = System.out;
		if (args.length < 3) {
			out.println("usage: io.deepclass.cluster.MergeShards list.txt merged.csv shard.csv...");
			System.exit(2);
		}
		try {
			final List<Path> shards = new ArrayList<>();
			for (int i = 2; i < args.length; i++)
				shards.add(Path.of(args[i]));
			out.println(merge(Path.of(args[0]), Path.of(args[1]), shards));
		}
		catch (final IOException | RuntimeException e) {
			out.println("MergeShards: " + e.getMessage());
			System.exit(1);
		}
	}

	/**
	 * Merges {@code shards} into {@code merged} in the order of {@code list}; says what it did.
	 *
	 * @throws io.deepclass.core.DeepClassException for shards of other models or lists, and
	 *           half-written shards
	 */
	public static String merge(final Path list, final Path merged, final List<Path> shards)
		throws IOException
	{
		final List<String> sources = ImageFiles.inList(list).files().stream().map(
			ImageFile::source).toList();
		final int missing = ResultsCsv.merge(shards, sources, merged);
		return "merged " + shards.size() + " shards into " + merged + ": " + (sources.size() -
			missing) + " rows" + (missing > 0 ? ", " + missing + " listed files have no row (skipped; " +
				"see the shards' logs)" : "");
	}
}
