package io.deepclass.command;

import static io.deepclass.ij.bridge.DialogGroups.*;

import java.io.File;

import org.scijava.plugin.Attr;
import org.scijava.plugin.Parameter;

import ij.ImagePlus;

import io.deepclass.command.Choices.Channels;
import io.deepclass.command.Choices.RoiClass;
import io.deepclass.command.Choices.Source;
import io.deepclass.command.Choices.ZProjection;
import io.deepclass.core.data.LabelledImagesReader;

/**
 * Import Dataset's inputs, in the order of its dialog, its macro keys and the Macro Recorder's
 * line (SciJava lists a superclass's parameters first; {@link ImportDatasetCommand} adds only
 * its log and outputs).
 */
abstract class ImportDatasetParameters {

	@Parameter(label = "source")
	Source source = Source.FOLDER;

	@Parameter(label = "folder", attrs = @Attr(name = SHOWN_WHEN, value =
		"source=folder|rois in folder"),
		style = "directory", required = false)
	File folder;

	@Parameter(label = "idx_images", attrs = @Attr(name = SHOWN_WHEN, value = "source=idx"),
		style = "open", required = false)
	File idx_images;

	@Parameter(label = "idx_labels", attrs = @Attr(name = SHOWN_WHEN, value = "source=idx"),
		style = "open", required = false)
	File idx_labels;

	@Parameter(label = "idx_classes", attrs = @Attr(name = SHOWN_WHEN, value = "source=idx"),
		required = false, description = "class names for IDX labels 0, 1, ...: comma-separated, " +
			"'fashion-mnist', or empty for numbers")
	String idx_classes = "";

	@Parameter(label = "image", attrs = @Attr(name = SHOWN_WHEN, value = "source=stack|rois"),
		required = false)
	ImagePlus image;

	@Parameter(label = "class_pattern", attrs = @Attr(name = SHOWN_WHEN, value =
		"source=stack|rois|rois in folder"), description = "regular expression taking the class " +
			"from a slice label or ROI name (its first group)")
	String class_pattern = LabelledImagesReader.DEFAULT_PATTERN;

	@Parameter(label = "roi_class", attrs = @Attr(name = SHOWN_WHEN, value =
		"source=rois|rois in folder"))
	RoiClass roi_class = RoiClass.NAME;

	@Parameter(label = "patch_size", attrs = @Attr(name = SHOWN_WHEN, value =
		"source=rois|rois in folder"),
		min = "0", description = "square patch around each ROI; 0 = the ROI's bounding box")
	int patch_size = 64;

	@Parameter(label = "width", min = "0", description = "0 = size of the first image")
	int width = 0;

	@Parameter(label = "height", min = "0")
	int height = 0;

	@Parameter(label = "channels")
	Channels channels = Channels.KEEP;

	@Parameter(label = "select_channels", required = false, description = "which channels of " +
		"multi-channel images, in this order, e.g. 1,3 (empty: all)")
	String select_channels = "";

	@Parameter(label = "z_projection", description = "max: one " +
		"sample per time point of a hyperstack, its Z planes max-projected")
	ZProjection z_projection = ZProjection.NONE;

	@Parameter(label = "save_tables", style = "directory", required = false, description = "a " +
		"folder: every table this command makes is also written there as <title>.csv")
	File save_tables;
}
