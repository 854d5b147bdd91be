package io.deepclass.command;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.scijava.command.Command;
import org.scijava.log.LogService;
import org.scijava.plugin.Attr;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ij.ImagePlus;

import io.deepclass.core.DeepClassException;
import io.deepclass.core.cells.CellModel;
import io.deepclass.core.cells.PretrainedCells;
import io.deepclass.core.cells.ScratchCells;
import io.deepclass.core.data.DecodedImage;
import io.deepclass.core.data.ImageShape;
import io.deepclass.core.transfer.Backbone;
import io.deepclass.ij.bridge.DeepClassPlugIn;
import io.deepclass.ij.cells.CellCrops;
import io.deepclass.ij.cells.CellWindow;

/**
 * Plugins > DeepClass > Classify Cells Interactively: on the current image and its ROIs (ROI
 * Manager or overlay), label a few cells, see every cell classified, label where the model is
 * unsure. Computes every cell's input once (a pretrained backbone's features, or the patches for
 * a small network from scratch), then opens the panel (see {@code io.deepclass.ij.cells}).
 * Labels are kept in the ROIs (group and "DeepClass_class" property), the model saves as a
 * normal model file. Needs a display.
 * <p>
 * Macro (opens the panel): {@code run("Classify Cells Interactively", "model=[pretrained
 * features] backbone=file backbone_file=/models/resnet18.onnx input_size=96 patch_size=0
 * classes=[mitotic,interphase]");}; on a folder of cell crops instead of an image:
 * {@code crops_folder=/data/crops} ({@link CellCrops}).
 */
@Plugin(type = Command.class, label = "Classify Cells Interactively", attrs = @Attr(name =
	DeepClassPlugIn.MENU_KEY, value = "cells"))
public class ClassifyCellsCommand implements Command {

	@Parameter
	private LogService log;

	@Parameter(label = "image", required = false)
	private ImagePlus image;

	@Parameter(label = "crops_folder", style = "directory", required = false, description =
		"instead of an image: a folder of cell crops (sub-folders named by class for crops already " +
			"labelled), shown side by side")
	private File crops_folder;

	@Parameter(label = "model", description = "pretrained features: a backbone's features once, a linear head retrained in " +
			"a fraction of a second (the default); from scratch: a small CNN on the patches, slower")
	private Choices.CellModel model = Choices.CellModel.PRETRAINED_FEATURES;

	@Parameter(label = "backbone", description = "a network of the ONNX Model Zoo (downloaded " +
		"once), or file")
	private Choices.Backbone backbone = Choices.Backbone.RESNET18;

	@Parameter(label = "backbone_file", style = "open", required = false, description = "with " +
		"backbone=file: an ONNX classification network")
	private File backbone_file;

	@Parameter(label = "input_size", min = "0", description = "pretrained: the backbone's square " +
		"input in pixels (0: its own; 64-96 suits cells and is much faster on a CPU)")
	private int input_size = 96;

	@Parameter(label = "patch_size", min = "0", description = "square patch around each ROI in " +
		"pixels; 0 = the ROI's bounding box")
	private int patch_size = 0;

	@Parameter(label = "select_channels", required = false, description = "channels to use, e.g. " +
		"1,3 (empty: all; a pretrained backbone takes 1 or 3)")
	private String select_channels = "";

	@Parameter(label = "classes", description = "class names to start with, separated by commas " +
		"(more come from labelled ROIs)")
	private String classes = "class 1,class 2";

	@Parameter(label = "seed")
	private long seed = 42;

	@Override
	public void run() {
		if (CommandSupport.given(crops_folder)) image = crops();
		if (image == null) throw new DeepClassException("open an image with cell ROIs first, or " +
			"choose a crops_folder.");
		final int[] channels = DecodedImage.parseChannels(select_channels);
		final List<String> names = Arrays.stream(classes.split(",")).map(String::trim).filter(
			s -> !s.isEmpty()).distinct().toList();
		CellWindow.open(image, cellModel(channels), channels, patch_size, names, seed);
	}

	/** The crops of crops_folder side by side, shown, with a ROI each. */
	private ImagePlus crops() {
		try {
			final ImagePlus grid = CellCrops.open(crops_folder.toPath(), log::info);
			grid.show();
			return grid;
		}
		catch (final IOException e) {
			throw new DeepClassException("cannot read the crops in '" + crops_folder + "': " + e
				.getMessage(), e);
		}
	}

	private CellModel cellModel(final int[] channels) {
		if (model == Choices.CellModel.SMALL_NETWORK_FROM_SCRATCH) {
			final int imageChannels = image.getBitDepth() == 24 ? 3 : image.getNChannels();
			return new ScratchCells(new ImageShape(channels != null ? channels.length : imageChannels,
				32, 32));
		}
		final Path file = CommandSupport.backbone(backbone, backbone_file);
		try {
			return PretrainedCells.of(Backbone.load(file, null, input_size));
		}
		catch (final IOException e) {
			throw new DeepClassException("cannot read the backbone '" + file + "': " + e.getMessage(), e);
		}
	}
}
