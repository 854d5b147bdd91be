package io.deepclass.ij.cells;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import ij.ImagePlus;
import ij.gui.Roi;
import ij.measure.ResultsTable;

import io.deepclass.core.DeepClassException;
import io.deepclass.core.SafeNames;
import io.deepclass.core.bundle.ModelInfo;
import io.deepclass.core.data.Dataset;
import io.deepclass.core.data.ImportResult;
import io.deepclass.core.predict.Classifier;
import io.deepclass.core.predict.Predictions;
import io.deepclass.core.predict.ResultColumns;
import io.deepclass.ij.input.ImageInputs;
import io.deepclass.ij.input.ImageSamples;

/**
 * Classifies the cells of a folder of images with their ROI sets (see {@link CellImageFolder}),
 * an image at a time: one row per ROI in one table (the image's file name as source, the plane,
 * the ROI's number and name, class, confidence, a probability per class), and for each image its
 * ROI set written again into an output folder with each ROI's prediction (see
 * {@link CellLabels#writePrediction}). The input files are only read.
 */
public final class CellFolderClassification {

	/** The table's column with the ROI's name (after {@code roi}). */
	public static final String ROI_NAME = "roi_name";

	/** What was classified: the table, how many images and cells, whether Esc stopped it. */
	public record Outcome(ResultsTable results, int images, int cells, boolean cancelled) {}

	private CellFolderClassification() {}

	/**
	 * @param output the folder the classified ROI sets are written to (made when missing); not
	 *          {@code folder}, whose ROI sets are the user's
	 * @param patchSize the patch size the model was trained with (0: each ROI's bounding box)
	 * @param log hears a line per image
	 */
	public static Outcome classify(final Classifier classifier, final Path folder,
		final Path output, final int patchSize, final Consumer<String> log,
		final BooleanSupplier cancel)
	{
		checkOutput(folder, output);
		final CellImageFolder.Listing listing = CellImageFolder.list(folder);
		listing.notes().forEach(note -> log.accept("DeepClass: " + note));
		final List<CellImageFolder.Pair> pairs = listing.withRois();
		final List<Roi[]> sets = CellImageFolder.readRois(pairs);
		final ModelInfo info = classifier.model().info();
		final ResultsTable table = new ResultsTable();
		int cells = 0, images = 0;
		for (int p = 0; p < pairs.size(); p++) {
			if (cancel.getAsBoolean()) return new Outcome(table, images, cells, true);
			final CellImageFolder.Pair pair = pairs.get(p);
			final ImagePlus imp = CellImageFolder.open(pair);
			final Roi[] rois = sets.get(p);
			final Predictions predictions = classifier.classify(patches(imp, rois, info, patchSize));
			for (int i = 0; i < rois.length; i++) {
				final int c = predictions.predicted()[i];
				CellLabels.writePrediction(rois[i], c, info.classNames().get(c), predictions.confidence(
					i));
				addRow(table, info.classNames(), pair.name(), planeIndex(imp, rois[i]), i + 1, rois[i],
					predictions, i);
			}
			write(rois, output.resolve(CellImageFolder.base(pair.image()) + ".zip"));
			log.accept("DeepClass: " + pair.name() + ": " + rois.length + " cells classified");
			cells += rois.length;
			images++;
		}
		return new Outcome(table, images, cells, false);
	}

	private static Dataset patches(final ImagePlus imp, final Roi[] rois, final ModelInfo info,
		final int patchSize)
	{
		final ImportResult patches = ImageInputs.roiPatches(imp, rois, info.classNames(), patchSize,
			info.inputShape(), ImageSamples.Options.of(info));
		if (patches.dataset().size() != rois.length) throw new DeepClassException("only " +
			patches.dataset().size() + " of the " + rois.length + " ROIs of '" + imp.getTitle() +
			"' gave a patch (" + patches.report().skipped().stream().map(s -> SafeNames.oneLine(s
				.reason())).findFirst().orElse("") + ").");
		return patches.dataset();
	}

	/** The stack index of the plane a ROI's patch came from (1 for a single image). */
	private static int planeIndex(final ImagePlus imp, final Roi roi) {
		final int[] zt = ImageInputs.plane(imp, roi);
		return ImageSamples.isMultiDimensional(imp) ? imp.getStackIndex(1, zt[0], zt[1]) : zt[0];
	}

	private static void addRow(final ResultsTable table, final List<String> classNames,
		final String image, final int plane, final int number, final Roi roi,
		final Predictions predictions, final int i)
	{
		final List<String> columns = new ArrayList<>(ResultColumns.header(classNames, false));
		final List<Object> values = new ArrayList<>(ResultColumns.values(image, plane, number,
			predictions.predictedClass(i), predictions.confidence(i), predictions.probabilities()[i],
			false, null));
		columns.add(3, ROI_NAME);
		values.add(3, roi.getName() == null ? "" : roi.getName());
		table.addRow();
		for (int c = 0; c < columns.size(); c++)
			if (values.get(c) instanceof String text) table.addValue(columns.get(c), text);
			else table.addValue(columns.get(c), ((Number) values.get(c)).doubleValue());
	}

	private static void write(final Roi[] rois, final Path file) {
		try {
			RoiSets.write(rois, file);
		}
		catch (final IOException e) {
			throw new DeepClassException("cannot write the ROI set '" + file + "': " + e
				.getMessage() + "; choose a writable output_folder.", e);
		}
	}

	/** The output folder exists (or is made) and is not the input folder. */
	private static void checkOutput(final Path folder, final Path output) {
		if (output == null) throw new DeepClassException("input=[rois in folder] needs " +
			"output_folder=<a folder for the classified ROI sets> (the ROI sets in the input folder " +
			"are left as they are).");
		try {
			Files.createDirectories(output);
			if (folder != null && Files.isDirectory(folder) && Files.isSameFile(folder, output))
				throw new DeepClassException("output_folder is the input folder; choose " +
					"another, so that the ROI sets there stay as they are.");
		}
		catch (final IOException e) {
			throw new DeepClassException("cannot make the output folder '" + output +
				"': " + e.getMessage() + "; choose a writable output_folder.", e);
		}
	}
}
