package io.deepclass.core.data;

import java.util.List;

/**
 * What an import did: the images per class it kept and the files it skipped, each with the
 * reason. Skipped files are only reported, never moved or deleted.
 */
public record ImportReport(List<String> classNames, int[] classCounts, List<Skipped> skipped) {

	/** A file or item that was not imported, and why. */
	public record Skipped(String source, String reason) {}

	public ImportReport {
		classNames = List.copyOf(classNames);
		classCounts = classCounts.clone();
		skipped = List.copyOf(skipped);
	}

	public int imported() {
		int total = 0;
		for (final int count : classCounts)
			total += count;
		return total;
	}
}
