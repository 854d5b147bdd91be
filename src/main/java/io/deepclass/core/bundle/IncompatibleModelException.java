package io.deepclass.core.bundle;

import io.deepclass.core.DeepClassException;

/** Images do not fit what a model expects (size, channels). */
public class IncompatibleModelException extends DeepClassException {

	private static final long serialVersionUID = 1L;

	public IncompatibleModelException(final String message) {
		super(message);
	}
}
