package io.deepclass.ij.bridge;

import org.scijava.Priority;
import org.scijava.module.Module;
import org.scijava.module.process.AbstractPreprocessorPlugin;
import org.scijava.module.process.PreprocessorPlugin;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Before a DeepClass command runs through SciJava's {@code CommandService} (a script with
 * {@code #@ CommandService}, pyimagej's {@code ij.command().run}), does what the menu bridge does:
 * DeepClass's class loader and native backend (see {@link CommandCalls#enter}), and the inputs
 * the caller left out get what a macro leaving them out gets (flags false, the current image,
 * the command's defaults; a required one missing, or a value outside the choices, stops the run
 * with one line). Other commands are left alone.
 * <p>
 * Its priority puts it after SciJava's service injection and initializers
 * ({@code InitPreprocessor}, {@link Priority#HIGH}) and before the inputs are loaded from the
 * preferences or asked for in a dialog ({@code LoadInputsPreprocessor}, {@code InputHarvester},
 * {@link Priority#VERY_LOW}): so a script's result depends only on what it passes, as a macro's.
 */
@Plugin(type = PreprocessorPlugin.class, priority = Priority.NORMAL)
public class DeepClassPreprocessor extends AbstractPreprocessorPlugin {

	@Parameter(required = false)
	private DeepClassRunService runs;

	@Override
	public void process(final Module module) {
		if (!CommandCalls.isDeepClass(module.getInfo())) return;
		if (runs != null) runs.enter(module);
		else CommandCalls.leave(CommandCalls.enter()); // the backend at least
		CommandCalls.completeInputs(module);
	}
}
