package io.deepclass.command;

import static io.deepclass.ij.bridge.DialogGroups.*;

import java.io.File;
import java.io.IOException;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.log.LogService;
import org.scijava.plugin.Attr;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ij.ImagePlus;
import ij.measure.ResultsTable;

import io.deepclass.command.Choices.Channels;
import io.deepclass.command.Choices.RoiClass;
import io.deepclass.command.Choices.Source;
import io.deepclass.command.Choices.ZProjection;
import io.deepclass.core.DeepClassException;
import io.deepclass.core.data.IdxReader;
import io.deepclass.core.data.ImageShape;
import io.deepclass.core.data.ImportResult;
import io.deepclass.core.data.LabelledImagesReader;
import io.deepclass.ij.bridge.DeepClassPlugIn;
import io.deepclass.ij.display.ResultTables;
import io.deepclass.ij.input.DatasetStacks;
import io.deepclass.ij.input.IjImageDecoder;
import io.deepclass.ij.input.ImageInputs;
import io.deepclass.ij.input.ImageSamples;
import io.deepclass.ij.input.ReadingProgress;

/**
 * Plugins > DeepClass > Import Dataset: a labelled dataset from a folder (one sub-folder per
 * class), IDX files, the open stack (class from slice labels) or the ROIs on the open image
 * (class from ROI name or group). Output: a dataset stack (slice label "class/source") and an
 * import report table (images per class, skipped files and why).
 * <p>
 * Macro: {@code run("Import Dataset", "source=folder folder=/data/cells width=64 height=64
 * channels=gray");} or {@code run("Import Dataset", "source=idx idx_images=/data/train-images-idx3-ubyte.gz
 * idx_labels=/data/train-labels-idx1-ubyte.gz idx_classes=fashion-mnist");}
 */
@Plugin(type = Command.class, headless = true, label = "Import Dataset", attrs = {@Attr(name =
	DeepClassPlugIn.MENU_KEY, value = "import"), @Attr(name = DOCS, value = "preparing-data.md")})
public class ImportDatasetCommand implements Command {

	@Parameter
	private LogService log;

	@Parameter(label = "source")
	private Source source = Source.FOLDER;

	@Parameter(label = "folder", attrs = @Attr(name = SHOWN_WHEN, value = "source=folder"),
		style = "directory", required = false)
	private File folder;

	@Parameter(label = "idx_images", attrs = @Attr(name = SHOWN_WHEN, value = "source=idx"),
		style = "open", required = false)
	private File idx_images;

	@Parameter(label = "idx_labels", attrs = @Attr(name = SHOWN_WHEN, value = "source=idx"),
		style = "open", required = false)
	private File idx_labels;

	@Parameter(label = "idx_classes", attrs = @Attr(name = SHOWN_WHEN, value = "source=idx"),
		required = false, description = "class names for IDX " +
		"labels 0, 1, ...: comma-separated, 'fashion-mnist', or empty for numbers")
	private String idx_classes = "";

	@Parameter(label = "image", attrs = @Attr(name = SHOWN_WHEN,
		value = "source=stack|rois"),
		required = false)
	private ImagePlus image;

	@Parameter(label = "class_pattern", attrs = @Attr(name = SHOWN_WHEN,
		value = "source=stack|rois"),
		description = "regular expression taking the class from " +
		"a slice label or ROI name (its first group)")
	private String class_pattern = LabelledImagesReader.DEFAULT_PATTERN;

	@Parameter(label = "roi_class", attrs = @Attr(name = SHOWN_WHEN, value = "source=rois"))
	private RoiClass roi_class = RoiClass.NAME;

	@Parameter(label = "patch_size", attrs = @Attr(name = SHOWN_WHEN, value = "source=rois"),
		min = "0", description = "square patch around each ROI; 0 = " +
		"the ROI's bounding box")
	private int patch_size = 64;

	@Parameter(label = "width", min = "0", description = "0 = size of the first image")
	private int width = 0;

	@Parameter(label = "height", min = "0")
	private int height = 0;

	@Parameter(label = "channels")
	private Channels channels = Channels.KEEP;

	@Parameter(label = "select_channels", required = false, description = "which channels of " +
		"multi-channel images, in this order, e.g. 1,3 (empty: all)")
	private String select_channels = "";

	@Parameter(label = "z_projection", description = "max: one " +
		"sample per time point of a hyperstack, its Z planes max-projected")
	private ZProjection z_projection = ZProjection.NONE;

	@Parameter(label = "save_tables", style = "directory", required = false, description = "a " +
		"folder: every table this command makes is also written there as <title>.csv")
	private File save_tables;

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
		};
		final String name = switch (source) {
			case FOLDER -> folder.getName();
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
