package io.deepclass.ij.bridge;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ij.Menus;

/**
 * Lets {@code run("Train Classifier", ...)} work in plain ImageJ 1.x on a machine without a
 * display ({@code java.awt.headless=true}). ImageJ 1.x builds its command table only together
 * with its AWT menu bar, which cannot exist headless, so {@code IJ.run} fails for every plugin
 * there; Fiji's ImageJ-legacy works around the same limitation by patching ImageJ. Here the
 * command table is created and filled with ImageJ's built-in commands listed in its IJ_Props.txt
 * (so that {@code saveAs("PNG", ...)} and the like work) and DeepClass's own plugins.config
 * entries; nothing else of ImageJ is changed, and nothing happens when ImageJ already has its
 * commands.
 */
public final class HeadlessImageJ {

	/** A built-in command in ImageJ's IJ_Props.txt: {@code save10="PNG...",ij.plugin.filter.Writer("png")}. */
	private static final Pattern BUILT_IN = Pattern.compile("^[a-z_]+\\d+=\"([^\"]+)\",(\\S.*)$");

	private static final Pattern ENTRY = Pattern.compile(
		"^\\s*[^#,][^,]*,\\s*\"([^\"]+)\"\\s*,\\s*(\\S.*?)\\s*$");

	private HeadlessImageJ() {}

	/** The menu label to plugin-call entries of DeepClass's plugins.config. */
	public static Map<String, String> menuEntries() throws IOException {
		final Map<String, String> entries = new LinkedHashMap<>();
		try (InputStream in = HeadlessImageJ.class.getResourceAsStream("/plugins.config")) {
			if (in == null) throw new IOException("plugins.config is missing from the DeepClass jar");
			final BufferedReader reader = new BufferedReader(new InputStreamReader(in,
				StandardCharsets.UTF_8));
			for (String line = reader.readLine(); line != null; line = reader.readLine()) {
				final Matcher m = ENTRY.matcher(line);
				if (m.matches()) entries.put(m.group(1), m.group(2));
			}
		}
		return entries;
	}

	private static void addBuiltIns(final Map<String, String> commands) throws IOException {
		try (InputStream in = Menus.class.getResourceAsStream("/IJ_Props.txt")) {
			if (in == null) return;
			final BufferedReader reader = new BufferedReader(new InputStreamReader(in,
				StandardCharsets.ISO_8859_1));
			for (String line = reader.readLine(); line != null; line = reader.readLine()) {
				final Matcher m = BUILT_IN.matcher(line.trim());
				if (m.matches()) commands.putIfAbsent(m.group(1), m.group(2));
			}
		}
	}

	/** Makes DeepClass's commands runnable by {@code IJ.run} when ImageJ has no command table. */
	@SuppressWarnings("unchecked")
	public static synchronized void install() throws IOException {
		Hashtable<String, String> commands = Menus.getCommands();
		if (commands == null) {
			try {
				final Field table = Menus.class.getDeclaredField("pluginsTable");
				table.setAccessible(true);
				commands = new Hashtable<>();
				table.set(null, commands);
				addBuiltIns(commands);
			}
			catch (final ReflectiveOperationException | RuntimeException e) {
				throw new IOException("this ImageJ version cannot run DeepClass headless (" + e +
					"); use Fiji --headless or a virtual display (xvfb-run)", e);
			}
		}
		for (final Map.Entry<String, String> e : menuEntries().entrySet())
			commands.putIfAbsent(e.getKey(), e.getValue());
	}
}
