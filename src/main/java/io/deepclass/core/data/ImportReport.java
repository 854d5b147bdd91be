package io.deepclass.core.data;

import java.util.List;

/**
 * What an import did: the images per class it kept, the files it skipped, each with the
 * reason, and warnings about data that trains a worse model unless handled (see
 * {@link DatasetChecks#warnings}). Skipped files are only reported, never moved or deleted.
 */
public record ImportReport(List<String> classNames, int[] classCounts, List<Skipped> skipped,
	List<String> warnings)
{

	/** A file or item that was not imported, and why. */
	public record Skipped(String source, String reason) {}

	public ImportReport {
		classNames = List.copyOf(classNames);
		classCounts = classCounts.clone();
		skipped = List.copyOf(skipped);
		warnings = warnings == null ? List.of() : List.copyOf(warnings);
	}

	/** A report without warnings. */
	public ImportReport(final List<String> classNames, final int[] classCounts,
		final List<Skipped> skipped)
	{
		this(classNames, classCounts, skipped, List.of());
	}

	public int imported() {
		int total = 0;
		for (final int count : classCounts)
			total += count;
		return total;
	}
}
