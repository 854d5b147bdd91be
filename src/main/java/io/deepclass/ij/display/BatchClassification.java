package io.deepclass.ij.display;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

import ij.IJ;
import ij.measure.ResultsTable;

import io.deepclass.core.DeepClassException;
import io.deepclass.core.SafeNames;
import io.deepclass.core.data.ImageDecoder;
import io.deepclass.core.data.ImageFiles.ImageFile;
import io.deepclass.core.predict.Classifier;
import io.deepclass.core.predict.ResultsCsv;
import io.deepclass.core.predict.StreamingClassification;
import io.deepclass.ij.input.IjImageDecoder;
import io.deepclass.ij.input.ImageSamples;

/**
 * The ImageJ side of a streamed classification of many files: the status line and progress bar
 * with speed and ETA, Esc stopping after the current batch, each skipped file as a Log warning,
 * and the table "DeepClass Results". Without a CSV the table holds every row (it is the only
 * output); with one it holds the first {@link #TABLE_ROWS} rows and the CSV holds them all, since
 * an ImageJ table of 100 000 rows would take more memory than the classification itself.
 */
public final class BatchClassification implements StreamingClassification.Listener {

	/** Rows the table keeps when the results also go to a CSV file. */
	public static final int TABLE_ROWS = 10_000;

	/** The tables made, and what the run did. {@code confusion} is null when no truth is known. */
	public record Outcome(ResultsTable results, ResultsTable confusion,
		StreamingClassification.Summary summary, int tableRows, int rows)
	{}

	private final List<String> classNames;

	private final boolean truth;

	private final int maxRows;

	private final Consumer<String> warn;

	private final ResultsTable table = new ResultsTable();

	private final int[][] confusion;

	private int rows;

	/** How often a run without an ImageJ window logs its progress. */
	private static final long LOG_EVERY_NANOS = 10_000_000_000L;

	private long lastLogLine = System.nanoTime();

	private BatchClassification(final List<String> classNames, final boolean truth,
		final int maxRows, final Consumer<String> warn)
	{
		this.classNames = classNames;
		this.truth = truth;
		this.maxRows = maxRows;
		this.warn = warn;
		this.confusion = new int[classNames.size()][classNames.size()];
	}

	/**
	 * Classifies {@code files} as they are decoded, into {@code csv} when given (null: the table
	 * only), resuming it with {@code resume}.
	 *
	 * @param warn receives a line per skipped file
	 */
	public static Outcome run(final Classifier classifier, final ImageDecoder decoder,
		final List<ImageFile> files, final boolean resize, final Path csv, final boolean resume,
		final Consumer<String> warn)
	{
		final List<String> classNames = classifier.model().info().classNames();
		final boolean truth = files.stream().anyMatch(f -> f.trueClass() != null);
		final BatchClassification listener = new BatchClassification(classNames, truth, csv == null
			? Integer.MAX_VALUE : TABLE_ROWS, warn);
		final StreamingClassification engine = new StreamingClassification(classifier, decoder,
			StreamingClassification.Settings.defaults(classifier, resize));
		IJ.resetEscape();
		final StreamingClassification.Summary summary;
		try {
			summary = csv == null ? engine.run(files, IJ::escapePressed, listener) : engine.toCsv(files,
				truth, csv, resume, IJ::escapePressed, listener);
		}
		catch (final IOException e) {
			throw new DeepClassException("cannot write the results to '" + csv + "': " + e
				.getMessage(), e);
		}
		finally {
			IJ.showProgress(1.0);
		}
		return new Outcome(listener.table, truth ? ResultTables.confusion(classNames,
			listener.confusion) : null, summary, listener.table.size(), listener.rows);
	}

	/**
	 * {@link #run} with the decoder for the model's input, then {@link #report}: what Classify
	 * Images does for a folder or list of files.
	 */
	public static Outcome classify(final Classifier classifier, final List<ImageFile> files,
		final boolean resize, final Path csv, final boolean resume, final Consumer<String> info,
		final Consumer<String> warn)
	{
		final ImageDecoder decoder = new IjImageDecoder(ImageSamples.Options.of(classifier.model()
			.info()));
		final long start = System.nanoTime();
		final Outcome out = run(classifier, decoder, files, resize, csv, resume, warn);
		report(out, files.size(), csv, (System.nanoTime() - start) / 1e9, info, warn);
		return out;
	}

	@Override
	public void rows(final List<ResultsCsv.Row> batch) {
		for (final ResultsCsv.Row row : batch) {
			rows++;
			if (table.size() < maxRows) ResultTables.addPrediction(table, row, classNames, truth);
			final int actual = row.trueClass() == null ? -1 : classNames.indexOf(row.trueClass());
			if (actual >= 0) confusion[actual][classNames.indexOf(row.predictedClass())]++;
		}
	}

	/** The confusion matrix is the CSV's: the rows of the run resumed count too. */
	@Override
	public void resumed(final List<ResultsCsv.KeptRow> kept) {
		for (final ResultsCsv.KeptRow row : kept) {
			final int actual = row.trueClass() == null ? -1 : classNames.indexOf(row.trueClass());
			final int predicted = classNames.indexOf(row.predictedClass());
			if (actual >= 0 && predicted >= 0) confusion[actual][predicted]++;
		}
	}

	@Override
	public void skipped(final String source, final String reason) {
		warn.accept("DeepClass: skipped " + SafeNames.oneLine(source) + ": " + SafeNames.oneLine(
			reason));
	}

	@Override
	public void progress(final StreamingClassification.Progress p) {
		IJ.showProgress(p.done(), p.total());
		final String status = String.format("DeepClass: %d of %d files, %.0f/s, %s left%s", p.done(),
			p.total(), p.filesPerSecond(), duration(p.etaSeconds()), p.skipped() > 0 ? ", " + p
				.skipped() + " skipped" : "");
		IJ.showStatus(status + " (Esc stops)");
		// without an ImageJ window there is no status line: a Log line now and then instead (the
		// console of a headless macro, standard error of the command line, a cluster job's log)
		final long now = System.nanoTime();
		if (IJ.getInstance() == null && now - lastLogLine >= LOG_EVERY_NANOS) {
			lastLogLine = now;
			IJ.log(status);
		}
	}

	static String duration(final double seconds) {
		final long s = Math.round(seconds);
		return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String
			.format("%d:%02d", s / 60, s % 60);
	}

	/**
	 * Says in the Log what the run did: resumed rows, files classified and skipped, time and
	 * rate, what the table keeps, a stop by Esc; and stops the command when nothing at all could
	 * be classified.
	 */
	public static void report(final Outcome out, final int files, final Path csv,
		final double seconds, final Consumer<String> info, final Consumer<String> warn)
	{
		final var s = out.summary();
		if (s.alreadyDone() > 0 || s.droppedPartialLine())
			info.accept("DeepClass: resumed " + csv + ": " + s.alreadyDone() + " files already done" + (s
				.droppedPartialLine() ? "; its half-written last line was removed and that file done " +
					"again" : ""));
		info.accept("DeepClass: classified " + s.classified() + " of " + files + " files" + (s
			.skipped() > 0 ? ", " + s.skipped() + " skipped (see the warnings above)" : "") + (csv != null
				? "; results in " + csv : "") + String.format(" (%.1f s, %.0f files/s)", seconds, (s
					.classified() + s.skipped()) / Math.max(seconds, 1e-9)));
		if (out.rows() > out.tableRows())
			info.accept("DeepClass: the table \"" + ResultTables.RESULTS + "\" shows the first " + out
				.tableRows() + " of " + out.rows() + " rows; the CSV holds them all.");
		if (s.cancelled())
			warn.accept("DeepClass: stopped (Esc) after " + (s.classified() + s.skipped()) + " of " + (files -
				s.alreadyDone()) + " files; run again with resume to finish.");
		if (s.classified() == 0 && s.alreadyDone() == 0 && !s.cancelled())
			throw new DeepClassException("no image could be classified (" + s.skipped() + " files " +
				"skipped, see the Log).");
	}
}
