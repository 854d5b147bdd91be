package io.deepclass.ij.bridge;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;

import org.scijava.event.EventHandler;
import org.scijava.log.LogService;
import org.scijava.module.Module;
import org.scijava.module.event.ModuleCanceledEvent;
import org.scijava.module.event.ModuleErroredEvent;
import org.scijava.module.event.ModuleFinishedEvent;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.service.AbstractService;
import org.scijava.service.SciJavaService;
import org.scijava.service.Service;

/**
 * How a DeepClass command run through SciJava's {@code CommandService} ends, however it ends:
 * the thread gets its class loader back ({@link DeepClassPreprocessor} replaced it), and an error
 * becomes the one line the menu bridge shows ("Train Classifier: ..."), logged as an error in
 * place of SciJava's "Command errored" and stack trace; a bug's trace is still logged for the
 * report. The exception still reaches the caller (the Future), so a script stops there.
 */
@Plugin(type = Service.class)
public class DeepClassRunService extends AbstractService implements SciJavaService {

	@Parameter(required = false)
	private LogService log;

	/** The class loader each running DeepClass module's thread had before. */
	private final Map<Module, ClassLoader> previous = Collections.synchronizedMap(
		new IdentityHashMap<>());

	/** Prepares the thread for {@code module} (see {@link CommandCalls#enter}). */
	void enter(final Module module) {
		previous.put(module, CommandCalls.enter());
	}

	private void leave(final Module module) {
		final ClassLoader loader = previous.remove(module);
		if (loader != null) CommandCalls.leave(loader);
	}

	@EventHandler
	protected void onEvent(final ModuleFinishedEvent event) {
		leave(event.getModule());
	}

	@EventHandler
	protected void onEvent(final ModuleCanceledEvent event) {
		leave(event.getModule());
	}

	@EventHandler
	protected void onEvent(final ModuleErroredEvent event) {
		final Module module = event.getModule();
		if (!CommandCalls.isDeepClass(module.getInfo())) return;
		leave(module);
		if (log == null) return;
		final String title = CommandCalls.title(module.getInfo());
		final Throwable error = event.getException();
		if (CommandCalls.isBug(error)) log.error(CommandCalls.bugReport(title, error));
		log.error(title + ": " + CommandCalls.errorMessage(error));
		event.consume();
	}
}
