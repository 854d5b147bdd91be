package io.deepclass.core.predict;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.RandomAccessFile;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.deepclass.core.DeepClassException;

/**
 * The results CSV of a batch classification, written a batch at a time so that a crash loses at
 * most the batch in progress: the columns of the "DeepClass Results" table (source, slice, roi,
 * class, confidence, p_&lt;class&gt; per class, then true_class and correct when the truth is
 * known), one row per file, probabilities with full float precision. Opened to resume, it keeps
 * the rows already there, drops a half-written last line (a killed run) and says which files
 * are done. Fields holding a comma or a quote are quoted as RFC 4180 says.
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

	/** The header line's fields for a model's classes. */
	public static List<String> header(final List<String> classNames, final boolean truth) {
		final List<String> header = new ArrayList<>(List.of("source", "slice", "roi", "class",
			"confidence"));
		for (final String name : classNames)
			header.add("p_" + name);
		if (truth) header.addAll(List.of("true_class", "correct"));
		return header;
	}

	/**
	 * Opens {@code file} for writing rows under {@code header}. Without {@code resume}, or when
	 * the file does not exist or is empty, it is (re)written with the header; with
	 * {@code resume}, its complete rows are kept (see {@link #done()}) and an unfinished last line
	 * is cut away.
	 *
	 * @throws DeepClassException when the file to resume has another header or a damaged row
	 */
	public static ResultsCsv open(final Path file, final List<String> header, final boolean resume)
		throws IOException
	{
		if (!resume || !Files.exists(file) || Files.size(file) == 0) {
			final ResultsCsv csv = new ResultsCsv(file, header, new HashSet<>(), List.of(), 0,
				false);
			csv.writer.write(line(header));
			csv.flush();
			return csv;
		}
		// check that the file is ours before changing a byte of it: only then cut away a
		// half-written last line (a killed run)
		final long complete = completeLength(file);
		final long dropped = Files.size(file) - complete;
		final Set<String> done = new HashSet<>();
		final List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
		if (dropped > 0 && !lines.isEmpty()) lines.remove(lines.size() - 1); // the unfinished line
		if (lines.isEmpty()) {
			final String partial = Files.readString(file, StandardCharsets.UTF_8);
			if (!line(header).startsWith(partial))
				throw new DeepClassException("cannot resume into '" + file + "': it is not a DeepClass " +
					"results file (no header line). Choose another save_csv, or untick resume to " +
					"overwrite it.");
			final ResultsCsv csv = new ResultsCsv(file, header, done, List.of(), dropped, false);
			csv.writer.write(line(header));
			csv.flush();
			return csv;
		}
		if (!parse(lines.get(0)).equals(header))
			throw new DeepClassException("cannot resume into '" + file + "': its columns (" + lines.get(
				0) + ") are not those of this model and input (" + String.join(",", header) + "). " +
				"Choose another save_csv, or untick resume to overwrite it.");
		final List<KeptRow> kept = new ArrayList<>();
		final int trueColumn = header.indexOf("true_class");
		for (int number = 2; number <= lines.size(); number++) {
			final List<String> fields = parse(lines.get(number - 1));
			if (fields.size() != header.size())
				throw new DeepClassException("cannot resume into '" + file + "': line " + number +
					" has " + fields.size() + " fields instead of " + header.size() + ". Repair or " +
					"remove that line, or untick resume to start again.");
			done.add(fields.get(0));
			final String trueClass = trueColumn < 0 ? "" : fields.get(trueColumn);
			kept.add(new KeptRow(fields.get(3), trueClass.isEmpty() ? null : trueClass));
		}
		if (dropped > 0) try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
			raf.setLength(complete);
		}
		return new ResultsCsv(file, header, done, kept, dropped, true);
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
		final List<String> fields = new ArrayList<>(List.of(row.source(), "0", "0", row
			.predictedClass(), Float.toString(row.confidence())));
		for (final float p : row.probabilities())
			fields.add(Float.toString(p));
		if (truth) {
			fields.add(row.trueClass() == null ? "" : row.trueClass());
			fields.add(row.trueClass() == null ? "" : row.trueClass().equals(row.predictedClass())
				? "1" : "0");
		}
		return fields;
	}

	/** One CSV line, ending in a line feed. */
	static String line(final List<String> fields) {
		final StringBuilder line = new StringBuilder();
		for (final String field : fields) {
			if (line.length() > 0) line.append(',');
			if (field.indexOf(',') >= 0 || field.indexOf('"') >= 0) line.append('"').append(field
				.replace("\"", "\"\"")).append('"');
			else line.append(field);
		}
		return line.append('\n').toString();
	}

	/** The fields of one line written by {@link #line}. */
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
				fields.add(field.toString());
				field.setLength(0);
			}
			else field.append(c);
		}
		fields.add(field.toString());
		return fields;
	}

	/** The length of {@code file} up to and including its last line feed. */
	private static long completeLength(final Path file) throws IOException {
		try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
			final byte[] block = new byte[8192];
			long end = raf.length();
			while (end > 0) {
				final int n = (int) Math.min(block.length, end);
				raf.seek(end - n);
				raf.readFully(block, 0, n);
				for (int i = n - 1; i >= 0; i--)
					if (block[i] == '\n') return end - n + i + 1;
				end -= n;
			}
			return 0;
		}
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
		String header = null;
		final Map<String, String> rows = new LinkedHashMap<>();
		for (final Path shard : shards) {
			final List<String> lines = Files.readAllLines(shard, StandardCharsets.UTF_8);
			if (lines.isEmpty()) throw new DeepClassException("the shard CSV '" + shard + "' is empty.");
			if (header == null) header = lines.get(0);
			else if (!header.equals(lines.get(0)))
				throw new DeepClassException("the shard CSV '" + shard + "' has other columns than the " +
					"first shard's; were all shards classified with the same model?");
			for (final String row : lines.subList(1, lines.size()))
				rows.put(parse(row).get(0), row);
		}
		int missing = 0;
		final Path tmp = out.resolveSibling(out.getFileName() + ".part");
		try (Writer writer = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
			writer.write(header + "\n");
			for (final String source : sources) {
				final String row = rows.remove(source);
				if (row == null) missing++;
				else writer.write(row + "\n");
			}
		}
		if (!rows.isEmpty()) {
			Files.delete(tmp);
			throw new DeepClassException(rows.size() + " shard rows name files that are not in the " +
				"list, e.g. '" + rows.keySet().iterator().next() + "'; merge with the list the shards " +
				"were cut from.");
		}
		Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
		return missing;
	}
}
