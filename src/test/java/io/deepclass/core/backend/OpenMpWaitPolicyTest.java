package io.deepclass.core.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;

import org.junit.jupiter.api.Test;

/**
 * The process's C environment (what OpenMP reads when ND4J loads) gets a wait policy, PASSIVE or
 * the one the user set before starting; only a busy machine asks for it.
 */
class OpenMpWaitPolicyTest {

	@Test
	void onlyABusyMachineGetsSleepingThreads() {
		assertTrue(OpenMpWaitPolicy.busy(2.0, 2));
		assertTrue(OpenMpWaitPolicy.busy(17.3, 2));
		assertFalse(OpenMpWaitPolicy.busy(1.2, 2));
		assertFalse(OpenMpWaitPolicy.busy(-1, 2), "load unknown: OpenMP's default");
	}

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
