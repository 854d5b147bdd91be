package io.deepclass.core;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a text file someone handed us (a list of files, a CSV to resume or merge) one line at a
 * time with a bound on a line's length, so that a file of one endless line, or a device or pipe
 * named as the file, is refused in one line instead of filling the memory or waiting forever.
 * Only regular files (after following links) are opened. Lines end with LF, CR LF counts as one
 * end. In CSV mode a record is split into RFC 4180 fields, and a line feed inside a quoted field
 * belongs to the field. Bytes are parsed before decoding (the CSV syntax is ASCII, which UTF-8
 * never uses inside a multi-byte character), so {@link Line#end()} is an exact byte offset.
 */
public final class TextRecords implements Closeable {

	/** A complete line (or CSV record): its fields (one for a plain line) and the byte offset after its end. */
	public record Line(List<String> fields, long end) {

		/** The text of a plain line. */
		public String text() {
			return fields.get(0);
		}
	}

	private final InputStream in;

	private final Path file;

	private final String what;

	private final int maxBytes;

	private final boolean csv;

	private final String fix;

	private final byte[] buffer = new byte[1 << 16];

	private int position;

	private int limit;

	private long offset;

	private int number;

	private long unfinished;

	private TextRecords(final Path file, final String what, final int maxBytes, final boolean csv,
		final String fix) throws IOException
	{
		requireRegularFile(file, what, fix);
		this.in = Files.newInputStream(file);
		this.file = file;
		this.what = what;
		this.maxBytes = maxBytes;
		this.csv = csv;
		this.fix = fix;
	}

	/**
	 * The plain lines of {@code file}.
	 *
	 * @param what how the file is named in messages ("the list file")
	 * @param maxBytes the longest line accepted, in bytes without its end
	 * @param fix what the user can do, ending a refusal ("give a text file with one path a line")
	 * @throws DeepClassException when the file is not a regular file
	 */
	public static TextRecords lines(final Path file, final String what, final int maxBytes,
		final String fix) throws IOException
	{
		return new TextRecords(file, what, maxBytes, false, fix);
	}

	/** As {@link #lines}, each record split into its CSV fields. */
	public static TextRecords csv(final Path file, final String what, final int maxBytes,
		final String fix) throws IOException
	{
		return new TextRecords(file, what, maxBytes, true, fix);
	}

	/**
	 * @throws DeepClassException naming {@code file} when it is missing, a folder, or not a regular
	 *           file after following links (a device such as /dev/zero, a named pipe, a socket)
	 */
	public static void requireRegularFile(final Path file, final String what, final String fix) {
		if (!Files.exists(file)) throw new DeepClassException(what + " '" + file + "' does not " +
			"exist; " + fix + ".");
		if (!Files.isRegularFile(file)) throw new DeepClassException(what + " '" + file + "' is not " +
			"a regular file (" + (Files.isDirectory(file) ? "a folder" : "a device, pipe or socket") +
			"), so it is not read; " + fix + ".");
	}

	/**
	 * The next line, or null at the end of the file. Plain lines: the last line needs no line end.
	 * CSV records: bytes after the last line end (a line being written) are not returned but
	 * counted in {@link #unfinishedBytes()}.
	 *
	 * @throws DeepClassException when a line is longer than the bound or is not UTF-8 text
	 */
	public Line next() throws IOException {
		final List<String> fields = new ArrayList<>();
		final ByteArrayOutputStream field = new ByteArrayOutputStream();
		boolean quoted = false;
		long length = 0;
		int b;
		while ((b = read()) >= 0) {
			if (++length > maxBytes) throw new DeepClassException(what + " '" + file + "': line " +
				(number + 1) + " is longer than " + describe(maxBytes) + ", so it is not read; " + fix +
				".");
			if (quoted) {
				if (b != '"') field.write(b);
				else if (peek() == '"') field.write(read());
				else quoted = false;
			}
			else if (b == '\n' || b == '\r' && peek() == '\n') {
				if (b == '\r') read();
				fields.add(decode(field));
				number++;
				return new Line(List.copyOf(fields), offset);
			}
			else if (csv && b == '"') quoted = true;
			else if (csv && b == ',') {
				fields.add(decode(field));
				field.reset();
			}
			else field.write(b);
		}
		if (!csv && length > 0) { // a list's last line needs no line end
			fields.add(decode(field));
			number++;
			return new Line(List.copyOf(fields), offset);
		}
		unfinished = length;
		return null;
	}

	private int read() throws IOException {
		if (position == limit && !fill()) return -1;
		offset++;
		return buffer[position++] & 0xff;
	}

	/** The next byte without taking it, -1 at the end. */
	private int peek() throws IOException {
		if (position == limit && !fill()) return -1;
		return buffer[position] & 0xff;
	}

	private boolean fill() throws IOException {
		final int n = in.read(buffer);
		if (n <= 0) return false;
		position = 0;
		limit = n;
		return true;
	}

	/** Bytes after the last complete line; known once {@link #next()} returned null. */
	public long unfinishedBytes() {
		return unfinished;
	}

	/** Lines returned so far. */
	public int lineNumber() {
		return number;
	}

	private String decode(final ByteArrayOutputStream bytes) {
		final byte[] raw = bytes.toByteArray();
		final int n = raw.length;
		try {
			return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw, 0, n))
				.toString();
		}
		catch (final CharacterCodingException e) {
			throw new DeepClassException(what + " '" + file + "': line " + (number + 1) + " is not " +
				"UTF-8 text; " + fix + ".", e);
		}
	}

	/** "4 MiB", "64 KiB" or "100 bytes". */
	public static String describe(final long bytes) {
		if (bytes >= 1 << 20 && bytes % (1 << 20) == 0) return (bytes >> 20) + " MiB";
		if (bytes >= 1 << 10 && bytes % (1 << 10) == 0) return (bytes >> 10) + " KiB";
		return bytes + " bytes";
	}

	@Override
	public void close() throws IOException {
		in.close();
	}
}
