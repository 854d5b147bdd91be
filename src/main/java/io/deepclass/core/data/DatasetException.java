package io.deepclass.core.data;

import io.deepclass.core.DeepClassException;

/** A dataset cannot be read or used as it is: no images, one class only, an empty class, a bad header. */
public class DatasetException extends DeepClassException {

	private static final long serialVersionUID = 1L;

	public DatasetException(final String message) {
		super(message);
	}

	public DatasetException(final String message, final Throwable cause) {
		super(message, cause);
	}
}
