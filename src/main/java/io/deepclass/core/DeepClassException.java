package io.deepclass.core;

/**
 * Base of the exceptions DeepClass throws for problems a user can fix: bad input data, an
 * incompatible or corrupt model file, a diverging training run. The message is written for the
 * user: it names the problem and the fix, and the UI layer shows it as it is.
 */
public class DeepClassException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public DeepClassException(final String message) {
		super(message);
	}

	public DeepClassException(final String message, final Throwable cause) {
		super(message, cause);
	}
}
