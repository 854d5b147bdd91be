package io.deepclass.core.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a folder that holds one sub-folder per class (class name = sub-folder name), every
 * image in a sub-folder being an example of that class. Images are converted to one target
 * shape; files that cannot be decoded are skipped and listed in the {@link ImportReport}, never
 * touched. Sub-folders and files are taken in name order so that imports are reproducible.
 */
public final class FolderReader {

	private final ImageDecoder decoder;

	private final ImageShape target;

	/**
	 * @param target the shape every image is converted to, or null to take the first image's
	 *          size and channels
	 */
	public FolderReader(final ImageDecoder decoder, final ImageShape target) {
		this.decoder = decoder;
		this.target = target;
	}

	public ImportResult read(final Path folder) throws IOException {
		return read(folder, true);
	}

	/** As {@link #read(Path)}; see {@link #readUnlabelled} for {@code convert}. */
	public ImportResult read(final Path folder, final boolean convert) throws IOException {
		if (!Files.isDirectory(folder))
			throw new DatasetException("'" + folder + "' is not a folder. Choose a folder that holds " +
				"one sub-folder per class.");
		final List<Path> classFolders = list(folder, true);
		if (classFolders.isEmpty())
			throw new DatasetException("'" + folder + "' has no sub-folders. Put the images of each " +
				"class in a sub-folder named after the class (e.g. " + folder.resolve("mitotic") +
				").");
		final List<String> classNames = new ArrayList<>();
		final List<List<Path>> files = new ArrayList<>();
		for (final Path classFolder : classFolders) {
			classNames.add(classFolder.getFileName().toString());
			files.add(list(classFolder, false));
		}

		final LabelledImageCollector collector = new LabelledImageCollector(classNames, target)
			.convert(convert);
		for (int c = 0; c < classFolders.size(); c++) {
			for (final Path file : files.get(c))
				addOrSkip(collector, file, c);
		}
		return collector.finish("folder '" + folder + "'");
	}

	/**
	 * Reads the images directly in {@code folder} (not in sub-folders) as images of unknown
	 * class, for classification.
	 *
	 * @param classNames the model's classes
	 * @param convert whether images of another size or channel count are converted to the
	 *          target shape, or refused with a message
	 */
	public ImportResult readUnlabelled(final Path folder, final List<String> classNames,
		final boolean convert) throws IOException
	{
		if (!Files.isDirectory(folder))
			throw new DatasetException("'" + folder + "' is not a folder. Choose the folder that " +
				"holds the images to classify.");
		final LabelledImageCollector collector = new LabelledImageCollector(classNames, target)
			.convert(convert);
		for (final Path file : list(folder, false))
			addOrSkip(collector, file, -1);
		return collector.finishUnlabelled("folder '" + folder + "'");
	}

	/** Whether {@code folder} holds sub-folders (class folders) rather than images only. */
	public static boolean hasClassFolders(final Path folder) throws IOException {
		return Files.isDirectory(folder) && !list(folder, true).isEmpty();
	}

	/** Decodes {@code file} into the collector, or lists it as skipped with the reason. */
	private void addOrSkip(final LabelledImageCollector collector, final Path file,
		final int label)
	{
		final DecodedImage image;
		try {
			image = decoder.decode(file);
		}
		catch (final IOException | RuntimeException e) {
			collector.skip(file.toString(), reason(e));
			return;
		}
		collector.add(image, label, file.toString());
	}

	private static String reason(final Exception e) {
		final String message = e.getMessage();
		return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
	}

	/** Sub-folders ({@code dirs}) or regular files of {@code folder}, not hidden, in name order. */
	private static List<Path> list(final Path folder, final boolean dirs) throws IOException {
		final List<Path> result = new ArrayList<>();
		try (DirectoryStream<Path> stream = Files.newDirectoryStream(folder)) {
			for (final Path path : stream) {
				final String name = path.getFileName().toString();
				if (name.startsWith(".")) continue;
				if (dirs ? Files.isDirectory(path) : Files.isRegularFile(path)) result.add(path);
			}
		}
		catch (final UncheckedIOException e) {
			throw e.getCause();
		}
		result.sort(null);
		return result;
	}
}
