package io.deepclass.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.deepclass.core.DeepClassException;

class ArchitectureSpecTest {

	@Test
	void parsesAndPrintsTheTextForm() {
		for (final String name : ArchitectureSpec.REFERENCE)
			assertEquals(name, ArchitectureSpec.parse(name).toString());
		final ArchitectureSpec cnn = ArchitectureSpec.parse(" CNN:32-64-128,dropout=0.5,dense=256 ");
		assertEquals("cnn", cnn.family());
		assertEquals(List.of(32, 64, 128), cnn.sizes());
		assertEquals("256", cnn.option("dense", "x"));
		assertEquals("cnn:32-64-128,dense=256,dropout=0.5", cnn.toString());
		assertEquals(cnn, ArchitectureSpec.parse(cnn.toString()));
	}

	@Test
	void unknownNamesAndOptionsListTheChoices() {
		for (final String bad : new String[] { "resnet", "mlp", "mlp:", "mlp:a-b", "cnn:0", "" }) {
			final DeepClassException e = assertThrows(DeepClassException.class, () -> ArchitectureSpec
				.parse(bad));
			assertTrue(e.getMessage().contains("bncnn") && e.getMessage().contains("mlp:256-128"), e
				.getMessage());
		}
		assertTrue(assertThrows(DeepClassException.class, () -> ArchitectureSpec.parse(
			"mlp:10,kernel=3")).getMessage().contains("mlp takes dropout"));
	}
}
