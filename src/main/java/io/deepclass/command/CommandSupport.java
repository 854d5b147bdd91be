package io.deepclass.command;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

import org.scijava.log.LogService;

import ij.IJ;
import ij.ImagePlus;
import ij.measure.ResultsTable;

import io.deepclass.command.Choices.Backbone;
import io.deepclass.command.Choices.Channels;
import io.deepclass.core.DeepClassException;
import io.deepclass.core.SafeNames;
import io.deepclass.core.bundle.ModelBundle;
import io.deepclass.core.bundle.ModelFiles;
import io.deepclass.core.data.ImageShape;
import io.deepclass.core.data.ImportReport;
import io.deepclass.core.data.ImportResult;
import io.deepclass.core.data.LabelledImagesReader;
import io.deepclass.core.transfer.Backbones;
import io.deepclass.ij.display.Tables;
import io.deepclass.ij.input.DatasetStacks;
import io.deepclass.ij.input.IjImageDecoder;
import io.deepclass.ij.input.ImageInputs;
import io.deepclass.ij.input.ImageSamples;
import io.deepclass.ij.input.ReadingProgress;

/** Input checks and loading shared by the commands, with messages that say what to do. */
final class CommandSupport {

	private CommandSupport() {}

	static ModelBundle loadModel(final File file) {
		if (file == null || file.getPath().isBlank())
			throw new DeepClassException("no model file given: set model_file to a model saved by " +
				"Train Classifier.");
		try {
			return ModelFiles.load(file.toPath());
		}
		catch (final NoSuchFileException e) {
			throw new DeepClassException("the model file '" + file + "' does not exist. Check the " +
				"path, or train a model first with Train Classifier.", e);
		}
		catch (final IOException e) {
			throw new DeepClassException("the model file '" + file + "' cannot be read (" + e
				.getMessage() + ").", e);
		}
	}

	/** A target shape from width/height (0 = keep) and channels. */
	static ImageShape targetShape(final int width, final int height, final Channels channels) {
		if (width < 0 || height < 0)
			throw new DeepClassException("width and height must be positive (or 0 to keep the " +
				"images' size), not " + width + "x" + height + ".");
		if (width == 0 && height == 0) {
			if (channels != Channels.KEEP)
				throw new DeepClassException("to convert channels, also set width and height (the " +
					"size all images are resized to).");
			return null;
		}
		if (width == 0 || height == 0)
			throw new DeepClassException("set both width and height, or neither.");
		return switch (channels) {
			case RGB -> new ImageShape(3, height, width);
			case GRAY -> new ImageShape(1, height, width);
			case KEEP -> ImageShape.sizeOnly(height, width);
		};
	}

	static boolean given(final File file) {
		return file != null && !file.getPath().isBlank();
	}

	/**
	 * A labelled dataset from a folder (one sub-folder per class) when one is given, otherwise
	 * from a labelled stack; what the import skipped (unreadable files) and warned about goes to
	 * the Log under {@code command}'s name, so that no image is left out unsaid.
	 */
	static ImportResult labelled(final ImagePlus image, final File folder, final String pattern,
		final ImageShape target, final ImageSamples.Options options, final String command,
		final LogService log)
	{
		final ImportResult imported;
		if (given(folder)) imported = ImageInputs.labelledFolder(folder.toPath(), target, options);
		else if (image == null)
			throw new DeepClassException("no dataset: open a dataset stack (Import Dataset makes one) " +
				"or set folder to a folder with one sub-folder per class.");
		else imported = DatasetStacks.toDataset(image, pattern == null || pattern.isBlank()
			? LabelledImagesReader.DEFAULT_PATTERN : pattern, target, DatasetStacks.optionsFor(image,
				options));
		final List<ImportReport.Skipped> skipped = imported.report().skipped();
		for (int i = 0; i < Math.min(MAX_SKIPPED_LOGGED, skipped.size()); i++)
			log.warn(command + ": skipped " + SafeNames.oneLine(skipped.get(i).source()) + ": " + SafeNames
				.oneLine(skipped.get(i).reason()));
		if (skipped.size() > MAX_SKIPPED_LOGGED) log.warn(command + ": skipped " + (skipped.size() -
			MAX_SKIPPED_LOGGED) + " more files (Import Dataset's report table shows them); used " +
			imported.report().imported() + " images.");
		for (final String warning : imported.report().warnings())
			log.warn(command + ": " + warning);
		return imported;
	}

	/** How many skipped files {@link #labelled} names one by one in the Log. */
	static final int MAX_SKIPPED_LOGGED = 5;

	static void checkWritable(final File file, final String what) {
		if (file == null || file.getPath().isBlank())
			throw new DeepClassException("no " + what + " given.");
		if (file.exists() && !file.isFile()) // a pipe or device would block or swallow the output
			throw new DeepClassException("the " + what + " '" + file + "' is not a regular file (" + (file
				.isDirectory() ? "a folder" : "a device, pipe or socket") + "); choose a file name.");
		final File dir = file.getAbsoluteFile().getParentFile();
		if (dir != null && !dir.exists() && !dir.mkdirs())
			throw new DeepClassException("cannot create the folder '" + dir + "' for the " + what + ".");
		if (dir != null && !Files.isWritable(dir.toPath()))
			throw new DeepClassException("cannot write the " + what + " into '" + dir +
				"' (no permission); choose another folder.");
	}

	/** Writes a command's results table to {@code save_csv}; the Log says where. */
	static void saveCsv(final ResultsTable results, final File file, final LogService log) {
		checkWritable(file, "CSV file");
		try {
			Tables.writeCsv(results, file.toPath());
		}
		catch (final IOException e) {
			throw new DeepClassException("could not write the results to '" + file + "': " + e
				.getMessage() + ". Choose a writable save_csv.", e);
		}
		log.info("DeepClass: results saved to " + file);
	}

	/**
	 * The backbone's file: {@code file} for {@link Backbone#FILE}, else the named one, downloaded
	 * into the cache on first use, with progress; Esc stops.
	 */
	static Path backbone(final Backbone backbone, final File file) {
		if (backbone == Backbone.FILE) {
			if (!given(file))
				throw new DeepClassException("backbone=file needs backbone_file=<an .onnx network>, or " +
					"choose a named backbone (e.g. backbone=resnet18); the user guide (docs/training.md) " +
					"shows how to export one from torchvision.");
			return file.toPath();
		}
		final String name = backbone.toString();
		final var source = Backbones.ZOO_BACKBONES.get(name);
		IJ.resetEscape();
		try {
			return Backbones.file(name, done -> {
				IJ.showProgress((double) done / source.size());
				IJ.showStatus("DeepClass: downloading " + name + ", " + done / 1_000_000 + " of " + source
					.size() / 1_000_000 + " MB (Esc stops)");
			}, IJ::escapePressed);
		}
		catch (final IOException e) {
			throw new DeepClassException("cannot download the backbone " + name + ": " + e.getMessage() +
				". Use a local .onnx file (backbone=file backbone_file=...).", e);
		}
		finally {
			IJ.showProgress(1.0);
		}
	}
}
