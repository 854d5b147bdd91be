package io.deepclass.ij;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import ij.measure.ResultsTable;

/**
 * Shows DeepClass tables under their titles. ImageJ finds tables by window title; headless there
 * are no windows, so the last table of each title is also kept here, where headless code and
 * tests find it.
 */
public final class Tables {

	private static final Map<String, ResultsTable> LAST = new ConcurrentHashMap<>();

	private Tables() {}

	public static void show(final ResultsTable table, final String title) {
		LAST.put(title, table);
		if (!java.awt.GraphicsEnvironment.isHeadless()) table.show(title);
	}

	/** The table last shown with this title, or null. */
	public static ResultsTable last(final String title) {
		return LAST.get(title);
	}
}
