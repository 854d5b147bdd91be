package io.deepclass.core.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Reads the IDX format of MNIST and Fashion-MNIST: an images file (magic 0x00000803, unsigned
 * bytes, N x rows x cols) and a labels file (magic 0x00000801, N unsigned bytes). Files may be
 * gzipped; that is recognised from their first bytes, not their name.
 */
public final class IdxReader {

	private static final int IMAGES_MAGIC = 0x00000803;

	private static final int LABELS_MAGIC = 0x00000801;

	/** Fashion-MNIST's classes, in label order. */
	public static final List<String> FASHION_MNIST_CLASSES = List.of("T-shirt/top", "Trouser",
		"Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

	private IdxReader() {}

	/**
	 * Reads an images file and its labels file into a dataset.
	 *
	 * @param classNames names for labels 0..k-1, or null to name them by number ("0", "1", ...)
	 */
	public static Dataset read(final Path imagesFile, final Path labelsFile,
		final List<String> classNames) throws IOException
	{
		try (InputStream images = open(imagesFile); InputStream labels = open(labelsFile)) {
			return read(images, labels, classNames, imagesFile.getFileName().toString());
		}
	}

	/**
	 * As {@link #read(Path, Path, List)}, with what an import reports: images per class, nothing
	 * skipped, and the dataset checks' warnings.
	 */
	public static ImportResult imported(final Path imagesFile, final Path labelsFile,
		final List<String> classNames) throws IOException
	{
		final Dataset d = read(imagesFile, labelsFile, classNames);
		return new ImportResult(d, new ImportReport(d.classNames(), d.classCounts(), List.of(),
			DatasetChecks.warnings(d)));
	}

	/**
	 * Class names for labels 0, 1, ... as a user writes them: comma-separated, "fashion-mnist",
	 * or empty (null: named by number).
	 */
	public static List<String> classNames(final String text) {
		if (text == null || text.isBlank()) return null;
		if (text.trim().equalsIgnoreCase("fashion-mnist")) return FASHION_MNIST_CLASSES;
		return Arrays.stream(text.split(",")).map(String::trim).toList();
	}

	/** As {@link #read(Path, Path, List)}, from streams; {@code sourceName} prefixes the source ids. */
	public static Dataset read(final InputStream imagesStream, final InputStream labelsStream,
		final List<String> classNames, final String sourceName) throws IOException
	{
		final DataInputStream images = new DataInputStream(maybeGunzip(imagesStream));
		final DataInputStream labels = new DataInputStream(maybeGunzip(labelsStream));
		final int imagesMagic = readHeaderInt(images, sourceName);
		if (imagesMagic != IMAGES_MAGIC)
			throw new DatasetException(String.format("'%s' is not an IDX images file: magic number " +
				"0x%08X, expected 0x%08X (unsigned bytes, 3 dimensions). Choose the *-images-idx3-ubyte " +
				"file.", sourceName, imagesMagic, IMAGES_MAGIC));
		final int n = readHeaderInt(images, sourceName);
		final int rows = readHeaderInt(images, sourceName);
		final int cols = readHeaderInt(images, sourceName);
		final int labelsMagic = readHeaderInt(labels, sourceName + " labels");
		if (labelsMagic != LABELS_MAGIC)
			throw new DatasetException(String.format("the labels file for '%s' is not an IDX labels " +
				"file: magic number 0x%08X, expected 0x%08X. Choose the *-labels-idx1-ubyte file.",
				sourceName, labelsMagic, LABELS_MAGIC));
		final int nLabels = readHeaderInt(labels, sourceName + " labels");
		if (n <= 0 || rows <= 0 || cols <= 0 || (long) n * rows * cols > Integer.MAX_VALUE)
			throw new DatasetException("'" + sourceName + "' has an impossible IDX header: " + n +
				" images of " + cols + "x" + rows + ".");
		if (nLabels != n)
			throw new DatasetException("'" + sourceName + "' holds " + n + " images but its labels " +
				"file holds " + nLabels + " labels; the two files do not belong together.");

		checkMemory((long) n * rows * cols, sourceName);
		// what the file really holds decides what is allocated, not what its header says
		final byte[] raw = readFully(images, n * rows * cols, sourceName + ": the header " +
			"announces " + n + " images of " + cols + "x" + rows + " but the file is shorter");
		final byte[] rawLabels = readFully(labels, n, sourceName + " labels: the header announces " +
			n + " labels but the file is shorter");

		int maxLabel = 0;
		final int[] labelArray = new int[n];
		for (int i = 0; i < n; i++) {
			labelArray[i] = rawLabels[i] & 0xff;
			maxLabel = Math.max(maxLabel, labelArray[i]);
		}
		final List<String> names = classNames != null ? classNames : numberedClasses(maxLabel + 1);
		if (maxLabel >= names.size())
			throw new DatasetException("'" + sourceName + "' has label " + maxLabel + " but only " +
				names.size() + " class names were given.");

		final float[] pixels = new float[raw.length];
		for (int i = 0; i < raw.length; i++)
			pixels[i] = raw[i] & 0xff;
		final String[] sources = new String[n];
		for (int i = 0; i < n; i++)
			sources[i] = sourceName + "#" + (i + 1);
		final int[] bitDepths = new int[n];
		Arrays.fill(bitDepths, 8);
		return new Dataset(new ImageShape(1, rows, cols), names, new ArrayImageStore(pixels, rows *
			cols), labelArray, sources, bitDepths);
	}

	/**
	 * Finds {@code <prefix>-images-idx3-ubyte[.gz]} and {@code <prefix>-labels-idx1-ubyte[.gz]}
	 * in a folder (prefix "train" or "t10k" for MNIST and Fashion-MNIST) and reads them.
	 */
	public static Dataset readSplit(final Path folder, final String prefix,
		final List<String> classNames) throws IOException
	{
		return read(find(folder, prefix + "-images-idx3-ubyte"), find(folder, prefix +
			"-labels-idx1-ubyte"), classNames);
	}

	private static Path find(final Path folder, final String stem) throws NoSuchFileException {
		for (final String name : new String[] { stem + ".gz", stem }) {
			final Path candidate = folder.resolve(name);
			if (Files.isRegularFile(candidate)) return candidate;
		}
		throw new NoSuchFileException(folder.resolve(stem).toString(), null, "no " + stem +
			" or " + stem + ".gz in " + folder);
	}

	private static List<String> numberedClasses(final int count) {
		final List<String> names = new ArrayList<>();
		for (int i = 0; i < count; i++)
			names.add(Integer.toString(i));
		return names;
	}

	private static InputStream open(final Path file) throws IOException {
		return new BufferedInputStream(Files.newInputStream(file), 1 << 16);
	}

	/** Wraps the stream in a GZIP decoder when it starts with the gzip magic bytes. */
	private static InputStream maybeGunzip(final InputStream in) throws IOException {
		final BufferedInputStream buffered = in instanceof BufferedInputStream b ? b
			: new BufferedInputStream(in, 1 << 16);
		buffered.mark(2);
		final int b0 = buffered.read();
		final int b1 = buffered.read();
		buffered.reset();
		return b0 == 0x1f && b1 == 0x8b ? new BufferedInputStream(new GZIPInputStream(buffered,
			1 << 16), 1 << 16) : buffered;
	}

	private static int readHeaderInt(final DataInputStream in, final String sourceName)
		throws IOException
	{
		try {
			return in.readInt();
		}
		catch (final EOFException e) {
			throw new DatasetException("'" + sourceName + "' ends inside its IDX header: " +
				"the file is empty or truncated.", e);
		}
	}

	/**
	 * Reads {@code length} bytes, allocating as they arrive (a header may announce more than the
	 * file holds).
	 */
	private static byte[] readFully(final DataInputStream in, final int length,
		final String message) throws IOException
	{
		final byte[] bytes = in.readNBytes(length);
		if (bytes.length < length) throw new DatasetException(message + " (truncated download?).");
		return bytes;
	}

	/**
	 * Refuses a dataset whose pixels (a byte each as read, a float each as kept) need more than
	 * the memory Java may still take.
	 */
	private static void checkMemory(final long pixels, final String sourceName) {
		final Runtime r = Runtime.getRuntime();
		final long free = r.maxMemory() - (r.totalMemory() - r.freeMemory());
		final long needed = pixels * (1 + Float.BYTES);
		if (needed > free) throw new DatasetException("'" + sourceName + "' announces " + pixels +
			" pixels, which need " + (needed >> 20) + " MB; only " + (free >> 20) + " MB of memory " +
			"are free. Give Fiji more memory (Edit > Options > Memory & Threads) or import fewer " +
			"images.");
	}

}
