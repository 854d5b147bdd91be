package io.deepclass.gate;

import ij.IJ;
import ij.Macro;
import ij.macro.Interpreter;
import ij.plugin.PlugIn;

/**
 * What {@code plugins.config} names for every DeepClass menu entry. Compiled for Java 8 (the
 * rest of DeepClass needs 17), so that a Fiji still running on Java 8 shows one line saying so
 * instead of an {@code UnsupportedClassVersionError}; on Java 17 or newer it hands the entry's
 * key to {@code io.deepclass.ij.bridge.DeepClassPlugIn}, the bridge to DeepClass's commands.
 */
public class DeepClassMenu implements PlugIn {

	static final int REQUIRED_JAVA = 17;

	static final String BRIDGE = "io.deepclass.ij.bridge.DeepClassPlugIn";

	@Override
	public void run(final String arg) {
		final String version = System.getProperty("java.specification.version", "?");
		if (javaRelease(version) < REQUIRED_JAVA) {
			fail(tooOld(version));
			return;
		}
		final PlugIn bridge;
		try {
			bridge = (PlugIn) Class.forName(BRIDGE, true, DeepClassMenu.class.getClassLoader())
				.getDeclaredConstructor().newInstance();
		}
		catch (final ReflectiveOperationException | LinkageError e) {
			fail("DeepClass is not completely installed (" + e + "). Run Help > Update..., make " +
				"sure the DeepClass update site is active, apply changes and restart Fiji.");
			return;
		}
		bridge.run(arg);
	}

	/** The one line a Fiji on an older Java shows. */
	static String tooOld(final String version) {
		return "DeepClass needs Java " + REQUIRED_JAVA + " or newer: update Fiji (this one runs " +
			"Java " + version + "; the current Fiji from https://fiji.sc comes with Java 21).";
	}

	/** The release number of a java.specification.version: "1.8" is 8, "17" is 17. */
	static int javaRelease(final String specification) {
		final String s = specification.startsWith("1.") ? specification.substring(2) : specification;
		final int dot = s.indexOf('.');
		try {
			return Integer.parseInt(dot < 0 ? s : s.substring(0, dot));
		}
		catch (final NumberFormatException e) {
			return 0;
		}
	}

	private static void fail(final String message) {
		if (java.awt.GraphicsEnvironment.isHeadless() || IJ.getInstance() == null) IJ.log(message);
		else IJ.error("DeepClass", message);
		if (Interpreter.getInstance() != null) {
			Interpreter.abort();
			Macro.abort();
		}
	}
}
