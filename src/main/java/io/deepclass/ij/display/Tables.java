package io.deepclass.ij.display;

import java.io.File;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import ij.measure.ResultsTable;

import io.deepclass.core.CsvCells;
import io.deepclass.core.DeepClassException;
import io.deepclass.core.SafeNames;

/**
 * Shows DeepClass tables under their titles. ImageJ finds tables by window title; headless there
 * are no windows, so the last table of each title is also kept here, where headless code and
 * tests find it.
 */
public final class Tables {

	private static final Map<String, ResultsTable> LAST = new ConcurrentHashMap<>();

	private Tables() {}

	public static void show(final ResultsTable table, final String title) {
		keep(table, title);
		if (!java.awt.GraphicsEnvironment.isHeadless()) table.show(title);
	}

	/** Keeps {@code table} as the last of its title without showing it (a script's output). */
	public static void keep(final ResultsTable table, final String title) {
		LAST.put(title, table);
	}

	/**
	 * Forgets every table kept so far, so that what {@link #last} returns afterwards was made by
	 * a later command (tests call it before each macro; a leftover must not pass for a result).
	 */
	public static void clear() {
		LAST.clear();
	}

	/** The table last shown with this title, or null. */
	public static ResultsTable last(final String title) {
		return LAST.get(title);
	}

	/**
	 * Writes {@code table} as {@code <folder>/<title>.csv} (the title made a safe file name inside
	 * the folder, see {@link SafeNames#fileName}), creating the folder; returns the file.
	 */
	public static File save(final ResultsTable table, final String title, final File folder) {
		final File file = SafeNames.in(folder.toPath(), title, ".csv").toFile();
		try {
			Files.createDirectories(folder.toPath());
			writeCsv(table, file.toPath());
		}
		catch (final IOException e) {
			throw new DeepClassException("cannot save the table '" + SafeNames.shown(title) + "' to '" +
				file + "': " + e.getMessage() + ". Choose a writable save_tables folder.", e);
		}
		return file;
	}

	/**
	 * Writes {@code table} as CSV with the numbers as ImageJ's own export formats them, but text
	 * cells written so that a spreadsheet shows them as text, never running them as formulas,
	 * and quoted as RFC 4180 says (see {@link CsvCells}); ImageJ's {@code ResultsTable.save}
	 * writes a cell like {@code =HYPERLINK(...)} or one holding a quote as it is.
	 */
	public static void writeCsv(final ResultsTable table, final Path file) throws IOException {
		final String[] headings = table.getHeadings();
		final boolean numbers = table.showRowNumbers();
		try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
			final List<String> cells = new ArrayList<>();
			if (numbers) cells.add(" ");
			cells.addAll(List.of(headings));
			out.write(CsvCells.line(cells));
			for (int row = 0; row < table.size(); row++) {
				cells.clear();
				if (numbers) cells.add(Integer.toString(row + 1));
				for (final String heading : headings)
					cells.add(heading.equals("Label") ? table.getLabel(row) : table.getStringValue(heading,
						row));
				out.write(CsvCells.line(cells));
			}
		}
	}

	/**
	 * Copies the DeepClass table last shown as {@code title} into ImageJ's "Results" table, the
	 * one table macros reach headless in plain ImageJ 1.x (its other tables are windows).
	 */
	public static ResultsTable toResults(final String title) {
		final ResultsTable table = last(title);
		if (table == null)
			throw new DeepClassException("no table '" + title + "' yet: run the DeepClass command that " +
				"makes it first (tables so far: " + String.join(", ", new java.util.TreeSet<>(LAST
					.keySet())) + ").");
		final ResultsTable results = ResultsTable.getResultsTable();
		results.reset();
		results.showRowNumbers(false);
		final String[] headings = table.getHeadings();
		for (int row = 0; row < table.size(); row++) {
			results.incrementCounter();
			for (final String heading : headings) {
				final double value = table.getValue(heading, row);
				final String text = table.getStringValue(heading, row);
				if (Double.isNaN(value) && text != null && !text.equals("NaN")) results.addValue(heading,
					text);
				else results.addValue(heading, value);
			}
		}
		if (!java.awt.GraphicsEnvironment.isHeadless()) results.show("Results");
		return results;
	}
}
