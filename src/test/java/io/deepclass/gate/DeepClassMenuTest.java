package io.deepclass.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class DeepClassMenuTest {

	/** A Java 8 runtime must be able to load it: class file version 52. */
	@Test
	void compiledForJava8() throws IOException {
		try (InputStream in = DeepClassMenu.class.getResourceAsStream("DeepClassMenu.class");
				DataInputStream data = new DataInputStream(in))
		{
			assertEquals(0xCAFEBABE, data.readInt());
			data.readUnsignedShort();
			assertEquals(52, data.readUnsignedShort());
		}
	}

	@Test
	void javaReleases() {
		assertEquals(8, DeepClassMenu.javaRelease("1.8"));
		assertEquals(11, DeepClassMenu.javaRelease("11"));
		assertEquals(17, DeepClassMenu.javaRelease("17"));
		assertEquals(21, DeepClassMenu.javaRelease("21.0.1"));
	}

	/** On Java 8 the menu entry logs one line and never touches the Java 17 classes. */
	@Test
	void onJava8OneLineInsteadOfTheCommand() {
		final String real = System.getProperty("java.specification.version");
		final PrintStream out = System.out;
		final ByteArrayOutputStream log = new ByteArrayOutputStream();
		System.setProperty("java.specification.version", "1.8");
		System.setOut(new PrintStream(log, true, StandardCharsets.UTF_8));
		try {
			new DeepClassMenu().run("check");
		}
		finally {
			System.setOut(out);
			System.setProperty("java.specification.version", real);
		}
		final String text = log.toString(StandardCharsets.UTF_8).trim();
		assertEquals(DeepClassMenu.tooOld("1.8"), text);
		assertTrue(text.startsWith("DeepClass needs Java 17 or newer: update Fiji"), text);
	}
}
