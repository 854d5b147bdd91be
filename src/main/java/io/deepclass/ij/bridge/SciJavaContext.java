package io.deepclass.ij.bridge;

import java.awt.GraphicsEnvironment;
import java.util.List;

import org.scijava.Context;
import org.scijava.command.CommandService;
import org.scijava.log.LogLevel;
import org.scijava.log.LogService;
import org.scijava.module.ModuleService;
import org.scijava.plugin.DefaultPluginFinder;
import org.scijava.plugin.PluginIndex;

import ij.IJ;

/**
 * The SciJava context the DeepClass commands run in: Fiji's own when DeepClass runs inside
 * Fiji (so commands share its services), otherwise a small one made on first use, as in plain
 * ImageJ 1.x. That one lives as long as ImageJ ({@link #reset} ends it).
 */
public final class SciJavaContext {

	private static Context own;

	private SciJavaContext() {}

	public static synchronized Context get() {
		final Context fiji = fijiContext();
		if (fiji != null) return fiji;
		if (own == null) {
			// find DeepClass's commands where DeepClass was loaded from (ImageJ's plugin class
			// loader in plain ImageJ), whatever the calling thread's context class loader
			final PluginIndex index = new PluginIndex(new DefaultPluginFinder(SciJavaContext.class
				.getClassLoader()));
			own = new Context(List.of(CommandService.class, ModuleService.class, LogService.class,
				DeepClassRunService.class),
				index);
			// plain ImageJ has no console for SciJava's log: show it in ImageJ's Log window
			// (headless, SciJava already prints it to the console)
			final LogService log = own.service(LogService.class);
			log.setLevel(LogLevel.INFO);
			if (!GraphicsEnvironment.isHeadless()) log.addLogListener(message -> IJ.log(message.level() >= LogLevel.INFO ? message.text()
				: LogLevel.prefix(message.level()) + ": " + message.text()));
		}
		return own;
	}

	/**
	 * Disposes of the context made here (not Fiji's), so that the next {@link #get} makes a new
	 * one: for tests, which must not see services, tables or logs of an earlier test.
	 */
	public static synchronized void reset() {
		if (own != null) own.dispose();
		own = null;
	}

	/** In Fiji, ImageJ-legacy hands out its context this way; elsewhere there is none. */
	private static Context fijiContext() {
		try {
			Class.forName("net.imagej.legacy.LegacyService");
		}
		catch (final ClassNotFoundException e) {
			return null;
		}
		final Object context = IJ.runPlugIn("org.scijava.Context", "");
		return context instanceof Context c ? c : null;
	}
}
