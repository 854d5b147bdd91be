package io.deepclass.command;

import static io.deepclass.ij.bridge.DialogGroups.*;

import java.io.File;
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
import io.deepclass.command.Choices.Backbone;
import io.deepclass.command.Choices.BatchNorm;
import io.deepclass.command.Choices.Channels;
import io.deepclass.command.Choices.ClassWeights;
import io.deepclass.command.Choices.OnFailure;
import io.deepclass.command.Choices.ZProjection;
import io.deepclass.core.DeepClassException;
import io.deepclass.core.data.Augmentation;
import io.deepclass.core.data.ImportResult;
import io.deepclass.core.data.Normalization;
import io.deepclass.core.model.ArchitectureSpec;
import io.deepclass.core.pipeline.TrainedModel;
import io.deepclass.core.pipeline.TrainingPipeline;
import io.deepclass.core.pipeline.TrainingRecipe;
import io.deepclass.core.train.LearningRateSchedule;
import io.deepclass.core.train.Optimizer;
import io.deepclass.core.train.TrainingDiagnosis;
import io.deepclass.core.train.TrainingSettings;
import io.deepclass.core.transfer.TransferTraining;
import io.deepclass.core.transfer.TransferTraining.Strategy;
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
public class TrainClassifierCommand implements Command {

	/** Shown only for transfer learning. */
	private static final String PRETRAINED = "architecture=pretrained";

	@Parameter
	private LogService log;

	@Parameter(label = "dataset", required = false, description = "dataset stack (from Import " +
		"Dataset or with class slice labels)")
	private ImagePlus dataset;

	@Parameter(label = "folder", style = "directory", required = false, description = "instead " +
		"of a stack: a folder with one sub-folder per class")
	private File folder;

	@Parameter(label = "architecture")
	private Architecture architecture = Architecture.BNCNN;

	@Parameter(label = "custom_architecture", attrs = @Attr(name = SHOWN_WHEN,
		value = "architecture=custom"),
		required = false, description = "with " +
		"architecture=custom: mlp:<sizes> or cnn:<filters>, e.g. cnn:32-64,dense=128")
	private String custom_architecture = "";

	@Parameter(label = "backbone", attrs = @Attr(name = SHOWN_WHEN, value = PRETRAINED),
		description = "with architecture=pretrained: a network of the ONNX Model Zoo " +
			"(ImageNet weights, downloaded once into ~/.deepclass/backbones), or file")
	private Backbone backbone = Backbone.FILE;

	@Parameter(label = "backbone_file", attrs = @Attr(name = SHOWN_WHEN, value = PRETRAINED),
		style = "open", required = false, description = "with " +
		"architecture=pretrained: an ONNX classification network (e.g. torchvision's, exported with " +
		"torch.onnx.export); its classifier is replaced by one for your classes")
	private File backbone_file;

	@Parameter(label = "strategy", attrs = @Attr(name = SHOWN_WHEN, value = PRETRAINED),
		description = "features: " +
		"the backbone stays frozen, only the new head trains; fine-tune: then all of it, slower")
	private Strategy strategy = Strategy.FEATURES;

	@Parameter(label = "cut_at", attrs = {@Attr(name = GROUP, value = TRANSFER),
		@Attr(name = SHOWN_WHEN, value = PRETRAINED)},
		required = false, description = "the backbone node whose output " +
		"are the features (empty: its last global pooling)")
	private String cut_at = "";

	@Parameter(label = "input_size", attrs = {@Attr(name = GROUP, value = TRANSFER),
		@Attr(name = SHOWN_WHEN, value = PRETRAINED)},
		min = "0", description = "pretrained: square input size in " +
		"pixels (0: the backbone's own, 224 for ImageNet networks; 96-160 is much faster on a CPU " +
		"for networks with global pooling)")
	private int input_size = 0;

	@Parameter(label = "fine_tune_epochs", attrs = {@Attr(name = GROUP, value = TRANSFER),
		@Attr(name = SHOWN_WHEN, value = PRETRAINED)},
		min = "0", description = "fine-tune: epochs of the " +
		"whole network, at a tenth of the learning rate, after the head's")
	private int fine_tune_epochs = 3;

	@Parameter(label = "unfreeze", attrs = {@Attr(name = GROUP, value = TRANSFER),
		@Attr(name = SHOWN_WHEN, value = PRETRAINED)},
		min = "0", description = "fine-tune: how many of the " +
		"backbone's last convolution or dense layers train, with what follows them (0: all)")
	private int unfreeze = 0;

	@Parameter(label = "batchnorm", attrs = {@Attr(name = GROUP, value = TRANSFER),
		@Attr(name = SHOWN_WHEN, value = PRETRAINED)},
		description = "fine-tune: " +
		"update the backbone's BatchNorm statistics as it trains, or keep them as pretrained " +
		"(better with small batches)")
	private BatchNorm batchnorm = BatchNorm.UPDATE;

	@Parameter(label = "epochs", min = "1")
	private int epochs = 10;

	@Parameter(label = "batch_size", attrs = @Attr(name = GROUP, value = OPTIMISATION), min = "1")
	private int batch_size = 64;

	@Parameter(label = "optimizer", attrs = @Attr(name = GROUP, value = OPTIMISATION))
	private Optimizer optimizer = Optimizer.SGD;

	@Parameter(label = "learning_rate", attrs = @Attr(name = GROUP, value = OPTIMISATION))
	private double learning_rate = 0.01;

	@Parameter(label = "validation_fraction", attrs = @Attr(name = GROUP, value = DATA),
		min = "0", max = "0.9")
	private double validation_fraction = 0.2;

	@Parameter(label = "normalization", attrs = @Attr(name = GROUP, value = DATA),
		description = "percentile: each image and channel scaled to its own low..high percentiles " +
			"(microscopy); bit depth: 8-bit/255, 16-bit/65535; dataset: mean/std of the training set")
	private Normalization.Method normalization = Normalization.Method.PERCENTILE;

	@Parameter(label = "low_percentile", attrs = @Attr(name = GROUP, value = DATA),
		min = "0", max = "100")
	private double low_percentile = Normalization.DEFAULT_LOW;

	@Parameter(label = "high_percentile", attrs = @Attr(name = GROUP, value = DATA),
		min = "0", max = "100")
	private double high_percentile = Normalization.DEFAULT_HIGH;

	@Parameter(label = "class_weights", attrs = @Attr(name = GROUP, value = OPTIMISATION),
		description = "balanced: " +
		"small classes weigh as much in the loss as large ones")
	private ClassWeights class_weights = ClassWeights.NONE;

	@Parameter(label = "augmentation", attrs = @Attr(name = GROUP, value = DATA),
		required = false, description = "none; microscopy (flips, " +
		"90-degree rotations, 2-pixel shifts, 10 % brightness/contrast); or e.g. " +
		"flip,rot90,shift=2,scale=0.1,rotate=15,brightness=0.1,contrast=0.1")
	private String augmentation = "none";

	@Parameter(label = "seed", attrs = @Attr(name = GROUP, value = OPTIMISATION))
	private long seed = 42;

	@Parameter(label = "width", attrs = @Attr(name = GROUP, value = DATA),
		min = "0", description = "folder images are resized to this; 0 = " +
		"size of the first image")
	private int width = 0;

	@Parameter(label = "height", attrs = @Attr(name = GROUP, value = DATA), min = "0")
	private int height = 0;

	@Parameter(label = "select_channels", attrs = @Attr(name = GROUP, value = DATA),
		required = false, description = "for a folder or an " +
		"image that is not a DeepClass dataset: which channels, in this order, e.g. 1,3")
	private String select_channels = "";

	@Parameter(label = "z_projection", attrs = @Attr(name = GROUP, value = DATA))
	private ZProjection z_projection = ZProjection.NONE;

	@Parameter(label = "class_pattern", attrs = @Attr(name = GROUP, value = DATA), required = false)
	private String class_pattern = "";

	@Parameter(label = "model_file", style = "save")
	private File model_file;

	@Parameter(label = "initial_model", attrs = @Attr(name = GROUP, value = ADVANCED),
		style = "open", required = false, description = "a " +
		"model file to go on training (same classes and input; its architecture, normalisation " +
		"and optimiser state are kept)")
	private File initial_model;

	@Parameter(label = "early_stopping", attrs = @Attr(name = GROUP, value = OPTIMISATION),
		min = "0", description = "stop when the validation loss " +
		"has not improved for this many epochs and keep the best epoch (0: off)")
	private int early_stopping = 0;

	@Parameter(label = "lr_schedule", attrs = @Attr(name = GROUP, value = OPTIMISATION),
		description =
		"step: the learning rate times lr_factor every lr_every epochs; plateau: times lr_factor " +
			"when the validation loss has not improved for lr_every epochs; cosine: down along half " +
			"a cosine to the rate times lr_factor over lr_every epochs")
	private LearningRateSchedule.Kind lr_schedule = LearningRateSchedule.Kind.NONE;

	@Parameter(label = "lr_every", attrs = @Attr(name = GROUP, value = OPTIMISATION), min = "1")
	private int lr_every = 2;

	@Parameter(label = "lr_factor", attrs = @Attr(name = GROUP, value = OPTIMISATION))
	private double lr_factor = 0.5;

	@Parameter(label = "on_failure", attrs = @Attr(name = GROUP, value = ADVANCED),
		description = "when the " +
		"model learned nothing (accuracy at chance, a loss that never fell or exploded): stop " +
		"(the command fails after saving the model, a macro stops) or warn and go on")
	private OnFailure on_failure = OnFailure.STOP;

	@Parameter(label = "save_tables", attrs = @Attr(name = GROUP, value = ADVANCED),
		style = "directory", required = false, description = "a " +
		"folder: every table this command makes is also written there as <title>.csv")
	private File save_tables;

	@Parameter(type = ItemIO.OUTPUT, label = ResultTables.HISTORY)
	private ResultsTable history;

	@Parameter(type = ItemIO.OUTPUT, label = TrainingMonitor.PLOT_TITLE)
	private ImagePlus plot;

	@Override
	public void run() {
		CommandSupport.checkWritable(model_file, "model file");
		final Path backboneFile = architecture == Architecture.PRETRAINED ? CommandSupport.backbone(
			backbone, backbone_file) : null;
		final ArchitectureSpec spec = architecture.spec(custom_architecture);
		final ImageSamples.Options given = ImageSamples.Options.parse(select_channels, z_projection
			.toString());
		final ImportResult imported = CommandSupport.labelled(dataset, folder, class_pattern, width >
			0 || height > 0 ? CommandSupport.targetShape(width, height, Channels.KEEP) : null, given);
		for (final String warning : imported.report().warnings())
			log.warn("Train Classifier: " + warning);
		// a dataset stack remembers how Import Dataset made its samples; the model records it
		final ImageSamples.Options made = CommandSupport.given(folder) || dataset == null ||
			DatasetStacks.selection(dataset) == null ? given : DatasetStacks.selection(dataset);
		final TrainingRecipe recipe = recipe(spec, backboneFile, made);
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
