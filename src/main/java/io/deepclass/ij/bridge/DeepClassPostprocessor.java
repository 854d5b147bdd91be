package io.deepclass.ij.bridge;

import org.scijava.Priority;
import org.scijava.log.LogService;
import org.scijava.module.Module;
import org.scijava.module.process.AbstractPostprocessorPlugin;
import org.scijava.module.process.PostprocessorPlugin;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ij.IJ;

/**
 * After a DeepClass command ran through SciJava's {@code CommandService}, does with its tables
 * what the menu bridge does, except opening windows (a script gets them as outputs): each is kept
 * for Get DeepClass Table, and written as CSV into the command's {@code save_tables} folder.
 * Runs before SciJava displays outputs ({@code DisplayPostprocessor}, {@link Priority#VERY_LOW}).
 */
@Plugin(type = PostprocessorPlugin.class, priority = Priority.NORMAL)
public class DeepClassPostprocessor extends AbstractPostprocessorPlugin {

	@Parameter(required = false)
	private LogService log;

	@Override
	public void process(final Module module) {
		if (!CommandCalls.isDeepClass(module.getInfo())) return;
		CommandCalls.keepTables(module, false, log != null ? log::info : IJ::log);
	}
}
