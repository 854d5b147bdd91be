package io.deepclass.command;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

import org.scijava.command.Command;
import org.scijava.log.LogService;
import org.scijava.plugin.Attr;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ij.ImagePlus;

import io.deepclass.command.Choices.Format;
import io.deepclass.core.DeepClassException;
import io.deepclass.core.bundle.ModelBundle;
import io.deepclass.core.data.Dataset;
import io.deepclass.core.export.BioImageIoPackage;
import io.deepclass.core.export.OnnxExporter;
import io.deepclass.core.predict.Classifier;
import io.deepclass.core.predict.EvaluationReport;
import io.deepclass.core.predict.Predictions;
import io.deepclass.ij.bridge.DeepClassPlugIn;
import io.deepclass.ij.display.EvaluationImages;
import io.deepclass.ij.input.ImageSamples;

/**
 * Plugins > DeepClass > Export Model: a DeepClass model as an ONNX file (ONNX Runtime, OpenCV,
 * the browser; opset 13, output the class probabilities) or as a bioimage.io model package
 * (deepImageJ, ilastik, QuPath, BiaPy, bioimageio.core), which also needs labelled test images
 * for its test tensors, documentation and cover.
 * <p>
 * Macro: {@code run("Export Model", "model_file=/data/model.zip format=bioimage.io
 * output=/data/cells.zip folder=/data/test");}
 */
@Plugin(type = Command.class, headless = true, label = "Export Model", attrs = @Attr(name =
	DeepClassPlugIn.MENU_KEY, value = "export"))
public class ExportModelCommand implements Command {

	@Parameter
	private LogService log;

	@Parameter(label = "model_file", style = "open")
	private File model_file;

	@Parameter(label = "format", description = "onnx: one " +
		".onnx file; bioimage.io: a model package (.zip) with the ONNX weights, test tensors, " +
		"documentation and cover")
	private Format format = Format.ONNX;

	@Parameter(label = "output", style = "save", description = "the file to write (.onnx or " +
		".zip); an existing file is replaced")
	private File output;

	@Parameter(label = "dataset", required = false, description = "bioimage.io: a labelled " +
		"dataset stack of test images")
	private ImagePlus dataset;

	@Parameter(label = "folder", style = "directory", required = false, description = "bioimage.io: " +
		"labelled test images, one sub-folder per class")
	private File folder;

	@Parameter(label = "name", required = false, description = "bioimage.io: the model's name " +
		"(letters, digits, spaces, _+-())")
	private String name = "";

	@Parameter(label = "description", required = false)
	private String description = "";

	@Parameter(label = "authors", required = false, description = "bioimage.io: names, comma " +
		"separated")
	private String authors = "";

	@Parameter(label = "license", required = false, description = "bioimage.io: an SPDX id " +
		"(CC-BY-4.0, MIT, ...)")
	private String license = "CC-BY-4.0";

	@Override
	public void run() {
		final ModelBundle model = CommandSupport.loadModel(model_file);
		CommandSupport.checkWritable(output, "output file (output=...)");
		final Path target = output.toPath();
		try {
			if (format == Format.ONNX) {
				OnnxExporter.write(model, target);
				log.info("DeepClass: wrote " + target + " (ONNX opset " + OnnxExporter.OPSET + "; input '" +
					OnnxExporter.INPUT + "' N x " + model.info().inputShape() + ", output '" +
					OnnxExporter.OUTPUT + "'; before it: " + OnnxExporter.preprocessing(model.info()) + ")");
			}
			else bioImageIo(model, target);
		}
		catch (final IOException e) {
			throw new DeepClassException("cannot write '" + target + "': " + e.getMessage() + ". Check " +
				"the free space and choose another folder if needed.", e);
		}
	}

	/** A bioimage.io package, its test tensors, documentation and cover from labelled images. */
	private void bioImageIo(final ModelBundle model, final Path target) throws IOException {
		if (!CommandSupport.given(folder) && dataset == null)
			throw new DeepClassException("a bioimage.io package needs labelled test images for its " +
				"test tensors and documentation: set folder to a folder with one sub-folder per class " +
				"(or open a dataset stack and set dataset).");
		final Dataset images = CommandSupport.labelled(dataset, folder, "", model.info().inputShape(),
			ImageSamples.Options.of(model.info()), "Export Model", log).dataset();
		final Predictions predictions = new Classifier(model).classify(images);
		final EvaluationReport report = EvaluationReport.of(images, predictions);
		final byte[] cover = EvaluationImages.png(EvaluationImages.sideBySide(EvaluationImages
			.confusionHeatMap(report), EvaluationImages.predictionMontage(images, predictions, 12)));
		BioImageIoPackage.write(model, images, predictions, cover, new BioImageIoPackage.Details(name,
			description, authors == null || authors.isBlank() ? null : Arrays.stream(authors.split(
				",")).map(String::trim).filter(s -> !s.isEmpty()).toList(), license), target);
		log.info(String.format(Locale.ROOT, "DeepClass: wrote the bioimage.io package " +
			"%s (model description %s; %d test images, accuracy %.1f%%)", target,
			BioImageIoPackage.FORMAT_VERSION, images.size(), 100 * report.accuracy()));
	}
}
