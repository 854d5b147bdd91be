package io.deepclass.core.onnx;

import io.deepclass.core.DeepClassException;

/**
 * An ONNX file DeepClass cannot import: {@link Unsupported} for a valid file that uses an
 * operator or attribute DeepClass does not map (naming it, the node, and what is supported),
 * {@link Invalid} for a broken file.
 */
public class OnnxException extends DeepClassException {

	private static final long serialVersionUID = 1L;

	OnnxException(final String message) {
		super(message);
	}

	OnnxException(final String message, final Throwable cause) {
		super(message, cause);
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

		Invalid(final String message, final Throwable cause) {
			super(message, cause);
		}
	}
}
