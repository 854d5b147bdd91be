package io.deepclass.command;

import java.io.IOException;
import java.util.List;

import org.scijava.log.LogService;

import io.deepclass.command.Choices.Input;
import io.deepclass.command.Choices.Saliency;
import io.deepclass.core.DeepClassException;
import io.deepclass.core.bundle.ModelInfo;
import io.deepclass.core.data.ImageFiles;
import io.deepclass.core.data.ImageFiles.ImageFile;
import io.deepclass.core.predict.Classifier;
import io.deepclass.ij.display.BatchClassification;

/**
 * Classify Images on a folder or a list of files, streamed: the files classified as they are
 * decoded, in bounded memory, the CSV written a batch at a time (see {@link BatchClassification}
 * for what the table keeps). Reads the command's own parameters.
 */
final class ClassifyFileStream {

	private ClassifyFileStream() {}

	static BatchClassification.Outcome classify(final ClassifyImagesParameters p,
		final Classifier classifier, final LogService log)
	{
		if (p.saliency != Saliency.NONE)
			log.warn("DeepClass: saliency is drawn over images; a folder or list streamed to a CSV " +
				"has none. Open images as a stack (File > Import > Image Sequence) for it.");
		final List<ImageFile> files = listFiles(p, classifier.model().info(), log);
		if (files.isEmpty())
			throw new DeepClassException("'" + (p.input == Input.LIST ? p.list_file : p.folder) + "' " +
				"names no files to classify" + (p.input == Input.FOLDER && !p.recursive
					? "; tick recursive to take the images of its sub-folders at any depth." : "."));
		final boolean toCsv = CommandSupport.given(p.save_csv);
		if (toCsv) CommandSupport.checkWritable(p.save_csv, "CSV file");
		return BatchClassification.classify(classifier, files, p.resize, toCsv ? p.save_csv.toPath()
			: null, p.resume, log::info, log::warn);
	}

	private static List<ImageFile> listFiles(final ClassifyImagesParameters p, final ModelInfo info,
		final LogService log)
	{
		try {
			if (p.input == Input.LIST) {
				if (!CommandSupport.given(p.list_file))
					throw new DeepClassException("input=list needs list_file=<a text file with one image " +
						"path per line>.");
				final ImageFiles.Listing listing = ImageFiles.inList(p.list_file.toPath());
				if (listing.duplicates() > 0)
					log.warn("DeepClass: " + listing.duplicates() + " duplicate lines in " + p.list_file +
						" are classified once.");
				return listing.files();
			}
			if (!CommandSupport.given(p.folder))
				throw new DeepClassException("input=folder needs folder=<the folder of images to " +
					"classify>.");
			return ImageFiles.inFolder(p.folder.toPath(), p.recursive, info.classNames());
		}
		catch (final IOException e) {
			throw new DeepClassException("cannot list the images of '" + (p.input == Input.LIST
				? p.list_file : p.folder) + "': " + e.getMessage(), e);
		}
	}
}
