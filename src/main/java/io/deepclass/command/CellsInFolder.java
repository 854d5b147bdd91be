package io.deepclass.command;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;

import org.scijava.log.LogService;

import ij.IJ;
import ij.measure.ResultsTable;

import io.deepclass.core.DeepClassException;
import io.deepclass.core.predict.Classifier;
import io.deepclass.ij.cells.CellFolderClassification;
import io.deepclass.ij.display.Tables;

/**
 * Classify Images' {@code input=[rois in folder]}: the cells of every image of a folder with its
 * ROI set classified ({@link CellFolderClassification}), the table saved as CSV ({@code save_csv},
 * else {@code results.csv} in the output folder).
 */
final class CellsInFolder {

	/** The CSV's name in the output folder when no save_csv is given. */
	static final String RESULTS_CSV = "results.csv";

	private CellsInFolder() {}

	static ResultsTable classify(final Classifier classifier, final File folder,
		final File output, final int patchSize, final File saveCsv, final LogService log)
	{
		if (!CommandSupport.given(output)) throw new DeepClassException("input=[rois in folder] " +
			"needs output_folder=<a folder for the classified ROI sets> (the ROI sets in the input " +
			"folder are left as they are).");
		final CellFolderClassification.Outcome outcome = CellFolderClassification.classify(
			classifier, CommandSupport.given(folder) ? folder.toPath() : null, output.toPath(),
			patchSize, log::info, IJ::escapePressed);
		final Path csv = CommandSupport.given(saveCsv) ? saveCsv.toPath() : output.toPath().resolve(
			RESULTS_CSV);
		try {
			Tables.writeCsv(outcome.results(), csv);
		}
		catch (final IOException e) {
			throw new DeepClassException("could not write the results to '" + csv + "': " + e
				.getMessage() + ". Choose a writable save_csv.", e);
		}
		log.info("DeepClass: " + outcome.cells() + " cells of " + outcome.images() + " images " +
			"classified" + (outcome.cancelled() ? " (stopped, Esc)" : "") + "; ROI sets with the " +
			"classes in " + output + ", results in " + csv);
		return outcome.results();
	}
}
