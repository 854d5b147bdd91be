package io.deepclass.core.predict;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

import io.deepclass.core.DeepClassException;
import io.deepclass.core.data.ArrayImageStore;
import io.deepclass.core.data.Dataset;
import io.deepclass.core.data.DecodedImage;
import io.deepclass.core.data.ImageConverter;
import io.deepclass.core.data.ImageDecoder;
import io.deepclass.core.data.ImageFiles.ImageFile;
import io.deepclass.core.data.ImageFiles;
import io.deepclass.core.data.ImageShape;

/**
 * Classifies any number of image files in bounded memory: files are decoded, batch by batch,
 * on a small pool of threads while the network classifies the batch before, and each batch's
 * rows are handed on (to a {@link ResultsCsv}, a table) before the next is taken. At most
 * {@link Settings#queuedBatches()} batches are decoded or decoding besides the one being
 * classified, however many files there are. Files that vanished, cannot be decoded, changed while being read or do
 * not fit the model are skipped and reported, never touched.
 */
public final class StreamingClassification {

	/**
	 * @param batchSize files per batch
	 * @param queuedBatches decoded batches that may wait for the network
	 * @param decodeThreads threads decoding files
	 * @param convert whether images of another size or channel count are resized and converted
	 *          to the model's input, or skipped
	 */
	public record Settings(int batchSize, int queuedBatches, int decodeThreads, boolean convert) {

		public Settings {
			if (batchSize < 1 || queuedBatches < 1 || decodeThreads < 1)
				throw new IllegalArgumentException("batch size, queue and threads must be positive");
		}

		/** Batches of the classifier's {@link Classifier#batchSize()}, two decoding threads, three batches ahead. */
		public static Settings defaults(final Classifier classifier, final boolean convert) {
			return new Settings(classifier.batchSize(), 3, 2, convert);
		}
	}

	/** Progress after each batch: files done (classified or skipped) of {@code total}. */
	public record Progress(int done, int total, int skipped, double filesPerSecond,
		double etaSeconds)
	{}

	/**
	 * What a run did. {@code alreadyDone}: files left out because a resumed CSV had their rows;
	 * {@code droppedPartialLine}: a half-written last line was cut from it; {@code peakBatches}:
	 * the most batches decoded or decoding at once, the one being classified included.
	 */
	public record Summary(int classified, int skipped, int alreadyDone, boolean droppedPartialLine,
		boolean cancelled, int peakBatches)
	{}

	/** Called on the classifying thread; all methods default to doing nothing. */
	public interface Listener {

		/** A classified batch's rows, in input order; written before the next batch is taken. */
		default void rows(final List<ResultsCsv.Row> rows) throws IOException {}

		/** The rows a resumed CSV already had, before any file is classified. */
		default void resumed(final List<ResultsCsv.KeptRow> kept) {}

		default void skipped(final String source, final String reason) {}

		default void progress(final Progress progress) {}
	}

	private final Classifier classifier;

	private final ImageDecoder decoder;

	private final Settings settings;

	private final ImageShape shape;

	public StreamingClassification(final Classifier classifier, final ImageDecoder decoder,
		final Settings settings)
	{
		this.classifier = classifier;
		this.decoder = decoder;
		this.settings = settings;
		this.shape = classifier.model().info().inputShape();
	}

	/** A decoded batch: the files that made it and their pixels, and those skipped, in order. */
	private record Batch(List<ImageFile> files, float[] pixels, int[] bitDepths,
		List<String[]> skipped)
	{}

	/**
	 * Classifies {@code files} in order.
	 *
	 * @param cancelled checked between batches; when it answers true, the run stops after the
	 *          batch in progress (whose rows are handed on)
	 * @throws IOException when the listener cannot write rows
	 */
	public Summary run(final List<ImageFile> files, final BooleanSupplier cancelled,
		final Listener listener) throws IOException
	{
		final int batches = (files.size() + settings.batchSize() - 1) / settings.batchSize();
		final ExecutorService pool = Executors.newFixedThreadPool(settings.decodeThreads(), r -> {
			final Thread t = new Thread(r, "DeepClass decoder");
			t.setDaemon(true);
			return t;
		});
		final Deque<Future<Batch>> waiting = new ArrayDeque<>();
		final long start = System.nanoTime();
		int next = 0, done = 0, classified = 0, skipped = 0, peak = 0;
		boolean stopped = false;
		try {
			next = topUp(waiting, files, next, batches, pool);
			while (!waiting.isEmpty()) {
				final Batch batch = take(waiting.poll());
				// the next batches decode while this one is classified
				next = topUp(waiting, files, next, batches, pool);
				peak = Math.max(peak, waiting.size() + 1);
				for (final String[] skip : batch.skipped())
					listener.skipped(skip[0], skip[1]);
				skipped += batch.skipped().size();
				if (!batch.files().isEmpty()) {
					listener.rows(classify(batch));
					classified += batch.files().size();
				}
				done += batch.files().size() + batch.skipped().size();
				final double seconds = (System.nanoTime() - start) / 1e9;
				final double rate = done / Math.max(seconds, 1e-9);
				listener.progress(new Progress(done, files.size(), skipped, rate, (files.size() - done) /
					rate));
				if (cancelled != null && cancelled.getAsBoolean() && done < files.size()) {
					stopped = true;
					break;
				}
			}
		}
		finally {
			for (final Future<Batch> f : waiting)
				f.cancel(true);
			pool.shutdownNow();
		}
		return new Summary(classified, skipped, 0, false, stopped, peak);
	}

	/**
	 * Classifies {@code files} into the CSV file {@code csv}, flushed to the disk after every
	 * batch. With {@code resume}, files whose rows the CSV already holds are left out and the
	 * others appended (a half-written last line, from a killed run, is cut away and its file
	 * done again); without, the CSV is written anew.
	 *
	 * @param truth whether the CSV has the true_class and correct columns
	 * @throws IOException when the CSV cannot be read or written
	 */
	public Summary toCsv(final List<ImageFile> files, final boolean truth, final Path csv,
		final boolean resume, final BooleanSupplier cancelled, final Listener listener)
		throws IOException
	{
		try (ResultsCsv out = ResultsCsv.open(csv, ResultsCsv.header(classifier.model().info()
			.classNames(), truth), resume))
		{
			final List<ImageFile> todo = out.done().isEmpty() ? files : files.stream().filter(f -> !out
				.done().contains(f.source())).toList();
			if (!out.kept().isEmpty()) listener.resumed(out.kept());
			final Summary s = run(todo, cancelled, new Listener() {

				@Override
				public void rows(final List<ResultsCsv.Row> rows) throws IOException {
					out.write(rows);
					listener.rows(rows);
				}

				@Override
				public void skipped(final String source, final String reason) {
					listener.skipped(source, reason);
				}

				@Override
				public void progress(final Progress progress) {
					listener.progress(progress);
				}
			});
			return new Summary(s.classified(), s.skipped(), files.size() - todo.size(), out
				.droppedBytes() > 0, s.cancelled(), s.peakBatches());
		}
	}

	/** Submits batches until {@link Settings#queuedBatches()} wait; the next batch's number. */
	private int topUp(final Deque<Future<Batch>> waiting, final List<ImageFile> files, int next,
		final int batches, final ExecutorService pool)
	{
		while (waiting.size() < settings.queuedBatches() && next < batches) {
			final int from = next++ * settings.batchSize();
			final List<ImageFile> slice = files.subList(from, Math.min(files.size(), from + settings
				.batchSize()));
			waiting.add(pool.submit(() -> decode(slice)));
		}
		return next;
	}

	private static Batch take(final Future<Batch> future) {
		try {
			return future.get();
		}
		catch (final InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new DeepClassException("the classification was interrupted.", e);
		}
		catch (final ExecutionException e) {
			if (e.getCause() instanceof Error error) throw error;
			throw new DeepClassException("decoding failed: " + e.getCause(), e.getCause());
		}
	}

	private List<ResultsCsv.Row> classify(final Batch batch) {
		final int n = batch.files().size();
		final String[] sources = batch.files().stream().map(ImageFile::source).toArray(String[]::new);
		final Dataset images = new Dataset(shape, classifier.model().info().classNames(),
			new ArrayImageStore(batch.pixels(), shape.size()), filled(n, -1), sources, batch
				.bitDepths());
		final Predictions p = classifier.classify(images);
		final List<ResultsCsv.Row> rows = new ArrayList<>(n);
		for (int i = 0; i < n; i++)
			rows.add(new ResultsCsv.Row(sources[i], p.predictedClass(i), p.confidence(i), p
				.probabilities()[i], batch.files().get(i).trueClass()));
		return rows;
	}

	/** Decodes and converts the files of one batch; runs on a decoding thread. */
	private Batch decode(final List<ImageFile> files) {
		final List<ImageFile> ok = new ArrayList<>(files.size());
		final float[] pixels = new float[files.size() * shape.size()];
		final int[] depths = new int[files.size()];
		final List<String[]> skipped = new ArrayList<>();
		for (final ImageFile file : files) {
			if (Thread.currentThread().isInterrupted()) break;
			try {
				final DecodedImage image = read(file.path());
				final float[] converted = convert(image);
				System.arraycopy(converted, 0, pixels, ok.size() * shape.size(), shape.size());
				depths[ok.size()] = image.bitDepth();
				ok.add(file);
			}
			catch (final IOException | RuntimeException e) {
				skipped.add(new String[] { file.source(), reason(e) });
			}
		}
		final int n = ok.size();
		return new Batch(ok, Arrays.copyOf(pixels, n * shape.size()), Arrays
			.copyOf(depths, n), skipped);
	}

	/** The file's pixels, provided it was there and did not change while being read. */
	private DecodedImage read(final Path file) throws IOException {
		if (file.toString().indexOf('\n') >= 0 || file.toString().indexOf('\r') >= 0)
			throw new IOException("its name holds a line break, which a results row cannot keep");
		final BasicFileAttributes before;
		try {
			before = Files.readAttributes(file, BasicFileAttributes.class);
		}
		catch (final NoSuchFileException e) {
			throw new IOException("vanished (no longer there)", e);
		}
		if (!before.isRegularFile()) throw new IOException(ImageFiles.NOT_REGULAR);
		final DecodedImage image = decoder.decode(file);
		final BasicFileAttributes after;
		try {
			after = Files.readAttributes(file, BasicFileAttributes.class);
		}
		catch (final NoSuchFileException e) {
			throw new IOException("vanished while being read", e);
		}
		if (after.size() != before.size() || !after.lastModifiedTime().equals(before
			.lastModifiedTime()))
			throw new IOException("changed while being read (still being written?)");
		return image;
	}

	private float[] convert(final DecodedImage image) throws IOException {
		if (!settings.convert() && (image.width() != shape.width() || image.height() != shape
			.height() || image.channels() != shape.channels()))
			throw new IOException("is " + image + " but the model expects " + shape + "; tick " +
				"'resize' to resize and convert images, or choose a model trained on images like these");
		return ImageConverter.convert(image, shape);
	}

	private static String reason(final Exception e) {
		final String message = e.getMessage();
		return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
	}

	private static int[] filled(final int n, final int value) {
		final int[] a = new int[n];
		Arrays.fill(a, value);
		return a;
	}
}
