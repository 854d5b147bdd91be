package io.deepclass.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.deepclass.core.DeepClassException;
import io.deepclass.core.data.ImageFiles;
import io.deepclass.core.data.ImageFiles.ImageFile;

/**
 * Cuts a list of image files into K contiguous shards, {@code shard-0.txt} ...
 * {@code shard-<K-1>.txt}, for the K tasks of a job array. The list is read as Classify Images
 * and {@link MergeShards} read it (relative paths from the list's folder, comments, blank and
 * duplicate lines left out); the shards hold absolute paths, so they can live anywhere, and
 * their sizes differ by one at most.
 */
public final class ListShards {

	private ListShards() {}

	/** The shard files written, in order; the files listed and the duplicate lines left out. */
	public record Result(List<Path> shards, int files, int duplicates) {}

	public static Result write(final Path list, final int k, final Path folder) throws IOException {
		if (k < 1) throw new DeepClassException("the number of shards must be 1 or more, not " + k +
			".");
		final ImageFiles.Listing listing = ImageFiles.inList(list);
		final List<ImageFile> files = listing.files();
		if (files.size() < k)
			throw new DeepClassException("'" + list + "' names " + files.size() + " files, fewer than " +
				k + " shards: every task of the array must have files; give at most " + files.size() +
				" shards.");
		Files.createDirectories(folder);
		final List<Path> shards = new ArrayList<>();
		for (int s = 0; s < k; s++) {
			// shard s holds files [s*n/k, (s+1)*n/k): contiguous, sizes within one of each other
			final int from = (int) ((long) s * files.size() / k);
			final int to = (int) ((long) (s + 1) * files.size() / k);
			final StringBuilder text = new StringBuilder();
			for (final ImageFile f : files.subList(from, to))
				text.append(f.source()).append('\n');
			final Path shard = folder.resolve("shard-" + s + ".txt");
			final Path tmp = folder.resolve("shard-" + s + ".txt.part");
			Files.writeString(tmp, text, StandardCharsets.UTF_8);
			Files.move(tmp, shard, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
			shards.add(shard);
		}
		return new Result(shards, files.size(), listing.duplicates());
	}
}
