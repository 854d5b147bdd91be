package io.deepclass.core.onnx;

import io.deepclass.core.DeepClassException;

/**
 * An ONNX file DeepClass cannot import: {@link Unsupported} for a valid file that uses an
 * operator or attribute DeepClass does not map (naming it, the node, and what is supported),
 * {@link Invalid} for a broken file.
 */
public class OnnxException extends DeepClassException {

	private static final long serialVersionUID = 1L;

	/** Longest message: a file's names are the attacker's, and messages end with the fix. */
	private static final int MAX_MESSAGE = 1200;

	OnnxException(final String message) {
		super(oneLine(message));
	}

	OnnxException(final String message, final Throwable cause) {
		super(oneLine(message), cause);
	}

	/**
	 * The message as one printable line of bounded length: names from the file (or the file's own
	 * name) may hold line breaks, terminal escapes or bidirectional overrides, and DL4J's messages
	 * span several lines. A long message keeps its beginning (the file, the problem) and its end
	 * (the fix).
	 */
	static String oneLine(final String message) {
		if (message == null) return null;
		final StringBuilder b = new StringBuilder(Math.min(message.length(), 4 * MAX_MESSAGE));
		for (int k = 0; k < message.length(); k++) {
			final char ch = message.charAt(k);
			final int type = Character.getType(ch);
			if (ch == '\n' || ch == '\r' || ch == '\t') b.append(' ');
			else if (Character.isISOControl(ch) || type == Character.FORMAT ||
				type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR ||
				type == Character.SURROGATE && !validSurrogate(message, k)) b.append('?');
			else b.append(ch);
		}
		final String line = b.toString().replaceAll(" {2,}", " ").trim();
		if (line.length() <= MAX_MESSAGE) return line;
		return line.substring(0, 2 * MAX_MESSAGE / 3) + " [...] " + line.substring(line.length() -
			MAX_MESSAGE / 3);
	}

	private static boolean validSurrogate(final String s, final int k) {
		final char ch = s.charAt(k);
		return Character.isHighSurrogate(ch) ? k + 1 < s.length() && Character.isLowSurrogate(s
			.charAt(k + 1)) : k > 0 && Character.isHighSurrogate(s.charAt(k - 1));
	}

	/** A valid ONNX file with something DeepClass does not map. */
	public static final class Unsupported extends OnnxException {

		private static final long serialVersionUID = 1L;

		Unsupported(final String message) {
			super(message);
		}
	}

	/** Not a readable ONNX model. */
	public static final class Invalid extends OnnxException {

		private static final long serialVersionUID = 1L;

		Invalid(final String message) {
			super(message);
		}

		Invalid(final String message, final Throwable cause) {
			super(message, cause);
		}
	}
}
