package io.deepclass.command;

import static io.deepclass.ij.bridge.DialogGroups.*;

import java.io.File;

import org.scijava.plugin.Attr;
import org.scijava.plugin.Parameter;

import ij.ImagePlus;

import io.deepclass.command.Choices.Architecture;
import io.deepclass.command.Choices.Backbone;
import io.deepclass.command.Choices.BatchNorm;
import io.deepclass.command.Choices.ClassWeights;
import io.deepclass.command.Choices.OnFailure;
import io.deepclass.command.Choices.ZProjection;
import io.deepclass.core.data.Normalization;
import io.deepclass.core.train.LearningRateSchedule;
import io.deepclass.core.train.Optimizer;
import io.deepclass.core.transfer.TransferTraining.Strategy;

/**
 * Train Classifier's inputs, in the order of its dialog, its macro keys and the Macro Recorder's
 * line (SciJava lists a superclass's parameters first; {@link TrainClassifierCommand} adds only
 * its log and outputs). The descriptions are the dialog's Help and the command line's --help.
 */
abstract class TrainClassifierParameters {

	/** Shown only for transfer learning. */
	static final String PRETRAINED = "architecture=pretrained";

	@Parameter(label = "dataset", required = false, description = "dataset stack (from Import " +
		"Dataset or with class slice labels)")
	ImagePlus dataset;

	@Parameter(label = "folder", style = "directory", required = false, description = "instead " +
		"of a stack: a folder with one sub-folder per class")
	File folder;

	@Parameter(label = "architecture")
	Architecture architecture = Architecture.BNCNN;

	@Parameter(label = "custom_architecture", attrs = @Attr(name = SHOWN_WHEN, value =
		"architecture=custom"), required = false, description = "with architecture=custom: " +
			"mlp:<sizes> or cnn:<filters>, e.g. cnn:32-64,dense=128")
	String custom_architecture = "";

	@Parameter(label = "backbone", attrs = @Attr(name = SHOWN_WHEN, value = PRETRAINED),
		description = "with architecture=pretrained: a network of the ONNX Model Zoo (ImageNet " +
			"weights, downloaded once into ~/.deepclass/backbones), or file")
	Backbone backbone = Backbone.FILE;

	@Parameter(label = "backbone_file", attrs = @Attr(name = SHOWN_WHEN, value = PRETRAINED),
		style = "open", required = false, description = "with architecture=pretrained: an ONNX " +
			"classification network (e.g. torchvision's, exported with torch.onnx.export); its " +
			"classifier is replaced by one for your classes")
	File backbone_file;

	@Parameter(label = "strategy", attrs = @Attr(name = SHOWN_WHEN, value = PRETRAINED),
		description = "features: the backbone stays frozen, only the new head trains; fine-tune: " +
			"then all of it, slower")
	Strategy strategy = Strategy.FEATURES;

	@Parameter(label = "cut_at", attrs = {@Attr(name = GROUP, value = TRANSFER), @Attr(name =
		SHOWN_WHEN, value = PRETRAINED)}, required = false, description = "the backbone node " +
			"whose output are the features (empty: its last global pooling)")
	String cut_at = "";

	@Parameter(label = "input_size", attrs = {@Attr(name = GROUP, value = TRANSFER), @Attr(name =
		SHOWN_WHEN, value = PRETRAINED)}, min = "0", description = "pretrained: square input size " +
			"in pixels (0: the backbone's own, 224 for ImageNet networks; 96-160 is much faster on " +
			"a CPU for networks with global pooling)")
	int input_size = 0;

	@Parameter(label = "fine_tune_epochs", attrs = {@Attr(name = GROUP, value = TRANSFER),
		@Attr(name = SHOWN_WHEN, value = PRETRAINED)}, min = "0", description = "fine-tune: " +
			"epochs of the whole network, at a tenth of the learning rate, after the head's")
	int fine_tune_epochs = 3;

	@Parameter(label = "unfreeze", attrs = {@Attr(name = GROUP, value = TRANSFER), @Attr(name =
		SHOWN_WHEN, value = PRETRAINED)}, min = "0", description = "fine-tune: how many of the " +
			"backbone's last convolution or dense layers train, with what follows them (0: all)")
	int unfreeze = 0;

	@Parameter(label = "batchnorm", attrs = {@Attr(name = GROUP, value = TRANSFER), @Attr(name =
		SHOWN_WHEN, value = PRETRAINED)}, description = "fine-tune: update the backbone's " +
			"BatchNorm statistics as it trains, or keep them as pretrained (better with small batches)")
	BatchNorm batchnorm = BatchNorm.UPDATE;

	@Parameter(label = "epochs", min = "1")
	int epochs = 10;

	@Parameter(label = "batch_size", attrs = @Attr(name = GROUP, value = OPTIMISATION), min = "1")
	int batch_size = 64;

	@Parameter(label = "optimizer", attrs = @Attr(name = GROUP, value = OPTIMISATION))
	Optimizer optimizer = Optimizer.SGD;

	@Parameter(label = "learning_rate", attrs = @Attr(name = GROUP, value = OPTIMISATION))
	double learning_rate = 0.01;

	@Parameter(label = "validation_fraction", attrs = @Attr(name = GROUP, value = DATA), min = "0",
		max = "0.9")
	double validation_fraction = 0.2;

	@Parameter(label = "normalization", attrs = @Attr(name = GROUP, value = DATA), description =
		"percentile: each image and channel scaled to its own low..high percentiles (microscopy); " +
			"bit depth: 8-bit/255, 16-bit/65535; dataset: mean/std of the training set")
	Normalization.Method normalization = Normalization.Method.PERCENTILE;

	@Parameter(label = "low_percentile", attrs = @Attr(name = GROUP, value = DATA), min = "0",
		max = "100")
	double low_percentile = Normalization.DEFAULT_LOW;

	@Parameter(label = "high_percentile", attrs = @Attr(name = GROUP, value = DATA), min = "0",
		max = "100")
	double high_percentile = Normalization.DEFAULT_HIGH;

	@Parameter(label = "class_weights", attrs = @Attr(name = GROUP, value = OPTIMISATION),
		description = "balanced: small classes weigh as much in the loss as large ones")
	ClassWeights class_weights = ClassWeights.NONE;

	@Parameter(label = "augmentation", attrs = @Attr(name = GROUP, value = DATA), required = false,
		description = "none; microscopy (flips, 90-degree rotations, 2-pixel shifts, 10 % " +
			"brightness/contrast); or e.g. flip,rot90,shift=2,scale=0.1,rotate=15,brightness=0.1," +
			"contrast=0.1")
	String augmentation = "none";

	@Parameter(label = "seed", attrs = @Attr(name = GROUP, value = OPTIMISATION))
	long seed = 42;

	@Parameter(label = "width", attrs = @Attr(name = GROUP, value = DATA), min = "0",
		description = "folder images are resized to this; 0 = size of the first image")
	int width = 0;

	@Parameter(label = "height", attrs = @Attr(name = GROUP, value = DATA), min = "0")
	int height = 0;

	@Parameter(label = "select_channels", attrs = @Attr(name = GROUP, value = DATA),
		required = false, description = "for a folder or an image that is not a DeepClass " +
			"dataset: which channels, in this order, e.g. 1,3")
	String select_channels = "";

	@Parameter(label = "z_projection", attrs = @Attr(name = GROUP, value = DATA))
	ZProjection z_projection = ZProjection.NONE;

	@Parameter(label = "class_pattern", attrs = @Attr(name = GROUP, value = DATA), required = false)
	String class_pattern = "";

	@Parameter(label = "model_file", style = "save")
	File model_file;

	@Parameter(label = "initial_model", attrs = @Attr(name = GROUP, value = ADVANCED),
		style = "open", required = false, description = "a model file to go on training (same " +
			"classes and input; its architecture, normalisation and optimiser state are kept)")
	File initial_model;

	@Parameter(label = "early_stopping", attrs = @Attr(name = GROUP, value = OPTIMISATION),
		min = "0", description = "stop when the validation loss has not improved for this many " +
			"epochs and keep the best epoch (0: off)")
	int early_stopping = 0;

	@Parameter(label = "lr_schedule", attrs = @Attr(name = GROUP, value = OPTIMISATION),
		description = "step: the learning rate times lr_factor every lr_every epochs; plateau: " +
			"times lr_factor when the validation loss has not improved for lr_every epochs; " +
			"cosine: down along half a cosine to the rate times lr_factor over lr_every epochs")
	LearningRateSchedule.Kind lr_schedule = LearningRateSchedule.Kind.NONE;

	@Parameter(label = "lr_every", attrs = @Attr(name = GROUP, value = OPTIMISATION), min = "1")
	int lr_every = 2;

	@Parameter(label = "lr_factor", attrs = @Attr(name = GROUP, value = OPTIMISATION))
	double lr_factor = 0.5;

	@Parameter(label = "on_failure", attrs = @Attr(name = GROUP, value = ADVANCED), description =
		"when the model learned nothing (accuracy at chance, a loss that never fell or exploded): " +
			"stop (the command fails after saving the model, a macro stops) or warn and go on")
	OnFailure on_failure = OnFailure.STOP;

	@Parameter(label = "save_tables", attrs = @Attr(name = GROUP, value = ADVANCED),
		style = "directory", required = false, description = "a folder: every table this command " +
			"makes is also written there as <title>.csv")
	File save_tables;
}
