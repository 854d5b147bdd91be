package io.deepclass.ij.display;

import java.util.List;

import ij.measure.ResultsTable;

import io.deepclass.core.Interval;
import io.deepclass.core.data.Dataset;
import io.deepclass.core.data.ImportReport;
import io.deepclass.core.predict.EvaluationReport;
import io.deepclass.core.predict.Predictions;
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

	/** One row per class (count), then one per skipped file (reason). */
	public static ResultsTable importReport(final ImportReport report) {
		final ResultsTable rt = new ResultsTable();
		for (int c = 0; c < report.classNames().size(); c++) {
			rt.addRow();
			rt.addValue("item", "class");
			rt.addValue("name", report.classNames().get(c));
			rt.addValue("images", report.classCounts()[c]);
			rt.addValue("reason", "");
		}
		for (final String warning : report.warnings()) {
			rt.addRow();
			rt.addValue("item", "warning");
			rt.addValue("name", "");
			rt.addValue("images", 0);
			rt.addValue("reason", warning);
		}
		for (final ImportReport.Skipped skipped : report.skipped()) {
			rt.addRow();
			rt.addValue("item", "skipped");
			rt.addValue("name", skipped.source());
			rt.addValue("images", 0);
			rt.addValue("reason", skipped.reason());
		}
		return rt;
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
			rt.addRow();
			rt.addValue("source", p.sources()[i]);
			rt.addValue("slice", slices == null ? 0 : slices[i]);
			rt.addValue("roi", rois == null ? 0 : rois[i]);
			rt.addValue("class", p.predictedClass(i));
			rt.addValue("confidence", p.confidence(i));
			for (int c = 0; c < p.classNames().size(); c++)
				rt.addValue("p_" + p.classNames().get(c), p.probabilities()[i][c]);
			if (truth != null && truth.label(i) >= 0) {
				final String actual = truth.classNames().get(truth.label(i));
				rt.addValue("true_class", actual);
				rt.addValue("correct", actual.equals(p.predictedClass(i)) ? 1 : 0);
			}
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
		for (int c = 0; c < r.classNames().size(); c++) {
			rt.addRow();
			rt.addValue("class", r.classNames().get(c));
			rt.addValue("precision", r.precision()[c]);
			rt.addValue("recall", r.recall()[c]);
			rt.addValue("recall_low95", recall[c].low());
			rt.addValue("recall_high95", recall[c].high());
			rt.addValue("f1", r.f1()[c]);
			rt.addValue("support", support[c]);
		}
		final Interval accuracy = r.accuracyInterval();
		rt.addRow();
		rt.addValue("class", "all (accuracy)");
		rt.addValue("precision", r.accuracy());
		rt.addValue("recall", r.accuracy());
		rt.addValue("recall_low95", accuracy.low());
		rt.addValue("recall_high95", accuracy.high());
		rt.addValue("f1", r.accuracy());
		rt.addValue("support", r.count());
		rt.addRow();
		rt.addValue("class", "balanced accuracy");
		rt.addValue("precision", Double.NaN); // no value there, not 0
		rt.addValue("recall", r.balancedAccuracy());
		rt.addValue("recall_low95", Double.NaN);
		rt.addValue("recall_high95", Double.NaN);
		rt.addValue("f1", Double.NaN);
		rt.addValue("support", r.count());
		return rt;
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
		rt.addRow();
		rt.addValue("source", row.source());
		rt.addValue("slice", 0);
		rt.addValue("roi", 0);
		rt.addValue("class", row.predictedClass());
		rt.addValue("confidence", row.confidence());
		for (int c = 0; c < classNames.size(); c++)
			rt.addValue("p_" + classNames.get(c), row.probabilities()[c]);
		if (truth) {
			rt.addValue("true_class", row.trueClass() == null ? "" : row.trueClass());
			rt.addValue("correct", row.predictedClass().equals(row.trueClass()) ? 1 : 0);
		}
	}
}
