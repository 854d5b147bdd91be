package io.deepclass.command;

import java.io.File;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ij.ImagePlus;
import ij.measure.ResultsTable;

import io.deepclass.core.DeepClassException;
import io.deepclass.core.data.Dataset;
import io.deepclass.core.data.ImageShape;
import io.deepclass.core.model.ArchitectureSpec;
import io.deepclass.core.pipeline.TrainedModel;
import io.deepclass.core.pipeline.TrainingPipeline;
import io.deepclass.core.pipeline.TrainingRecipe;
import io.deepclass.core.train.Optimizer;
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
		final TrainingRecipe recipe = new TrainingRecipe(spec, settings(), validation_fraction);
		final TrainingMonitor monitor = new TrainingMonitor(log::info);
		final TrainedModel trained = new TrainingPipeline(monitor, monitor).train(recipe, all);
		monitor.finished(trained.result().cancelled());
		TrainingPipeline.save(trained, model_file.toPath());
		log.info("DeepClass: model saved to " + model_file + (trained.result().cancelled()
			? " (stopped after epoch " + trained.result().history().size() + ")" : ""));
		history = ResultTables.history(trained.result().history());
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
