package io.deepclass.core;

import java.util.List;
import java.util.regex.Pattern;

/**
 * CSV cells that spreadsheet programs show as written. A text cell starting with {@code =},
 * {@code +}, {@code -}, {@code @}, a tab or a carriage return would be run as a formula when the
 * file is opened in Excel or LibreOffice (OWASP "CSV injection"); such a cell is written as
 * OWASP recommends: a single quote before it, the whole cell in double quotes. A cell that is a
 * plain number ({@code -0.5}, {@code 1.0E-7}) stays a number. A text cell that itself starts
 * with a single quote gets one more, so that {@link #text} gives back exactly what was written:
 * reading removes one leading single quote. Cells holding a comma, a double quote or a line
 * end are quoted as RFC 4180 says.
 */
public final class CsvCells {

	private static final Pattern NUMBER = Pattern.compile(
		"[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?|NaN|-?Infinity");

	private static final String FORMULA_STARTS = "=+-@\t\r";

	private CsvCells() {}

	/** The cell as it goes into a CSV line. */
	public static String cell(final String value) {
		final boolean guarded = guarded(value);
		final String text = guarded ? "'" + value : value;
		if (!guarded && text.indexOf(',') < 0 && text.indexOf('"') < 0 && text.indexOf('\n') < 0 &&
			text.indexOf('\r') < 0) return text;
		return '"' + text.replace("\"", "\"\"") + '"';
	}

	/** The value of a cell written by {@link #cell}, its CSV quoting already removed. */
	public static String text(final String cell) {
		return cell.startsWith("'") ? cell.substring(1) : cell;
	}

	/** One CSV line of {@link #cell}s, ending in a line feed. */
	public static String line(final List<String> values) {
		final StringBuilder line = new StringBuilder();
		for (final String value : values) {
			if (line.length() > 0) line.append(',');
			line.append(cell(value));
		}
		return line.append('\n').toString();
	}

	private static boolean guarded(final String value) {
		if (value.isEmpty()) return false;
		final char first = value.charAt(0);
		return first == '\'' || FORMULA_STARTS.indexOf(first) >= 0 && !NUMBER.matcher(value)
			.matches();
	}
}
