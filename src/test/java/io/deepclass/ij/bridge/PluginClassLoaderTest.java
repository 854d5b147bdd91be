package io.deepclass.ij.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import io.deepclass.ij.display.Tables;

/**
 * Plain ImageJ loads DeepClass from {@code plugins/} and {@code plugins/jars/} with its own
 * class loader, while the thread that runs a menu command has the application class loader as
 * context class loader, which does not see DeepClass. SciJava's plugin discovery and ND4J's
 * backend discovery must still find their classes (the first end-to-end run in a real ImageJ
 * failed with "No compatible service: CommandService").
 */
class PluginClassLoaderTest {

	@Test
	void theBridgeRunsACommandWhenLoadedByAPluginClassLoader() throws Exception {
		final List<URL> urls = new ArrayList<>();
		for (final String entry : System.getProperty("java.class.path").split(File.pathSeparator))
			urls.add(new File(entry).toURI().toURL());
		final Thread thread = Thread.currentThread();
		final ClassLoader previous = thread.getContextClassLoader();
		// like ImageJ's PluginClassLoader: DeepClass and its jars, invisible to the context loader
		try (URLClassLoader plugins = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader
			.getPlatformClassLoader()))
		{
			thread.setContextClassLoader(ClassLoader.getPlatformClassLoader());
			final Class<?> bridge = plugins.loadClass(DeepClassPlugIn.class.getName());
			bridge.getMethod("run", String.class).invoke(bridge.getConstructor().newInstance(),
				"check");

			final Object table = plugins.loadClass(Tables.class.getName()).getMethod("last",
				String.class).invoke(null, "DeepClass System Check");
			assertNotNull(table, "the System Check did not run: see the output above");
			final Map<String, String> rows = rows(table);
			assertEquals("loaded", rows.get("native libraries"));
			assertFalse(rows.get("backend").startsWith("none"), rows.get("backend"));
		}
		finally {
			thread.setContextClassLoader(previous);
		}
	}

	private static Map<String, String> rows(final Object table) throws Exception {
		final Class<?> type = table.getClass();
		final int size = (Integer) type.getMethod("size").invoke(table);
		final Map<String, String> rows = new LinkedHashMap<>();
		for (int row = 0; row < size; row++)
			rows.put((String) type.getMethod("getStringValue", String.class, int.class).invoke(table,
				"item", row), (String) type.getMethod("getStringValue", String.class, int.class).invoke(
					table, "value", row));
		return rows;
	}
}
