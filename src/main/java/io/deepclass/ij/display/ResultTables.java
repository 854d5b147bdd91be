package io.deepclass.ij.display;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ij.measure.ResultsTable;

import io.deepclass.core.Interval;
import io.deepclass.core.data.Dataset;
import io.deepclass.core.data.ImportReport;
import io.deepclass.core.predict.EvaluationReport;
import io.deepclass.core.predict.Predictions;
import io.deepclass.core.predict.ResultColumns;
import io.deepclass.core.predict.ResultsCsv;
import io.deepclass.core.train.EpochStats;

/** Builds the ImageJ tables DeepClass shows; titles are the ones macros look tables up by. */
public final class ResultTables {

	public static final String RESULTS = "DeepClass Results";

	public static final String IMPORT_REPORT = "DeepClass Import Report";

	public static final String HISTORY = "DeepClass Training History";

	public static final String EVALUATION = "DeepClass Evaluation";

	public static final String CONFUSION = "DeepClass Confusion Matrix";

	private ResultTables() {}

	/**
	 * A reason shared by more skipped items than this gets one row with their count (e.g. 202
	 * unlabelled nuclei named "nucleus"), not a row each.
	 */
	static final int GROUPED_SKIPS = 5;

	/**
	 * One row per class (count), then one per skipped file (reason); items skipped for the same
	 * reason more than {@link #GROUPED_SKIPS} times share one row: "202 items, first: ...".
	 */
	public static ResultsTable importReport(final ImportReport report) {
		final ResultsTable rt = new ResultsTable();
		for (int c = 0; c < report.classNames().size(); c++)
			reportRow(rt, "class", report.classNames().get(c), report.classCounts()[c], "");
		for (final String warning : report.warnings())
			reportRow(rt, "warning", "", 0, warning);
		final Map<String, List<String>> byReason = new LinkedHashMap<>();
		for (final ImportReport.Skipped skipped : report.skipped())
			byReason.computeIfAbsent(skipped.reason(), k -> new ArrayList<>()).add(skipped.source());
		for (final Map.Entry<String, List<String>> reason : byReason.entrySet()) {
			final List<String> sources = reason.getValue();
			if (sources.size() > GROUPED_SKIPS) reportRow(rt, "skipped", sources.size() + " items, " +
				"first: " + sources.get(0), sources.size(), reason.getKey());
			else for (final String source : sources)
				reportRow(rt, "skipped", source, 1, reason.getKey());
		}
		return rt;
	}

	private static void reportRow(final ResultsTable rt, final String item, final String name,
		final int images, final String reason)
	{
		rt.addRow();
		rt.addValue("item", item);
		rt.addValue("name", name);
		rt.addValue("images", images);
		rt.addValue("reason", reason);
	}

	/** One row per epoch. */
	public static ResultsTable history(final List<EpochStats> history) {
		return history(history, List.of());
	}

	/**
	 * As {@link #history(List)}, with what the history says about the model (learned nothing,
	 * memorises) in a "warning" column of the last row.
	 */
	public static ResultsTable history(final List<EpochStats> history, final List<String> warnings) {
		final ResultsTable rt = new ResultsTable();
		for (final EpochStats s : history) {
			rt.addRow();
			rt.addValue("epoch", s.epoch());
			rt.addValue("train_loss", s.trainLoss());
			rt.addValue("train_accuracy", s.trainAccuracy());
			rt.addValue("validation_loss", s.validationLoss());
			rt.addValue("validation_accuracy", s.validationAccuracy());
			rt.addValue("learning_rate", s.learningRate());
			rt.addValue("seconds", s.seconds());
			rt.addValue("images_per_second", s.imagesPerSecond());
		}
		if (!warnings.isEmpty() && rt.size() > 0) rt.setValue("warning", rt.size() - 1, String.join(
			" | ", warnings));
		rt.setDecimalPlaces(rt.getColumnIndex("learning_rate"), 6);
		return rt;
	}

	/**
	 * One row per item: source, slice, ROI, predicted class, confidence, one probability column
	 * per class, and the true class when known.
	 *
	 * @param slices slice number per item (0 where not from a stack)
	 * @param rois ROI index (1-based) per item (0 where not a ROI), may be null
	 */
	public static ResultsTable predictions(final Predictions p, final int[] slices, final int[] rois,
		final Dataset truth)
	{
		final ResultsTable rt = new ResultsTable();
		for (int i = 0; i < p.size(); i++) {
			final boolean known = truth != null && truth.label(i) >= 0;
			addRow(rt, p.classNames(), known, ResultColumns.values(p.sources()[i], slices == null ? 0
				: slices[i], rois == null ? 0 : rois[i], p.predictedClass(i), p.confidence(i), p
					.probabilities()[i], known, known ? truth.classNames().get(truth.label(i)) : null));
		}
		return rt;
	}

	/**
	 * Per-class precision, recall with its 95 % confidence interval (Wilson), F1 and support; then
	 * an "all (accuracy)" row with the accuracy and its interval, and a "balanced accuracy" row
	 * (the mean recall over the classes).
	 */
	public static ResultsTable evaluation(final EvaluationReport r) {
		final ResultsTable rt = new ResultsTable();
		final int[] support = r.support();
		final Interval[] recall = r.recallIntervals();
		for (int c = 0; c < r.classNames().size(); c++)
			evaluationRow(rt, r.classNames().get(c), r.precision()[c], r.recall()[c], recall[c], r
				.f1()[c], support[c]);
		evaluationRow(rt, "all (accuracy)", r.accuracy(), r.accuracy(), r.accuracyInterval(), r
			.accuracy(), r.count());
		// no value where the row has none, not 0
		evaluationRow(rt, "balanced accuracy", Double.NaN, r.balancedAccuracy(), new Interval(
			Double.NaN, Double.NaN), Double.NaN, r.count());
		return rt;
	}

	private static void evaluationRow(final ResultsTable rt, final String name,
		final double precision, final double recall, final Interval interval, final double f1,
		final int support)
	{
		rt.addRow();
		rt.addValue("class", name);
		rt.addValue("precision", precision);
		rt.addValue("recall", recall);
		rt.addValue("recall_low95", interval.low());
		rt.addValue("recall_high95", interval.high());
		rt.addValue("f1", f1);
		rt.addValue("support", support);
	}

	/** Rows: actual class; columns: predicted class. */
	public static ResultsTable confusion(final EvaluationReport r) {
		return confusion(r.classNames(), r.confusion());
	}

	/** {@code counts[actual][predicted]} as a table, rows actual, columns predicted. */
	public static ResultsTable confusion(final List<String> classNames, final int[][] counts) {
		final ResultsTable rt = new ResultsTable();
		for (int a = 0; a < classNames.size(); a++) {
			rt.addRow();
			rt.addValue("actual", classNames.get(a));
			for (int p = 0; p < classNames.size(); p++)
				rt.addValue(classNames.get(p), counts[a][p]);
		}
		return rt;
	}

	/** Adds one file's row as {@link #predictions} lays them out (the columns of the CSV). */
	public static void addPrediction(final ResultsTable rt, final ResultsCsv.Row row,
		final List<String> classNames, final boolean truth)
	{
		addRow(rt, classNames, truth, ResultColumns.values(row.source(), 0, 0, row.predictedClass(),
			row.confidence(), row.probabilities(), truth, row.trueClass()));
	}

	/** A row of {@link ResultColumns}; a right-or-wrong not known counts as wrong (0). */
	private static void addRow(final ResultsTable rt, final List<String> classNames,
		final boolean truth, final List<Object> values)
	{
		final List<String> columns = ResultColumns.header(classNames, truth);
		rt.addRow();
		for (int c = 0; c < columns.size(); c++) {
			if (values.get(c) instanceof String text) rt.addValue(columns.get(c), text);
			else rt.addValue(columns.get(c), values.get(c) == null ? 0 : ((Number) values.get(c))
				.doubleValue());
		}
	}
}
