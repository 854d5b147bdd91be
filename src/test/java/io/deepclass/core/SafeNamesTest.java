package io.deepclass.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Class names and titles from someone else's file never become a path that leaves its folder. */
class SafeNamesTest {

	@TempDir
	Path dir;

	static final List<String> HOSTILE = List.of("../../x", "..", ".", "a/b", "a\\b", "/etc/passwd",
		"C:\\Windows\\x", "CON", "con.txt", "Lpt1", "nul", "x\ny", "x\0y", "\u001b[31mred", "", " ",
		"trailing. ", "x".repeat(300), "\u00e9".repeat(150), "\uD83D\uDE00".repeat(60));

	@Test
	void everyNameStaysDirectlyInsideTheFolder() {
		for (final String name : HOSTILE) {
			final String safe = SafeNames.fileName(name);
			final Path file = SafeNames.in(dir, name, ".csv");
			assertEquals(dir, file.getParent(), name);
			assertEquals(safe + ".csv", file.getFileName().toString(), name);
			assertFalse(safe.isEmpty() || safe.matches("[. ].*|.*[. ]"), name + " -> " + safe);
			assertTrue(safe.chars().noneMatch(c -> c < 0x20 || "\\/:*?\"<>|".indexOf(c) >= 0), name +
				" -> " + safe);
			assertTrue(safe.getBytes(StandardCharsets.UTF_8).length <= 200, name + " -> " + safe);
			assertFalse(List.of("CON", "PRN", "AUX", "NUL", "LPT1").contains(safe.split("\\.")[0]
				.toUpperCase()), name + " -> " + safe);
		}
		assertEquals("___.._x", SafeNames.fileName("../../x"), "one name, not a way up");
		assertEquals("_CON", SafeNames.fileName("CON"));
		assertEquals("x_y", SafeNames.fileName("x\ny"));
		assertEquals("DeepClass Results", SafeNames.fileName("DeepClass Results"), "plain names stay");
	}

	@Test
	void messagesStayOneLine() {
		assertEquals("x?y", SafeNames.shown("x\ny"));
		assertEquals(203, SafeNames.shown("x".repeat(500)).length());
	}
}
