package io.deepclass.command;

import static io.deepclass.ij.bridge.DialogGroups.DOCS;

import java.nio.file.Path;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.log.LogService;
import org.scijava.plugin.Attr;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ij.ImagePlus;
import ij.measure.ResultsTable;

import io.deepclass.command.Choices.Architecture;
import io.deepclass.command.Choices.BatchNorm;
import io.deepclass.command.Choices.Channels;
import io.deepclass.command.Choices.ClassWeights;
import io.deepclass.command.Choices.OnFailure;
import io.deepclass.core.DeepClassException;
import io.deepclass.core.data.Augmentation;
import io.deepclass.core.data.ImportResult;
import io.deepclass.core.model.ArchitectureSpec;
import io.deepclass.core.pipeline.TrainedModel;
import io.deepclass.core.pipeline.TrainingPipeline;
import io.deepclass.core.pipeline.TrainingRecipe;
import io.deepclass.core.train.LearningRateSchedule;
import io.deepclass.core.train.TrainingDiagnosis;
import io.deepclass.core.train.TrainingSettings;
import io.deepclass.core.transfer.TransferTraining;
import io.deepclass.ij.bridge.DeepClassPlugIn;
import io.deepclass.ij.display.ResultTables;
import io.deepclass.ij.display.TrainingMonitor;
import io.deepclass.ij.input.DatasetStacks;
import io.deepclass.ij.input.ImageSamples;

/**
 * Plugins > DeepClass > Train Classifier: trains a network on a dataset stack (or a folder with
 * one sub-folder per class) and saves it as a model file. Shows progress with ETA, a Log line
 * and a loss/accuracy plot per epoch; Esc stops after the current batch and keeps the last
 * completed epoch. Output: the history table.
 * <p>
 * Macro: {@code run("Train Classifier", "dataset=[DeepClass dataset cells] architecture=bncnn
 * epochs=10 batch_size=64 optimizer=sgd learning_rate=0.01 validation_fraction=0.2
 * normalization=percentile class_weights=balanced seed=42 model_file=/data/cells-model.zip");}
 * Transfer learning: {@code architecture=pretrained backbone_file=/models/resnet18.onnx
 * strategy=features} (or {@code fine-tune}).
 * Suspicious data (mixed bit depths, intensity ranges, small or imbalanced classes) gives a
 * warning in the Log before training, naming the fix.
 */
@Plugin(type = Command.class, headless = true, label = "Train Classifier", attrs = {@Attr(name =
	DeepClassPlugIn.MENU_KEY, value = "train"), @Attr(name = DOCS, value = "training.md")})
public class TrainClassifierCommand extends TrainClassifierParameters implements Command {

	@Parameter
	private LogService log;

	@Parameter(type = ItemIO.OUTPUT, label = ResultTables.HISTORY)
	private ResultsTable history;

	@Parameter(type = ItemIO.OUTPUT, label = TrainingMonitor.PLOT_TITLE)
	private ImagePlus plot;

	@Override
	public void run() {
		CommandSupport.checkWritable(model_file, "model file");
		final Path backboneFile = architecture == Architecture.PRETRAINED ? CommandSupport.backbone(
			backbone, backbone_file) : null;
		final ImageSamples.Options given = ImageSamples.Options.parse(select_channels, z_projection
			.toString());
		final ImportResult imported = imported(given);
		// a dataset stack remembers how Import Dataset made its samples; the model records it
		final ImageSamples.Options made = CommandSupport.given(folder) || dataset == null ||
			DatasetStacks.selection(dataset) == null ? given : DatasetStacks.selection(dataset);
		final TrainingRecipe recipe = recipe(architecture.spec(custom_architecture), backboneFile,
			made);
		final TrainingMonitor monitor = new TrainingMonitor(log::info);
		final TrainingPipeline pipeline = new TrainingPipeline(monitor, monitor);
		final TrainedModel trained;
		if (CommandSupport.given(initial_model)) {
			log.info("DeepClass: going on training " + initial_model + "; its architecture, " +
				"normalisation and backbone are kept");
			trained = pipeline.continueTraining(CommandSupport.loadModel(initial_model), initial_model
				.getName(), recipe, imported.dataset());
		}
		else trained = pipeline.train(recipe, imported.dataset());
		save(monitor, trained);
		// the live plot window already shows it; headless and batch runs get it as an image
		plot = monitor.showsPlot() ? null : monitor.plotImage();
	}

	/** The labelled images, from the dataset stack or the folder; what was skipped logged. */
	private ImportResult imported(final ImageSamples.Options given) {
		return CommandSupport.labelled(dataset, folder, class_pattern, width > 0 || height > 0
			? CommandSupport.targetShape(width, height, Channels.KEEP) : null, given, "Train Classifier",
			log);
	}

	/** What the parameters ask for, on core's defaults. */
	private TrainingRecipe recipe(final ArchitectureSpec spec, final Path backboneFile,
		final ImageSamples.Options made)
	{
		return new TrainingRecipe(spec, settings(), validation_fraction).withNormalization(
			normalization, low_percentile, high_percentile).withBalancedClassWeights(
				class_weights == ClassWeights.BALANCED).withInputSelection(made.channels(), made
					.zMaxProjection()).withAugmentation(Augmentation.parse(augmentation)).withPretrained(
						backboneFile == null ? null : new TrainingRecipe.Pretrained(backboneFile, cut_at,
							input_size, TransferTraining.Settings.of(strategy).withFineTuneEpochs(
								fine_tune_epochs).withUnfreeze(unfreeze, batchnorm == BatchNorm.FREEZE)));
	}

	/** Saves the model, says how training went, and stops when it learned nothing. */
	private void save(final TrainingMonitor monitor, final TrainedModel trained) {
		monitor.finished(trained.result().cancelled());
		TrainingPipeline.save(trained, model_file.toPath());
		if (trained.result().stop() != null) log.info("DeepClass: " + trained.result().stop());
		log.info("DeepClass: model saved to " + model_file + (trained.result().cancelled()
			? " (stopped after epoch " + trained.result().history().size() + ")" : ""));
		final TrainingDiagnosis diagnosis = trained.diagnosis();
		for (final String warning : diagnosis.messages())
			log.warn("Train Classifier: " + warning);
		history = ResultTables.history(trained.result().history(), diagnosis.messages());
		if (diagnosis.learnedNothing() && on_failure == OnFailure.STOP) throw new DeepClassException(
			"the model learned nothing: " + diagnosis.findings().stream().filter(f -> f.kind()
				.learnedNothing()).findFirst().orElseThrow().message() + " It was saved to " +
				model_file + " to look at; add on_failure=warn to go on with such a model.");
	}

	private TrainingSettings settings() {
		try {
			final LearningRateSchedule schedule = LearningRateSchedule.of(lr_schedule, lr_every,
				lr_factor);
			return TrainingSettings.defaults().withEpochs(epochs).withBatchSize(batch_size)
				.withOptimizer(optimizer, learning_rate).withSchedule(schedule).withSeed(seed)
				.withEarlyStopping(early_stopping);
		}
		catch (final IllegalArgumentException e) {
			throw new DeepClassException(e.getMessage() + ".", e);
		}
	}

	public ResultsTable history() {
		return history;
	}
}
