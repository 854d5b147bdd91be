package io.deepclass.command;

import java.io.File;
import java.util.Locale;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.log.LogService;
import org.scijava.plugin.Attr;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ij.IJ;
import ij.ImagePlus;
import ij.measure.ResultsTable;

import io.deepclass.core.bundle.ModelBundle;
import io.deepclass.core.data.Dataset;
import io.deepclass.core.predict.Classifier;
import io.deepclass.core.predict.EvaluationReport;
import io.deepclass.core.predict.Predictions;
import io.deepclass.ij.bridge.DeepClassPlugIn;
import io.deepclass.ij.display.EvaluationImages;
import io.deepclass.ij.display.ResultTables;
import io.deepclass.ij.input.ImageSamples;

/**
 * Plugins > DeepClass > Evaluate Classifier: applies a model to a labelled dataset (stack or
 * folder with one sub-folder per class) and shows accuracy, per-class precision/recall/F1, the
 * confusion matrix as a table and as a heat map, and a montage of sample predictions framed
 * green (right) or red (wrong).
 * <p>
 * Macro: {@code run("Evaluate Classifier", "model_file=/data/model.zip
 * dataset=[DeepClass dataset test]");}
 */
@Plugin(type = Command.class, headless = true, label = "Evaluate Classifier", attrs = @Attr(name =
	DeepClassPlugIn.MENU_KEY, value = "evaluate"))
public class EvaluateClassifierCommand implements Command {

	@Parameter
	private LogService log;

	@Parameter(label = "model_file", style = "open")
	private File model_file;

	@Parameter(label = "dataset", required = false)
	private ImagePlus dataset;

	@Parameter(label = "folder", style = "directory", required = false)
	private File folder;

	@Parameter(label = "resize")
	private boolean resize = false;

	@Parameter(label = "samples", min = "0", description = "images in the montage of predictions")
	private int samples = 36;

	@Parameter(label = "save_tables", style = "directory", required = false, description = "a " +
		"folder: every table this command makes is also written there as <title>.csv")
	private File save_tables;

	@Parameter(type = ItemIO.OUTPUT, label = ResultTables.EVALUATION)
	private ResultsTable metrics;

	@Parameter(type = ItemIO.OUTPUT, label = ResultTables.CONFUSION)
	private ResultsTable confusion;

	@Parameter(type = ItemIO.OUTPUT, label = "confusion matrix")
	private ImagePlus heatMap;

	@Parameter(type = ItemIO.OUTPUT, label = "sample predictions")
	private ImagePlus montage;

	@Override
	public void run() {
		final ModelBundle model = CommandSupport.loadModel(model_file);
		final Dataset data = CommandSupport.labelled(dataset, folder, "", resize || model.info().input()
			.resizes() ? model.info()
			.inputShape() : null, ImageSamples.Options.of(model.info()), "Evaluate Classifier", log)
			.dataset();
		final Predictions predictions = new Classifier(model).classify(data, null, done -> IJ
			.showProgress(done, data.size()));
		final EvaluationReport report = EvaluationReport.of(data, predictions);
		log.info(String.format(Locale.ROOT, "DeepClass: accuracy %s on %d images; balanced " +
			"accuracy %.1f %%", report.accuracyInterval().percent(report.accuracy()), report.count(),
			100 * report.balancedAccuracy()));
		for (final String warning : report.warnings())
			log.warn("Evaluate Classifier: " + warning);
		metrics = ResultTables.evaluation(report);
		confusion = ResultTables.confusion(report);
		heatMap = EvaluationImages.confusionHeatMap(report);
		if (samples > 0) montage = EvaluationImages.predictionMontage(data, predictions, samples);
	}

	public ResultsTable metrics() {
		return metrics;
	}
}
