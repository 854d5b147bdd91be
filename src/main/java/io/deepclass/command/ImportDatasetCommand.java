package io.deepclass.command;

import static io.deepclass.ij.bridge.DialogGroups.DOCS;

import java.io.IOException;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.log.LogService;
import org.scijava.plugin.Attr;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ij.ImagePlus;
import ij.measure.ResultsTable;

import io.deepclass.command.Choices.RoiClass;
import io.deepclass.core.DeepClassException;
import io.deepclass.core.data.IdxReader;
import io.deepclass.core.data.ImageShape;
import io.deepclass.core.data.ImportResult;
import io.deepclass.ij.bridge.DeepClassPlugIn;
import io.deepclass.ij.cells.LabelledCells;
import io.deepclass.ij.display.ResultTables;
import io.deepclass.ij.input.DatasetStacks;
import io.deepclass.ij.input.ImageInputs;
import io.deepclass.ij.input.ImageSamples;

/**
 * Plugins > DeepClass > Import Dataset: a labelled dataset from a folder (one sub-folder per
 * class), IDX files, the open stack (class from slice labels) or the ROIs on the open image
 * (class from ROI name or group), or the labelled ROIs of a folder's images with their ROI sets
 * ({@code source=[rois in folder]}, see {@link LabelledCells}). Output: a dataset stack (slice label "class/source") and an
 * import report table (images per class, skipped files and why).
 * <p>
 * Macro: {@code run("Import Dataset", "source=folder folder=/data/cells width=64 height=64
 * channels=gray");} or {@code run("Import Dataset", "source=idx idx_images=/data/train-images-idx3-ubyte.gz
 * idx_labels=/data/train-labels-idx1-ubyte.gz idx_classes=fashion-mnist");}
 */
@Plugin(type = Command.class, headless = true, label = "Import Dataset", attrs = {@Attr(name =
	DeepClassPlugIn.MENU_KEY, value = "import"), @Attr(name = DOCS, value = "preparing-data.md")})
public class ImportDatasetCommand extends ImportDatasetParameters implements Command {

	@Parameter
	private LogService log;

	@Parameter(type = ItemIO.OUTPUT, label = "dataset")
	private ImagePlus dataset;

	@Parameter(type = ItemIO.OUTPUT, label = ResultTables.IMPORT_REPORT)
	private ResultsTable report;

	@Override
	public void run() {
		final ImageShape target = CommandSupport.targetShape(width, height, channels);
		final ImageSamples.Options options = ImageSamples.Options.parse(select_channels,
			z_projection.toString());
		final ImportResult result = switch (source) {
			case FOLDER -> fromFolder(target, options);
			case IDX -> fromIdx(target);
			case STACK -> DatasetStacks.toDataset(requireImage(), class_pattern, target, options);
			case ROIS -> ImageInputs.labelledRois(requireImage(), roi_class == RoiClass.GROUP,
				class_pattern, patch_size, target, options);
			case ROIS_IN_FOLDER -> LabelledCells.read(CommandSupport.given(folder) ? folder.toPath()
				: null, roi_class == RoiClass.NAME, class_pattern, patch_size, target, options);
		};
		final String name = switch (source) {
			case FOLDER, ROIS_IN_FOLDER -> folder.getName();
			case IDX -> idx_images.getName();
			case STACK, ROIS -> image.getTitle();
		};
		dataset = DatasetStacks.toImagePlus(result.dataset(), "DeepClass dataset " + name);
		DatasetStacks.setSelection(dataset, options);
		report = ResultTables.importReport(result.report());
		for (final String warning : result.report().warnings())
			log.warn("Import Dataset: " + warning);
	}

	private ImportResult fromFolder(final ImageShape target, final ImageSamples.Options options) {
		if (!CommandSupport.given(folder))
			throw new DeepClassException("source=folder needs folder=<a folder with one sub-folder " +
				"per class>.");
		return ImageInputs.labelledFolder(folder.toPath(), target, options);
	}

	private ImportResult fromIdx(final ImageShape target) {
		if (!CommandSupport.given(idx_images) || !CommandSupport.given(idx_labels))
			throw new DeepClassException("source=idx needs idx_images=<...-images-idx3-ubyte[.gz]> " +
				"and idx_labels=<...-labels-idx1-ubyte[.gz]>.");
		if (target != null)
			throw new DeepClassException("IDX images are imported at their own size; leave width " +
				"and height at 0.");
		try {
			return IdxReader.imported(idx_images.toPath(), idx_labels.toPath(), IdxReader.classNames(
				idx_classes));
		}
		catch (final IOException e) {
			throw new DeepClassException("cannot read the IDX files: " + e.getMessage(), e);
		}
	}

	private ImagePlus requireImage() {
		if (image == null)
			throw new DeepClassException("source=" + source + " needs an open image; open one first.");
		return image;
	}

	public ImagePlus dataset() {
		return dataset;
	}

	public ResultsTable report() {
		return report;
	}
}
