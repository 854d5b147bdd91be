package io.deepclass.core.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.function.IntUnaryOperator;

/**
 * Reads a folder that holds one sub-folder per class (class name = sub-folder name), every
 * image in a sub-folder being an example of that class. Images are converted to one target
 * shape; files that cannot be decoded are skipped and listed in the {@link ImportReport}, never
 * touched. Links are followed; an entry that is not a regular file then (a device, a named pipe,
 * a broken link) is skipped with that reason without being opened. Sub-folders and files are taken in name order so that imports are reproducible.
 */
public final class FolderReader {

	private final ImageDecoder decoder;

	private final ImageShape target;

	/** Hears (images done, images in all) as a folder is read. */
	public interface Progress {
		void done(int done, int total);
	}

	private Progress progress = (done, total) -> {};

	private BooleanSupplier cancel = () -> false;

	/**
	 * @param target the shape every image is converted to, or null to take the first image's
	 *          size and channels
	 */
	public FolderReader(final ImageDecoder decoder, final ImageShape target) {
		this.decoder = decoder;
		this.target = target;
	}

	/**
	 * Reports progress to {@code listener} (about every 1 % and at the end) and stops, deleting
	 * what was read, when {@code cancelled} says so.
	 */
	public FolderReader withProgress(final Progress listener,
		final BooleanSupplier cancelled)
	{
		progress = listener == null ? (done, total) -> {} : listener;
		cancel = cancelled == null ? () -> false : cancelled;
		return this;
	}

	public ImportResult read(final Path folder) throws IOException {
		return read(folder, true);
	}

	/** As {@link #read(Path)}; see {@link #readUnlabelled} for {@code convert}. */
	public ImportResult read(final Path folder, final boolean convert) throws IOException {
		if (!Files.isDirectory(folder))
			throw new DatasetException("'" + folder + "' is not a folder. Choose a folder that holds " +
				"one sub-folder per class.");
		final List<Path> classFolders = ImageFiles.list(folder, true);
		if (classFolders.isEmpty())
			throw new DatasetException("'" + folder + "' has no sub-folders. Put the images of each " +
				"class in a sub-folder named after the class (e.g. " + folder.resolve("mitotic") +
				").");
		final List<String> classNames = new ArrayList<>();
		final List<List<Path>> files = new ArrayList<>();
		for (final Path classFolder : classFolders) {
			classNames.add(classFolder.getFileName().toString());
			files.add(ImageFiles.list(classFolder, false));
		}

		final List<Path> all = new ArrayList<>();
		final List<Integer> labels = new ArrayList<>();
		for (int c = 0; c < classFolders.size(); c++)
			for (final Path file : files.get(c)) {
				all.add(file);
				labels.add(c);
			}
		final LabelledImageCollector collector = new LabelledImageCollector(classNames, target)
			.convert(convert).expect(all.size());
		decodeInto(collector, all, labels::get);
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
		final List<Path> files = ImageFiles.list(folder, false);
		final LabelledImageCollector collector = new LabelledImageCollector(classNames, target)
			.convert(convert).expect(files.size());
		decodeInto(collector, files, i -> -1);
		return collector.finishUnlabelled("folder '" + folder + "'");
	}

	/** Whether {@code folder} holds sub-folders (class folders) rather than images only. */
	public static boolean hasClassFolders(final Path folder) throws IOException {
		return Files.isDirectory(folder) && !ImageFiles.list(folder, true).isEmpty();
	}

	/**
	 * Decodes the files on every core, a bounded number ahead, and adds them to the collector in
	 * order (so the dataset is the same as one decoded after another); an unreadable file is
	 * listed as skipped with the reason.
	 */
	private void decodeInto(final LabelledImageCollector collector, final List<Path> files,
		final IntUnaryOperator label)
	{
		final int threads = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), files
			.size()));
		final ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
			final Thread t = new Thread(r, "deepclass-decode");
			t.setDaemon(true);
			return t;
		});
		final Deque<Future<Object>> ahead = new ArrayDeque<>();
		try {
			int next = 0;
			for (int i = 0; i < files.size(); i++) {
				while (next < files.size() && ahead.size() < 4 * threads) {
					final Path file = files.get(next++);
					ahead.add(pool.submit(() -> {
						try {
							// a device or pipe could be read without end: only regular files are decoded
							if (!Files.isRegularFile(file)) throw new IOException(ImageFiles.NOT_REGULAR);
							return decoder.decode(file);
						}
						catch (final IOException | RuntimeException e) {
							return e;
						}
					}));
				}
				final Object decoded = get(ahead.poll());
				final String source = files.get(i).toString();
				if (decoded instanceof DecodedImage image) collector.add(image, label.applyAsInt(i), source);
				else collector.skip(source, reason((Exception) decoded));
				if ((i + 1) % Math.max(1, files.size() / 100) == 0 || i + 1 == files.size()) {
					progress.done(i + 1, files.size());
					if (i + 1 < files.size() && cancel.getAsBoolean()) throw new DatasetException("reading " +
						"the images was stopped (Esc) after " + (i + 1) + " of " + files.size() + "; nothing " +
						"was kept. Run the command again to read them all.");
				}
			}
		}
		catch (final RuntimeException e) {
			collector.closeDisk();
			throw e;
		}
		finally {
			pool.shutdownNow();
		}
	}

	private static Object get(final Future<Object> future) {
		try {
			return future.get();
		}
		catch (final InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new DatasetException("reading the images was interrupted.");
		}
		catch (final ExecutionException e) {
			return e.getCause() instanceof Exception x ? x : new IOException(e.getCause());
		}
	}

	private static String reason(final Exception e) {
		final String message = e.getMessage();
		return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
	}
}
