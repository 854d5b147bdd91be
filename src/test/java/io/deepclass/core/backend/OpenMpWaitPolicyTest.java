package io.deepclass.core.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.Locale;

import org.junit.jupiter.api.Test;

/**
 * After the backend is chosen, the process's C environment (what OpenMP reads when ND4J loads)
 * has a wait policy: PASSIVE, or the one the user set before starting.
 */
class OpenMpWaitPolicyTest {

	@Test
	void theWaitPolicyIsPassiveUnlessTheUserChoseOne() {
		final boolean linux = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains(
			"linux");
		if (!linux) return; // glibc's setenv is what this checks
		NativeBackend.select();
		final String policy = OpenMpWaitPolicy.passiveUnlessSet();
		assertNotNull(policy, "the C environment could be read and changed");
		final String user = System.getenv(OpenMpWaitPolicy.VARIABLE);
		assertEquals(user != null ? user : "PASSIVE", policy);
	}
}
