package io.deepclass.core;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Something a test needs from the machine (a display, a Debian package). On a developer's machine
 * without it the test is skipped; in CI ({@code CI=true}, set by .ci/run's caller) it fails, since
 * .ci/run installs it and a CI that goes green by skipping checks nothing.
 */
public final class CiRequirement {

	private CiRequirement() {}

	/** True when running in CI, where nothing the suite needs may be missing. */
	public static boolean inCi() {
		return "true".equalsIgnoreCase(System.getenv("CI"));
	}

	/** Skips (developer) or fails (CI) the calling test unless {@code present}. */
	public static void require(final boolean present, final String what) {
		if (present) return;
		if (inCi()) fail("CI=true but " + what + "; .ci/run must install it (a skipped test in CI " +
			"would hide a broken feature)");
		assumeTrue(false, what + " (skipped outside CI)");
	}
}
