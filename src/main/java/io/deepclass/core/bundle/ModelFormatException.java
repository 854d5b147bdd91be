package io.deepclass.core.bundle;

import io.deepclass.core.DeepClassException;

/** A file is not a DeepClass model, is damaged, or was written by a newer DeepClass. */
public class ModelFormatException extends DeepClassException {

	private static final long serialVersionUID = 1L;

	public ModelFormatException(final String message) {
		super(message);
	}

	public ModelFormatException(final String message, final Throwable cause) {
		super(message, cause);
	}
}
