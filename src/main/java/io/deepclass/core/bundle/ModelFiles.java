package io.deepclass.core.bundle;

import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

import io.deepclass.core.TemporaryFiles;
import io.deepclass.core.backend.NativeBackend;
import io.deepclass.core.model.Network;

/**
 * Reads and writes model files: one {@code .zip} holding {@code deepclass.json} (the
 * {@link ModelInfo}) and {@code network.zip} (the DL4J network with its optimiser state, so
 * training can resume). Files are written to a temporary file beside the target and renamed
 * into place, so a crash or a full disk never leaves a half-written model, and an existing model
 * is replaced only by a complete one.
 */
public final class ModelFiles {

	static final String INFO_ENTRY = "deepclass.json";

	static final String NETWORK_ENTRY = "network.zip";

	private static final Gson GSON = new GsonBuilder().setPrettyPrinting()
		.serializeSpecialFloatingPointValues().create();

	private ModelFiles() {}

	/**
	 * Writes {@code bundle} to {@code file}, replacing an existing file only by a complete model.
	 * Afterwards removes temporary files that earlier saves to the same file left behind when
	 * they were killed, once they are {@link #STALE_TEMPORARY} old (a younger one may belong to
	 * a save still running in another process).
	 *
	 * @throws IOException when the file cannot be written (a full disk, no permission); the
	 *           message names the file and what to do, and the previous file is unchanged
	 */
	public static void save(final ModelBundle bundle, final Path file) throws IOException {
		save(bundle, file, UnaryOperator.identity());
	}

	/** As {@link #save(ModelBundle, Path)}, writing through {@code wrap} (tests fill the disk). */
	static void save(final ModelBundle bundle, final Path file,
		final UnaryOperator<OutputStream> wrap) throws IOException
	{
		final Path target = file.toAbsolutePath();
		final boolean existed = Files.exists(target);
		try {
			TemporaryFiles.writeAtomically(target, TEMPORARY_SUFFIX, out -> {
				try (ZipOutputStream zip = new ZipOutputStream(wrap.apply(out))) {
					zip.putNextEntry(new ZipEntry(INFO_ENTRY));
					zip.write(toJson(bundle.info()).getBytes(StandardCharsets.UTF_8));
					zip.closeEntry();
					// the network zip's arrays are stored: deflating them (again) gains little and
					// took a second per 45 MB
					zip.setLevel(Deflater.NO_COMPRESSION);
					zip.putNextEntry(new ZipEntry(NETWORK_ENTRY));
					NetworkZip.write(bundle.network(), new NonClosing(zip));
					zip.closeEntry();
				}
			});
		}
		catch (final IOException e) {
			throw new IOException(cannotWrite(target, existed, e), e);
		}
		removeStaleTemporaries(target);
	}

	/** Temporary files are hidden, named after their target: {@code .model.zip1234567.part}. */
	private static final String TEMPORARY_SUFFIX = ".part";

	private static final Pattern TEMPORARY = Pattern.compile("\\..+\\d+\\.part");

	/**
	 * How old a temporary file must be before a save removes it: a save writes its temporary file
	 * without pause from start to rename, so one untouched this long belongs to a killed save.
	 */
	static final Duration STALE_TEMPORARY = Duration.ofHours(1);

	private static String cannotWrite(final Path target, final boolean existed,
		final IOException e)
	{
		final String reason = e instanceof AccessDeniedException ? "no permission to write in '" +
			target.getParent() + "'" : e instanceof FileAlreadyExistsException exists ? "'" + exists
				.getFile() + "' is a file, not a folder" : e instanceof FileSystemException fse && fse
					.getReason() != null ? fse.getReason() : e.getMessage();
		return "cannot write the model file '" + target + "' (" + reason + "). " + (existed
			? "The model already in it is unchanged. " : "No file was made. ") + "Free disk space or " +
			"choose another folder.";
	}

	/**
	 * Makes the rename itself durable, so that after a power cut the file holds the old or the
	 * new model; not possible on every platform (Windows cannot open a directory), nor needed
	 * there to survive a killed process.
	 */
	/** Deletes the leftovers of killed saves to {@code target}: best effort, never an error. */
	private static void removeStaleTemporaries(final Path target) {
		final Path dir = target.getParent();
		final Pattern ours = Pattern.compile(Pattern.quote("." + target.getFileName()) +
			"\\d+\\.part");
		final Instant before = Instant.now().minus(STALE_TEMPORARY);
		try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, f -> ours.matcher(f
			.getFileName().toString()).matches() && Files.isRegularFile(f)))
		{
			for (final Path f : files)
				if (Files.getLastModifiedTime(f).toInstant().isBefore(before)) Files.deleteIfExists(f);
		}
		catch (final IOException e) {
			// the model is saved; a leftover that cannot be listed or deleted (another user's)
			// stays, and load refuses it as a temporary file
		}
	}

	/** Whether {@code file} is named as a save's temporary file. */
	static boolean isTemporary(final Path file) {
		final Path name = file.getFileName();
		return name != null && TEMPORARY.matcher(name.toString()).matches();
	}

	/** Loads a model file, checking that it is a complete DeepClass model this version reads. */
	public static ModelBundle load(final Path file) throws IOException {
		NativeBackend.select();
		if (!Files.isRegularFile(file))
			throw new NoSuchFileException(file.toString(), null, "no model file at " + file);
		if (isTemporary(file))
			throw new ModelFormatException("'" + file.getFileName() + "' is not a model but the " +
				"temporary file of a save that was interrupted (DeepClass stopped or killed while " +
				"writing). Choose the model file itself (the name without the leading dot and the " +
				"digits); the temporary file can be deleted.");
		try (ZipFile zip = new ZipFile(file.toFile())) {
			final ZipEntry infoEntry = zip.getEntry(INFO_ENTRY);
			if (infoEntry == null)
				throw new ModelFormatException("'" + file.getFileName() + "' is not a DeepClass model: " +
					"it has no " + INFO_ENTRY + " (a plain DL4J or other model?). Choose a model saved " +
					"by DeepClass's Train Classifier.");
			checkEntries(zip, file);
			final ByteArrayOutputStream json = new ByteArrayOutputStream();
			copyEntry(zip, infoEntry, json, MAX_INFO_BYTES, file);
			final ModelInfo info = fromJson(json.toString(StandardCharsets.UTF_8), file);
			final ZipEntry networkEntry = zip.getEntry(NETWORK_ENTRY);
			if (networkEntry == null) throw damaged(file, "it has no network");
			final Network network = readNetwork(zip, networkEntry, info, file);
			checkOutputs(network, info, file);
			return new ModelBundle(network, info);
		}
		catch (final ZipException | FileNotFoundException e) {
			throw new ModelFormatException("'" + file.getFileName() + "' is not a DeepClass model " +
				"file (not a readable .zip archive: " + e.getMessage() + "). Choose a model saved by " +
				"Train Classifier.", e);
		}
	}

	/** The most bytes {@code deepclass.json} may have: a million class names fit. */
	static final int MAX_INFO_BYTES = 32 << 20;

	/**
	 * The most bytes a network of {@code parameters} may unpack to: its configuration, its
	 * parameters and two values of optimiser state each (Adam), in double precision at most.
	 */
	static long maxNetworkBytes(final long parameters) {
		final long base = 16 << 20, perParameter = 3 * Double.BYTES;
		return parameters < 0 ? base : parameters > (Long.MAX_VALUE - base) / perParameter
			? Long.MAX_VALUE : base + perParameter * parameters;
	}

	/**
	 * The network, copied out of the model file first: to check its size and checksum before
	 * DL4J reads it (DL4J copies a stream to a temporary file anyway).
	 */
	private static Network readNetwork(final ZipFile zip, final ZipEntry entry, final ModelInfo info,
		final Path file) throws IOException
	{
		final long limit = maxNetworkBytes(info.parameterCount());
		final Path copy = Files.createTempFile("deepclass-network", ".zip");
		try {
			try (OutputStream out = Files.newOutputStream(copy)) {
				copyEntry(zip, entry, out, limit, file);
			}
			// DL4J unpacks its own entries without a limit or a checksum test
			long unpacked = 0;
			try (ZipFile network = new ZipFile(copy.toFile())) {
				for (final ZipEntry e : Collections.list(network.entries())) {
					final CountingNull out = new CountingNull();
					copyEntry(network, e, out, limit - unpacked, file);
					unpacked += out.count;
				}
			}
			return NetworkZip.read(copy, info, file);
		}
		catch (final ModelFormatException e) {
			throw e;
		}
		catch (final ArrayEntry.TooLarge e) {
			throw new ModelFormatException("'" + file.getFileName() + "' is too large for this " +
				"machine: " + e.getMessage() + ". Give Fiji more memory (Edit > Options > Memory & " +
				"Threads) or use a larger machine; if the model should be small, use another copy.", e);
		}
		catch (final IllegalArgumentException e) {
			throw damaged(file, e.getMessage(), e);
		}
		catch (final IOException | RuntimeException e) {
			throw damaged(file, "its network cannot be read (" + firstLine(e.getMessage()) + ")", e);
		}
		finally {
			Files.deleteIfExists(copy);
		}
	}

	/**
	 * Copies a zip entry, stopping after {@code limit} bytes whatever the entry declares (a zip
	 * bomb), and checks its checksum (the zip reader does not: a damaged file would load as
	 * another model).
	 */
	private static void copyEntry(final ZipFile zip, final ZipEntry entry, final OutputStream out,
		final long limit, final Path file)
	{
		try (CheckedInputStream in = new CheckedInputStream(zip.getInputStream(entry),
			new CRC32()))
		{
			final byte[] buffer = new byte[64 << 10];
			long copied = 0;
			for (int n; (n = in.read(buffer)) >= 0;) {
				copied += n;
				if (copied > limit)
					throw damaged(file, "its " + entry.getName() + " unpacks to more than " + limit /
						(1 << 20) + " MB, more than it can hold");
				out.write(buffer, 0, n);
			}
			if (entry.getCrc() != -1 && in.getChecksum().getValue() != entry.getCrc())
				throw damaged(file, "its " + entry.getName() + " is corrupt (wrong checksum)");
		}
		catch (final IOException e) {
			throw damaged(file, "its " + entry.getName() + " cannot be unpacked (" + e.getMessage() +
				")", e);
		}
	}

	/**
	 * Refuses a model file with an entry DeepClass never writes (a {@code preprocessor.bin} that
	 * DL4J would read with Java deserialisation, a file smuggled in), or with one entry twice.
	 */
	private static void checkEntries(final ZipFile zip, final Path file) {
		final Set<String> names = new HashSet<>();
		for (final ZipEntry e : Collections.list(zip.entries()))
			if (!(e.getName().equals(INFO_ENTRY) || e.getName().equals(NETWORK_ENTRY)) || !names.add(e
				.getName())) throw foreignEntry(file, e.getName());
	}

	static ModelFormatException foreignEntry(final Path file, final String entry) {
		return new ModelFormatException("'" + file.getFileName() + "' has an entry '" +
			ConfigurationJson.printable(entry) + "' that DeepClass never writes; it may have been " +
			"altered. Not loaded. Use the copy its author made, or train the model again.");
	}

	/** Gson and DL4J add lines (a link, a stack of causes) that mean nothing to a user. */
	static String firstLine(final String message) {
		return message == null ? "no details" : message.lines().findFirst().orElse("").strip();
	}

	static ModelFormatException damaged(final Path file, final String what) {
		return damaged(file, what, null);
	}

	static ModelFormatException damaged(final Path file, final String what, final Throwable cause) {
		return new ModelFormatException("'" + file.getFileName() + "' is damaged: " + what + ". " +
			"Train the model again or use another copy.", cause);
	}

	public static String toJson(final ModelInfo info) {
		return GSON.toJson(info);
	}

	private static ModelInfo fromJson(final String json, final Path file) {
		final ModelInfo info;
		try {
			info = GSON.fromJson(json, ModelInfo.class);
		}
		catch (final RuntimeException e) {
			// JsonParseException, and what Gson lets through from values of the wrong type
			throw damaged(file, "its " + INFO_ENTRY + " is not a valid model description (" + firstLine(
				e.getMessage()) + ")", e);
		}
		if (info == null || !ModelInfo.FORMAT.equals(info.format()))
			throw new ModelFormatException("'" + file.getFileName() + "' is not a DeepClass model " +
				"(format '" + (info == null ? null : info.format()) + "'). Choose a model saved by " +
				"Train Classifier.");
		if (info.formatVersion() > ModelInfo.FORMAT_VERSION)
			throw new ModelFormatException("'" + file.getFileName() + "' was written by a newer " +
				"DeepClass (model format " + info.formatVersion() + "; this DeepClass reads up to " +
				"format " + ModelInfo.FORMAT_VERSION + "). Update DeepClass to use it.");
		try {
			info.check();
		}
		catch (final RuntimeException e) {
			throw damaged(file, "its " + INFO_ENTRY + " is wrong: " + e.getMessage(), e);
		}
		return info;
	}

	/** The network must answer one probability per class for the declared input shape. */
	private static void checkOutputs(final Network network, final ModelInfo info, final Path file) {
		final INDArray output;
		try {
			output = network.output(Nd4j.zeros(info.inputShape().batchShape(1)));
		}
		catch (final RuntimeException e) {
			throw new ModelFormatException("'" + file.getFileName() + "' is inconsistent: its " +
				"network does not take " + info.inputShape() + " input (" + firstLine(e.getMessage()) +
				"). Train the model again or use another copy.", e);
		}
		if (output.rank() != 2 || output.size(1) != info.classNames().size())
			throw new ModelFormatException("'" + file.getFileName() + "' is inconsistent: the " +
				"network has " + (output.rank() == 2 ? output.size(1) : "no flat") + " outputs but " +
				info.classNames().size() + " classes are named. Train the model again or use another " +
				"copy.");
	}

	/** Counts what {@link #copyEntry} unpacks, to check it without keeping it. */
	private static final class CountingNull extends OutputStream {

		long count;

		@Override
		public void write(final int b) {
			count++;
		}

		@Override
		public void write(final byte[] b, final int off, final int len) {
			count += len;
		}
	}

	/** Lets the network zip close its stream without closing the zip around it. */
	private static final class NonClosing extends FilterOutputStream {

		NonClosing(final OutputStream out) {
			super(out);
		}

		@Override
		public void write(final byte[] b, final int off, final int len) throws IOException {
			out.write(b, off, len);
		}

		@Override
		public void close() throws IOException {
			flush();
		}
	}
}
