package io.deepclass.command;

import static io.deepclass.ij.bridge.DialogGroups.*;

import java.io.File;

import org.scijava.plugin.Attr;
import org.scijava.plugin.Parameter;

import ij.ImagePlus;

import io.deepclass.command.Choices.Input;
import io.deepclass.command.Choices.Saliency;

/**
 * Classify Images' inputs, in the order of its dialog, its macro keys and the Macro Recorder's
 * line (SciJava lists a superclass's parameters first; {@link ClassifyImagesCommand} adds only
 * its log and outputs).
 */
abstract class ClassifyImagesParameters {

	@Parameter(label = "model_file", style = "open")
	File model_file;

	@Parameter(label = "input")
	Input input = Input.STACK;

	@Parameter(label = "image", attrs = @Attr(name = SHOWN_WHEN, value = "input=slice|stack|rois"),
		required = false)
	ImagePlus image;

	@Parameter(label = "folder", attrs = @Attr(name = SHOWN_WHEN, value =
		"input=folder|rois in folder"),
		style = "directory", required = false)
	File folder;

	@Parameter(label = "recursive", attrs = @Attr(name = SHOWN_WHEN, value = "input=folder"),
		description = "input=folder: every image below the folder, at any depth")
	boolean recursive = false;

	@Parameter(label = "list_file", attrs = @Attr(name = SHOWN_WHEN, value = "input=list"),
		style = "open", required = false, description = "input=list: a text file with one image " +
			"path per line")
	File list_file;

	@Parameter(label = "resize", description = "resize and convert images that do not match the " +
		"model's input (ROI patches always are)")
	boolean resize = false;

	@Parameter(label = "patch_size", attrs = @Attr(name = SHOWN_WHEN, value =
		"input=rois|rois in folder"),
		min = "0", description = "square patch around each ROI; 0 = the ROI's bounding box")
	int patch_size = 0;

	@Parameter(label = "overlay")
	boolean overlay = true;

	@Parameter(label = "saliency", description = "where the network looks, as a heat map over " +
		"each slice or ROI (overlay)")
	Saliency saliency = Saliency.NONE;

	@Parameter(label = "output_folder", attrs = @Attr(name = SHOWN_WHEN, value =
		"input=rois in folder"), style = "directory", required = false, description =
			"input=[rois in folder]: where each image's ROI set is written with the predicted " +
				"classes (not the input folder)")
	File output_folder;

	@Parameter(label = "save_csv", style = "save", required = false)
	File save_csv;

	@Parameter(label = "resume", description = "with save_csv: keep the rows already in the CSV " +
		"(an interrupted run) and classify only the other files")
	boolean resume = false;

	@Parameter(label = "save_tables", style = "directory", required = false, description = "a " +
		"folder: every table this command makes is also written there as <title>.csv")
	File save_tables;
}
