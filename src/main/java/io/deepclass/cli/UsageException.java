package io.deepclass.cli;

/** A command line that cannot be run as written (exit code 2); the message says what to fix. */
final class UsageException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	UsageException(final String message) {
		super(message);
	}
}
