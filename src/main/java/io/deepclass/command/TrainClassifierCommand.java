package io.deepclass.command;

import java.io.File;
import java.io.IOException;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ij.ImagePlus;
import ij.measure.ResultsTable;

import io.deepclass.core.DeepClassException;
import io.deepclass.core.data.Dataset;
import io.deepclass.core.data.DatasetSplit;
import io.deepclass.core.data.ImageShape;
import io.deepclass.core.data.Normalization;
import io.deepclass.core.model.ArchitectureSpec;
import io.deepclass.core.model.Architectures;
import io.deepclass.core.model.ModelBundle;
import io.deepclass.core.model.ModelFiles;
import io.deepclass.core.model.Network;
import io.deepclass.core.train.Optimizer;
import io.deepclass.core.train.Trainer;
import io.deepclass.core.train.TrainingResult;
import io.deepclass.core.train.TrainingSettings;
import io.deepclass.ij.ResultTables;
import io.deepclass.ij.TrainingMonitor;

/**
 * Plugins > DeepClass > Train Classifier: trains a network on a dataset stack (or a folder with
 * one sub-folder per class) and saves it as a model file. Shows progress with ETA, a Log line
 * and a loss/accuracy plot per epoch; Esc stops after the current batch and keeps the last
 * completed epoch. Output: the history table.
 * <p>
 * Macro: {@code run("Train Classifier", "dataset=[DeepClass dataset cells] architecture=bncnn
 * epochs=10 batch_size=64 optimizer=sgd learning_rate=0.01 validation_fraction=0.2 seed=42
 * model_file=/data/cells-model.zip");}
 */
@Plugin(type = Command.class, headless = true, label = "Train Classifier")
public class TrainClassifierCommand implements Command {

	@Parameter
	private LogService log;

	@Parameter(label = "dataset", required = false, description = "dataset stack (from Import " +
		"Dataset or with class slice labels)")
	private ImagePlus dataset;

	@Parameter(label = "folder", style = "directory", required = false, description = "instead " +
		"of a stack: a folder with one sub-folder per class")
	private File folder;

	@Parameter(label = "architecture", choices = { "linear", "mlp100", "mlp512", "onecnn",
		"multicnn", "lenet", "bncnn", "custom" })
	private String architecture = "bncnn";

	@Parameter(label = "custom_architecture", required = false, description = "with " +
		"architecture=custom: mlp:<sizes> or cnn:<filters>, e.g. cnn:32-64,dense=128")
	private String custom_architecture = "";

	@Parameter(label = "epochs", min = "1")
	private int epochs = 10;

	@Parameter(label = "batch_size", min = "1")
	private int batch_size = 64;

	@Parameter(label = "optimizer", choices = { "sgd", "adam" })
	private String optimizer = "sgd";

	@Parameter(label = "learning_rate")
	private double learning_rate = 0.01;

	@Parameter(label = "validation_fraction", min = "0", max = "0.9")
	private double validation_fraction = 0.2;

	@Parameter(label = "seed")
	private long seed = 42;

	@Parameter(label = "width", min = "0", description = "folder images are resized to this; 0 = " +
		"size of the first image")
	private int width = 0;

	@Parameter(label = "height", min = "0")
	private int height = 0;

	@Parameter(label = "class_pattern", required = false)
	private String class_pattern = "";

	@Parameter(label = "model_file", style = "save")
	private File model_file;

	@Parameter(type = ItemIO.OUTPUT, label = ResultTables.HISTORY)
	private ResultsTable history;

	@Parameter(type = ItemIO.OUTPUT, label = TrainingMonitor.PLOT_TITLE)
	private ImagePlus plot;

	@Override
	public void run() {
		CommandSupport.checkWritable(model_file, "model file");
		final ArchitectureSpec spec = ArchitectureSpec.parse("custom".equals(architecture)
			? custom_architecture : architecture);
		final ImageShape target = width > 0 || height > 0 ? CommandSupport.targetShape(width, height,
			"gray") : null;
		final Dataset all = CommandSupport.labelled(dataset, folder, class_pattern, target).dataset();
		if (validation_fraction < 0 || validation_fraction >= 1)
			throw new DeepClassException("validation_fraction must be at least 0 and below 1, not " +
				validation_fraction + ".");
		final DatasetSplit split = validation_fraction > 0 ? DatasetSplit.stratified(all,
			validation_fraction, seed) : new DatasetSplit(all, null);
		final TrainingSettings settings = settings();
		final Normalization normalization = Normalization.fit(split.train());
		final Network network = Architectures.build(spec, all.shape(), all.numClasses(), seed,
			settings.optimizer().updater(settings.learningRate(), settings.momentum()));
		log.info("DeepClass: training " + spec + " (" + network.numParams() + " parameters) on " +
			split.train() + (split.validation() == null ? "" : ", validating on " + split.validation()
				.size()));
		final TrainingMonitor monitor = new TrainingMonitor();
		final TrainingResult result = new Trainer(settings, monitor, monitor).train(network,
			normalization, split.train(), split.validation());
		monitor.finished(result.cancelled());
		if (result.history().isEmpty())
			throw new DeepClassException("training was stopped before the first epoch ended; no " +
				"model was saved.");
		try {
			ModelFiles.save(ModelBundle.of(result, spec, settings, normalization, split.train(), split
				.validation()), model_file.toPath());
		}
		catch (final IOException e) {
			throw new DeepClassException("cannot save the model to '" + model_file + "': " + e
				.getMessage(), e);
		}
		log.info("DeepClass: model saved to " + model_file + (result.cancelled() ? " (stopped after " +
			"epoch " + result.history().size() + ")" : ""));
		history = ResultTables.history(result.history());
		// the live plot window already shows it; headless and batch runs get it as an image
		plot = monitor.showsPlot() ? null : monitor.plotImage();
	}

	private TrainingSettings settings() {
		try {
			return new TrainingSettings(epochs, batch_size, Optimizer.parse(optimizer), learning_rate,
				0.9, null, seed, 10_000);
		}
		catch (final IllegalArgumentException e) {
			throw new DeepClassException(e.getMessage() + ".", e);
		}
	}

	public ResultsTable history() {
		return history;
	}
}
