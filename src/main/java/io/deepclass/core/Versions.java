package io.deepclass.core;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Versions of DeepClass and of the DL4J it was built against, from the build's filtered resource. */
public final class Versions {

	private static final Properties PROPERTIES = load();

	private Versions() {}

	public static String deepclass() {
		return PROPERTIES.getProperty("deepclass.version", "unknown");
	}

	public static String dl4j() {
		return PROPERTIES.getProperty("dl4j.version", "unknown");
	}

	private static Properties load() {
		final Properties properties = new Properties();
		try (InputStream in = Versions.class.getResourceAsStream("/io/deepclass/version.properties")) {
			if (in != null) properties.load(in);
		}
		catch (final IOException e) {
			// a missing version is reported as "unknown"; it never stops the plugin
		}
		return properties;
	}
}
