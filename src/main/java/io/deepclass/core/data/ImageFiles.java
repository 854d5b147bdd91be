package io.deepclass.core.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import io.deepclass.core.DeepClassException;
import io.deepclass.core.TextRecords;

/**
 * The files a batch classification goes through, in a reproducible order, without opening any
 * of them: the images of a folder (as {@link FolderReader} takes them, or every file below it)
 * or the paths listed in a text file. Only paths are held, so a list of 100 000 files costs a
 * few megabytes however large the images are.
 */
public final class ImageFiles {

	/** A file to classify and its true class, or null when unknown. */
	public record ImageFile(Path path, String trueClass) {

		/** How the file is named in results: its path as listed. */
		public String source() {
			return path.toString();
		}
	}

	/** The files of a list, and how many duplicate lines were dropped. */
	public record Listing(List<ImageFile> files, int duplicates) {}

	/**
	 * Why a listed path that is not a regular file after following links (a device such as
	 * /dev/zero, a named pipe, a socket) is skipped: reading it could block or never end.
	 */
	public static final String NOT_REGULAR = "not a regular file (a device, pipe or socket, or a " +
		"link to one), so it is not read; list or keep only image files";

	private ImageFiles() {}

	/**
	 * The files directly in {@code folder}, or, when it holds sub-folders, the files of each
	 * sub-folder with the sub-folder's name as their true class (the layout {@link FolderReader}
	 * reads); with {@code recursive}, every file below {@code folder} at any depth, in path order,
	 * whose true class is its first-level sub-folder's name when every first-level sub-folder is
	 * named after one of {@code classNames}. Hidden files and folders are left out.
	 */
	public static List<ImageFile> inFolder(final Path folder, final boolean recursive,
		final List<String> classNames) throws IOException
	{
		if (!Files.isDirectory(folder))
			throw new DatasetException("'" + folder + "' is not a folder. Choose the folder that " +
				"holds the images to classify.");
		final List<Path> classFolders = list(folder, true);
		final List<ImageFile> files = new ArrayList<>();
		if (!recursive) {
			if (classFolders.isEmpty()) for (final Path file : list(folder, false))
				files.add(new ImageFile(file, null));
			else for (final Path classFolder : classFolders)
				for (final Path file : list(classFolder, false))
					files.add(new ImageFile(file, classFolder.getFileName().toString()));
			return files;
		}
		final boolean classLayout = !classFolders.isEmpty() && classFolders.stream().allMatch(
			f -> classNames.contains(f.getFileName().toString()));
		for (final Path file : walk(folder)) {
			final Path relative = folder.relativize(file);
			files.add(new ImageFile(file, classLayout && relative.getNameCount() > 1 ? relative
				.getName(0).toString() : null));
		}
		return files;
	}

	/**
	 * The files directly in {@code folder} (true class unknown) and those of each of its
	 * sub-folders (true class: the sub-folder's name), in name order: a set of images partly
	 * sorted into class folders. Hidden files and folders are left out.
	 */
	public static List<ImageFile> inFolderAndClassFolders(final Path folder) throws IOException {
		if (!Files.isDirectory(folder)) throw new DatasetException("'" + folder + "' is not a " +
			"folder. Choose the folder that holds the images.");
		final List<ImageFile> files = new ArrayList<>();
		for (final Path file : list(folder, false))
			files.add(new ImageFile(file, null));
		for (final Path classFolder : list(folder, true))
			for (final Path file : list(classFolder, false))
				files.add(new ImageFile(file, classFolder.getFileName().toString()));
		return files;
	}

	/**
	 * The longest line of a list file, in bytes: a path has at most 4 096 bytes on Linux and
	 * 32 767 characters on Windows, so 64 KiB is more than any path and refuses a file of one
	 * endless line at once.
	 */
	static final int MAX_LIST_LINE_BYTES = 64 << 10;

	/**
	 * The paths listed in {@code listFile} (UTF-8, one a line; blank lines and lines starting
	 * with # are ignored; relative paths are taken from the list file's folder), in list order,
	 * each once. Nothing listed is opened here; the decoder reads only regular files (after
	 * following links), so a listed device or pipe is skipped, not read.
	 *
	 * @throws DatasetException when the list file is missing or not a regular file (a device or a
	 *           named pipe, which could be read without end), has a line longer than
	 *           {@value #MAX_LIST_LINE_BYTES} bytes or is not UTF-8 text
	 */
	public static Listing inList(final Path listFile) throws IOException {
		final Path base = listFile.toAbsolutePath().getParent();
		final Set<Path> paths = new LinkedHashSet<>();
		int lines = 0;
		try (TextRecords list = TextRecords.lines(listFile, "the list file", MAX_LIST_LINE_BYTES,
			"give a text file with one image path per line"))
		{
			for (TextRecords.Line line; (line = list.next()) != null;) {
				if (line.text().isBlank() || line.text().startsWith("#")) continue;
				lines++;
				final Path path;
				try {
					path = Path.of(line.text().strip());
				}
				catch (final InvalidPathException e) {
					throw new DatasetException("the list file '" + listFile + "': line " + list
						.lineNumber() + " is not a path (" + e.getReason() + "); give a text file with " +
						"one image path per line.");
				}
				paths.add(path.isAbsolute() ? path.normalize() : base.resolve(path).normalize());
			}
		}
		catch (final DeepClassException e) {
			throw e instanceof DatasetException d ? d : new DatasetException(e.getMessage(), e);
		}
		return new Listing(paths.stream().map(p -> new ImageFile(p, null)).toList(), lines - paths
			.size());
	}

	/** Every regular file below {@code folder}, hidden ones and hidden folders left out. */
	private static List<Path> walk(final Path folder) throws IOException {
		final List<Path> files = new ArrayList<>();
		Files.walkFileTree(folder, new SimpleFileVisitor<>() {

			@Override
			public FileVisitResult preVisitDirectory(final Path dir, final BasicFileAttributes attrs) {
				return !dir.equals(folder) && hidden(dir) ? FileVisitResult.SKIP_SUBTREE
					: FileVisitResult.CONTINUE;
			}

			@Override
			public FileVisitResult visitFile(final Path file, final BasicFileAttributes attrs) {
				// links are followed; a device, pipe or broken link is listed, and the decoder skips it
				// with its reason, so it is reported, never read
				if (!hidden(file) && !attrs.isDirectory() && !Files.isDirectory(file)) files.add(file);
				return FileVisitResult.CONTINUE;
			}

			@Override
			public FileVisitResult visitFileFailed(final Path file, final IOException e) {
				// an unreadable corner does not stop the listing: it is reported as a skipped file
				files.add(file);
				return FileVisitResult.CONTINUE;
			}
		});
		files.sort(null);
		return files;
	}

	private static boolean hidden(final Path path) {
		return path.getFileName().toString().startsWith(".");
	}

	/**
	 * Sub-folders ({@code dirs}) or the other entries of {@code folder} (files, and devices,
	 * pipes or broken links, which the decoder skips with a warning instead of reading them), not
	 * hidden, links followed, in name order (also the class folders and images
	 * {@link FolderReader} reads).
	 */
	static List<Path> list(final Path folder, final boolean dirs) throws IOException {
		final List<Path> result = new ArrayList<>();
		try (Stream<Path> stream = Files.list(folder)) {
			stream.filter(p -> !hidden(p) && (dirs == Files.isDirectory(p)))
				.forEach(result::add);
		}
		catch (final UncheckedIOException e) {
			throw e.getCause();
		}
		result.sort(null);
		return result;
	}
}
