package io.deepclass.command;

import static io.deepclass.ij.bridge.DialogGroups.*;

import java.io.File;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.log.LogService;
import org.scijava.plugin.Attr;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ij.IJ;
import ij.ImagePlus;
import ij.measure.ResultsTable;

import io.deepclass.command.Choices.Input;
import io.deepclass.command.Choices.Saliency;
import io.deepclass.core.DeepClassException;
import io.deepclass.core.SafeNames;
import io.deepclass.core.bundle.ModelBundle;
import io.deepclass.core.bundle.ModelInfo;
import io.deepclass.core.data.Dataset;
import io.deepclass.core.predict.Classifier;
import io.deepclass.core.predict.EvaluationReport;
import io.deepclass.core.predict.Predictions;
import io.deepclass.ij.bridge.DeepClassPlugIn;
import io.deepclass.ij.display.BatchClassification;
import io.deepclass.ij.display.ClassOverlays;
import io.deepclass.ij.display.FilterImages;
import io.deepclass.ij.display.ResultTables;
import io.deepclass.ij.input.ImageInputs;
import io.deepclass.ij.input.ImageSamples;

/**
 * Plugins > DeepClass > Classify Images: applies a model to the current slice, all slices of
 * the open stack, the images of a folder, or the ROIs on the open image. Output: the table
 * "DeepClass Results" (source, slice, ROI, class, confidence, one probability per class, and the
 * true class where known), an overlay on the image (ROI outlines coloured by class and named, or
 * class and confidence written on each slice), a colour legend, and, when the truth is known
 * (a DeepClass dataset stack, or a folder with class sub-folders), the confusion matrix.
 * <p>
 * A folder with {@code save_csv} or {@code recursive}, and a list of files ({@code input=list
 * list_file=...}, one path per line), are streamed: files are decoded while the network
 * classifies, the CSV is written and flushed a batch at a time, memory stays bounded however
 * many files there are, Esc stops after the current batch, and {@code resume} continues an
 * interrupted run's CSV. Unreadable, vanished or changed files are skipped and listed in the Log.
 * <p>
 * {@code input=[rois in folder]}: every image of a folder with its ROI set ({@code cells1.tif}
 * with {@code cells1.zip}), one row per ROI, and each ROI set written to {@code output_folder}
 * with the predicted classes (see {@link CellsInFolder}).
 * <p>
 * Macro (headless batch): {@code run("Classify Images", "model_file=/data/model.zip
 * input=folder folder=/data/new resize save_csv=/data/results.csv");}, or for a list, resuming
 * an interrupted run: {@code run("Classify Images", "model_file=/data/model.zip input=list
 * list_file=/data/todo.txt resize save_csv=/data/results.csv resume");}
 */
@Plugin(type = Command.class, headless = true, label = "Classify Images", attrs = {@Attr(name =
	DeepClassPlugIn.MENU_KEY, value = "classify"), @Attr(name = DOCS, value = "classifying.md")})
public class ClassifyImagesCommand extends ClassifyImagesParameters implements Command {

	@Parameter
	private LogService log;

	@Parameter(type = ItemIO.OUTPUT, label = ResultTables.RESULTS)
	private ResultsTable results;

	@Parameter(type = ItemIO.OUTPUT, label = ResultTables.CONFUSION)
	private ResultsTable confusion;

	@Parameter(type = ItemIO.OUTPUT, label = "legend")
	private ImagePlus legend;

	@Override
	public void run() {
		final ModelBundle model = CommandSupport.loadModel(model_file);
		final Classifier classifier = new Classifier(model);
		// a pretrained backbone takes every image resized to its input
		if (model.info().input().resizes()) resize = true;
		if (resume && !CommandSupport.given(save_csv))
			throw new DeepClassException("resume continues a results CSV: give save_csv=<the CSV of " +
				"the interrupted run>.");
		if (input == Input.ROIS_IN_FOLDER) {
			results = CellsInFolder.classify(classifier, folder, output_folder, patch_size, save_csv,
				log);
			return;
		}
		if (input == Input.LIST || input == Input.FOLDER && (recursive || CommandSupport.given(
			save_csv)))
		{
			final BatchClassification.Outcome out = ClassifyFileStream.classify(this, classifier, log);
			results = out.results();
			confusion = out.confusion();
			return;
		}
		classifyOpen(model, classifier);
	}

	/** The open image's slices or ROIs, or a folder read whole; the CSV written after. */
	private void classifyOpen(final ModelBundle model, final Classifier classifier) {
		final ImageInputs.ForModel items = items(model.info());
		for (final var skipped : items.result().report().skipped())
			log.warn("DeepClass: skipped " + SafeNames.oneLine(skipped.source()) +
				": " + SafeNames.oneLine(skipped.reason()));
		final Dataset data = items.result().dataset();
		final Predictions predictions = classifier.classify(data, IJ::escapePressed, done -> IJ
			.showProgress(done, data.size()));
		show(model, items, predictions);
		if (CommandSupport.given(save_csv)) CommandSupport.saveCsv(results, save_csv, log);
		if (predictions.size() < data.size())
			log.warn("DeepClass: stopped after " + predictions.size() + " of " + data.size() +
				" images (Esc).");
	}

	private ImageInputs.ForModel items(final ModelInfo info) {
		if (input == Input.FOLDER) {
			if (!CommandSupport.given(folder))
				throw new DeepClassException("input=folder needs folder=<the folder of images to " +
					"classify>.");
			return new ImageInputs.ForModel(ImageInputs.folder(folder.toPath(), info.classNames(), info
				.inputShape(), ImageSamples.Options.of(info), resize), null, null);
		}
		return input == Input.ROIS ? ImageInputs.roisForModel(requireImage(), info, patch_size)
			: ImageInputs.slicesForModel(requireImage(), input == Input.STACK, info, resize);
	}

	/** The results and confusion tables; the overlay, legend and saliency on the image. */
	private void show(final ModelBundle model, final ImageInputs.ForModel items,
		final Predictions predictions)
	{
		final Dataset data = items.result().dataset();
		final boolean known = data.size() > 0 && data.label(0) >= 0;
		results = ResultTables.predictions(predictions, items.slices(), items.roiNumbers(), known
			? data : null);
		if (known) confusion = ResultTables.confusion(EvaluationReport.of(data.head(predictions
			.size()), predictions));
		if (overlay && image != null && input != Input.FOLDER) {
			if (items.rois() != null) ClassOverlays.forRois(image, items.rois(), predictions);
			else ClassOverlays.forSlices(image, items.slices(), predictions);
			legend = ClassOverlays.legend(model.info().classNames());
			if (saliency != Saliency.NONE) FilterImages.saliencyOverlay(model, data, predictions, image,
				items.rois(), items.slices(), patch_size, saliency == Saliency.OCCLUSION);
		}
		else if (saliency != Saliency.NONE)
			log.warn("DeepClass: saliency is drawn over images; for a folder, open it as a stack " +
				"(File > Import > Image Sequence) and classify the stack.");
	}

	private ImagePlus requireImage() {
		if (image == null)
			throw new DeepClassException("input=" + input + " needs an open image; open one first, " +
				"or use input=folder.");
		return image;
	}

	public ResultsTable results() {
		return results;
	}
}
