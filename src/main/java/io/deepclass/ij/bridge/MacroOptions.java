package io.deepclass.ij.bridge;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The option string of an ImageJ macro {@code run("Command", "key=value flag key2=[a b]")}:
 * parsed into keys and values as ImageJ's GenericDialog reads it (keys lower case, values with
 * spaces in square brackets, a bare key is a ticked checkbox), and written back the way the
 * Macro Recorder writes it.
 */
public final class MacroOptions {

	private MacroOptions() {}

	/** Keys in order of appearance; a bare key (ticked checkbox) maps to "true". */
	public static Map<String, String> parse(final String options) {
		final Map<String, String> values = new LinkedHashMap<>();
		if (options == null) return values;
		final String s = options.trim();
		int i = 0;
		while (i < s.length()) {
			while (i < s.length() && Character.isWhitespace(s.charAt(i)))
				i++;
			if (i >= s.length()) break;
			final int keyStart = i;
			while (i < s.length() && s.charAt(i) != '=' && !Character.isWhitespace(s.charAt(i)))
				i++;
			final String key = s.substring(keyStart, i).toLowerCase(Locale.ROOT);
			if (i < s.length() && s.charAt(i) == '=') {
				i++;
				final String value;
				if (i < s.length() && s.charAt(i) == '[') {
					final int close = s.indexOf(']', i + 1);
					final int end = close < 0 ? s.length() : close;
					value = s.substring(i + 1, end);
					i = Math.min(s.length(), end + 1);
				}
				else {
					final int start = i;
					while (i < s.length() && !Character.isWhitespace(s.charAt(i)))
						i++;
					value = s.substring(start, i);
				}
				values.put(key, value);
			}
			else values.put(key, "true");
		}
		return values;
	}

	/** One recorded option: {@code key=value}, {@code key=[value with spaces]}, or a bare flag. */
	public static String format(final String key, final Object value) {
		if (value instanceof Boolean flag) return flag ? key : "";
		final String text = value == null ? "" : value.toString();
		return key + "=" + (text.isEmpty() || text.contains(" ") ? "[" + text + "]" : text);
	}

	/** All options, in order, as the recorder would write them. */
	public static String format(final Map<String, ?> values) {
		final StringBuilder s = new StringBuilder();
		for (final Map.Entry<String, ?> e : values.entrySet()) {
			final String one = format(e.getKey(), e.getValue());
			if (one.isEmpty()) continue;
			if (s.length() > 0) s.append(' ');
			s.append(one);
		}
		return s.toString();
	}
}
