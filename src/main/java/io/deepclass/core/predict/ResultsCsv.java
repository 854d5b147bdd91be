package io.deepclass.core.predict;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.RandomAccessFile;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.deepclass.core.CsvCells;
import io.deepclass.core.DeepClassException;
import io.deepclass.core.SafeNames;
import io.deepclass.core.TextRecords;

/**
 * The results CSV of a batch classification, written a batch at a time so that a crash loses at
 * most the batch in progress: the columns of the "DeepClass Results" table (source, slice, roi,
 * class, confidence, p_&lt;class&gt; per class, then true_class and correct when the truth is
 * known), one row per file, probabilities with full float precision. Opened to resume, it keeps
 * the rows already there, drops a half-written last line (a killed run) and says which files
 * are done. Fields holding a comma, a quote or a line end are quoted as RFC 4180 says; text
 * cells that a spreadsheet would run as a formula are written as text ({@link CsvCells}).
 */
public final class ResultsCsv implements Closeable {

	/** One classified file. {@code trueClass} is null when unknown. */
	public record Row(String source, String predictedClass, float confidence,
		float[] probabilities, String trueClass)
	{}

	/** A row kept from the file resumed: its predicted class and true class (null: unknown). */
	public record KeptRow(String predictedClass, String trueClass) {}

	private final Path file;

	private final Set<String> done;

	private final List<KeptRow> kept;

	private final long droppedBytes;

	private final FileOutputStream stream;

	private final Writer writer;

	private final boolean truth;

	private ResultsCsv(final Path file, final List<String> header, final Set<String> done,
		final List<KeptRow> kept, final long droppedBytes, final boolean append) throws IOException
	{
		this.file = file;
		this.truth = header.contains("true_class");
		this.done = done;
		this.kept = kept;
		this.droppedBytes = droppedBytes;
		this.stream = new FileOutputStream(file.toFile(), append);
		this.writer = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8));
	}

	/** The header line's fields for a model's classes (see {@link ResultColumns}). */
	public static List<String> header(final List<String> classNames, final boolean truth) {
		return ResultColumns.header(classNames, truth);
	}

	/**
	 * The longest line read back from a results CSV, in bytes. A row holds a path (at most 32 767
	 * characters on any system, 4 096 bytes on Linux), two class names and one probability per
	 * class (at most 15 characters each); the header one "p_&lt;class&gt;" per class. 4 MiB holds
	 * the header of 100 000 classes with 30-character names, far beyond any classifier, and
	 * bounds the memory a line can take while it is read to a few megabytes however large a
	 * foreign file is.
	 */
	static final int MAX_LINE_BYTES = 4 << 20;

	private static final String NOT_OURS = "DeepClass writes no such file: choose another save_csv, " +
		"or untick resume to overwrite it";

	/**
	 * Opens {@code file} for writing rows under {@code header}. Without {@code resume}, or when
	 * the file does not exist or is empty, it is (re)written with the header; with
	 * {@code resume}, its complete rows are kept (see {@link #done()}) and an unfinished last line
	 * is cut away. The file is read a line at a time with a bound on a line's length
	 * ({@value #MAX_LINE_BYTES} bytes), and nothing is changed before all of it was checked.
	 *
	 * @throws DeepClassException when the file is not a regular file, or the file to resume has
	 *           another header, a damaged row or a line too long for a results file
	 */
	public static ResultsCsv open(final Path file, final List<String> header, final boolean resume)
		throws IOException
	{
		if (Files.exists(file) && !Files.isRegularFile(file))
			throw new DeepClassException("cannot write the results to '" + file + "': it is not a " +
				"regular file (" + (Files.isDirectory(file) ? "a folder" : "a device, pipe or socket") +
				"). Choose another save_csv.");
		if (!resume || !Files.exists(file) || Files.size(file) == 0) {
			final ResultsCsv csv = new ResultsCsv(file, header, new HashSet<>(), List.of(), 0,
				false);
			csv.writer.write(line(header));
			csv.flush();
			return csv;
		}
		// check that the file is ours before changing a byte of it: only then cut away a
		// half-written last line (a killed run)
		final Set<String> done = new HashSet<>();
		final List<KeptRow> kept = new ArrayList<>();
		final long complete, dropped;
		try (TextRecords records = TextRecords.csv(file, "the results CSV to resume", MAX_LINE_BYTES,
			NOT_OURS))
		{
			final TextRecords.Line first = records.next();
			if (first == null) {
				if (!isHeaderStart(file, header))
					throw new DeepClassException("cannot resume into '" + file + "': it is not a DeepClass " +
						"results file (no header line). Choose another save_csv, or untick resume to " +
						"overwrite it.");
				final ResultsCsv csv = new ResultsCsv(file, header, done, List.of(), records
					.unfinishedBytes(), false);
				csv.writer.write(line(header));
				csv.flush();
				return csv;
			}
			final List<String> columns = cells(first);
			if (!columns.equals(header))
				throw new DeepClassException("cannot resume into '" + file + "': its columns (" +
					SafeNames.shown(String.join(",", columns)) + ") are not those of this model and " +
					"input (" + SafeNames.shown(String.join(",", header)) + "). Choose another " +
					"save_csv, or untick resume to overwrite it.");
			final int trueColumn = header.indexOf("true_class");
			long end = first.end();
			for (TextRecords.Line row; (row = records.next()) != null;) {
				final List<String> fields = cells(row);
				if (fields.size() != header.size())
					throw new DeepClassException("cannot resume into '" + file + "': line " + records
						.lineNumber() + " has " + fields.size() + " fields instead of " + header.size() +
						". Repair or remove that line, or untick resume to start again.");
				done.add(fields.get(0));
				final String trueClass = trueColumn < 0 ? "" : fields.get(trueColumn);
				kept.add(new KeptRow(fields.get(3), trueClass.isEmpty() ? null : trueClass));
				end = row.end();
			}
			complete = end;
			dropped = records.unfinishedBytes();
		}
		if (dropped > 0) try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
			raf.setLength(complete);
		}
		return new ResultsCsv(file, header, done, kept, dropped, true);
	}

	/** Whether the whole of {@code file} (without a line end) is the start of the header line. */
	private static boolean isHeaderStart(final Path file, final List<String> header)
		throws IOException
	{
		final byte[] expected = line(header).getBytes(StandardCharsets.UTF_8);
		final byte[] partial;
		try (InputStream in = Files.newInputStream(file)) {
			partial = in.readNBytes(expected.length + 1);
		}
		return partial.length <= expected.length && Arrays.equals(partial, 0, partial.length,
			expected, 0, partial.length);
	}

	/** A line's cells as the values written (CSV quoting and the formula guard removed). */
	private static List<String> cells(final TextRecords.Line line) {
		return line.fields().stream().map(CsvCells::text).toList();
	}

	/** The sources whose rows were in the file when it was opened to resume. */
	public Set<String> done() {
		return done;
	}

	/** The rows that were in the file when it was opened to resume, in file order. */
	public List<KeptRow> kept() {
		return kept;
	}

	/** Bytes of a half-written last line cut away when resuming (0 when there was none). */
	public long droppedBytes() {
		return droppedBytes;
	}

	public Path file() {
		return file;
	}

	/** Appends the rows and pushes them to the disk before returning. */
	public void write(final List<Row> rows) throws IOException {
		for (final Row row : rows)
			writer.write(line(fields(row, truth)));
		flush();
	}

	private void flush() throws IOException {
		writer.flush();
		stream.getFD().sync();
	}

	@Override
	public void close() throws IOException {
		writer.close();
	}

	/** @param truth whether the true_class and correct columns are there (empty when unknown) */
	static List<String> fields(final Row row, final boolean truth) {
		return ResultColumns.values(row.source(), 0, 0, row.predictedClass(), row.confidence(), row
			.probabilities(), truth, row.trueClass()).stream().map(v -> v == null ? "" : v.toString())
			.toList();
	}

	/** One CSV line, ending in a line feed (see {@link CsvCells} for text cells). */
	static String line(final List<String> fields) {
		return CsvCells.line(fields);
	}

	/** The values of one line written by {@link #line}, without its line feed. */
	static List<String> parse(final String line) {
		final List<String> fields = new ArrayList<>();
		final StringBuilder field = new StringBuilder();
		boolean quoted = false;
		for (int i = 0; i < line.length(); i++) {
			final char c = line.charAt(i);
			if (quoted) {
				if (c != '"') field.append(c);
				else if (i + 1 < line.length() && line.charAt(i + 1) == '"') field.append(line.charAt(
					++i));
				else quoted = false;
			}
			else if (c == '"') quoted = true;
			else if (c == ',') {
				fields.add(CsvCells.text(field.toString()));
				field.setLength(0);
			}
			else field.append(c);
		}
		fields.add(CsvCells.text(field.toString()));
		return fields;
	}

	/**
	 * Joins the CSVs of shards of one list into {@code out}, rows in the order of
	 * {@code sources} (the list's order); a source without a row (skipped by its shard) is left
	 * out. Every shard must have the same header.
	 *
	 * @return how many of {@code sources} had no row
	 * @throws DeepClassException when the headers differ or a row names a source not listed
	 */
	public static int merge(final List<Path> shards, final List<String> sources, final Path out)
		throws IOException
	{
		List<String> header = null;
		final Map<String, List<String>> rows = new LinkedHashMap<>();
		for (final Path shard : shards) {
			try (TextRecords records = TextRecords.csv(shard, "the shard CSV", MAX_LINE_BYTES,
				"DeepClass writes no such file: merge the CSVs the shards' tasks wrote"))
			{
				final TextRecords.Line first = records.next();
				if (first == null && records.unfinishedBytes() == 0)
					throw new DeepClassException("the shard CSV '" + shard + "' is empty.");
				if (first == null || header != null && !header.equals(cells(first)))
					throw new DeepClassException("the shard CSV '" + shard + "' has other columns than " +
						"the first shard's; were all shards classified with the same model?");
				if (header == null) header = cells(first);
				for (TextRecords.Line line; (line = records.next()) != null;) {
					final List<String> row = cells(line);
					if (row.size() != header.size())
						throw new DeepClassException("the shard CSV '" + shard + "': line " + records
							.lineNumber() + " has " + row.size() + " fields instead of " + header.size() +
							". Classify that shard again with resume.");
					rows.put(row.get(0), row);
				}
				if (records.unfinishedBytes() > 0)
					throw new DeepClassException("the shard CSV '" + shard + "' ends in a half-written " +
						"line (its task was stopped): run that task again with resume=true, then merge.");
			}
		}
		int missing = 0;
		final Path tmp = out.resolveSibling(out.getFileName() + ".part");
		try (Writer writer = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
			writer.write(line(header));
			for (final String source : sources) {
				final List<String> row = rows.remove(source);
				if (row == null) missing++;
				else writer.write(line(row));
			}
		}
		if (!rows.isEmpty()) {
			Files.delete(tmp);
			throw new DeepClassException(rows.size() + " shard rows name files that are not in the " +
				"list, e.g. '" + SafeNames.shown(rows.keySet().iterator().next()) + "'; merge with the list the shards " +
				"were cut from.");
		}
		Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING);
		return missing;
	}
}
