package io.deepclass.ij.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.File;

import org.junit.jupiter.api.Test;

import io.deepclass.command.Choices;
import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandService;
import org.scijava.module.ModuleItem;
import org.scijava.prefs.PrefService;

/**
 * What a user enters in a DeepClass dialog is kept the SciJava way (ModuleService's persisted
 * inputs in PrefService): a later context, as after a restart of Fiji, offers it again.
 */
class RememberedValuesTest {

	@Test
	void dialogValuesOutliveTheContext() throws Exception {
		final File folder = new File("/data/remembered images");
		try (Context first = new Context(CommandService.class)) {
			final CommandRunner runner = runner(first);
			forget(first);
			assertNull(runner.remembered(input(runner, "folder")), "nothing kept yet");
			runner.remember(input(runner, "folder"), folder.getPath());
			runner.remember(input(runner, "input"), "FOLDER");
			runner.remember(input(runner, "overlay"), "false");
		}
		try (Context restarted = new Context(CommandService.class)) {
			final CommandRunner runner = runner(restarted);
			try {
				assertEquals(folder, runner.remembered(input(runner, "folder")));
				assertEquals(Choices.Input.FOLDER, runner.remembered(input(runner, "input")),
					"the choice, whatever the case it was entered in");
				assertEquals(false, runner.remembered(input(runner, "overlay")));
				assertNull(runner.remembered(input(runner, "save_csv")), "never entered");
			}
			finally {
				forget(restarted);
			}
			assertNull(runner.remembered(input(runner, "folder")), "a test can forget them");
		}
	}

	private static CommandRunner runner(final Context context) {
		return new CommandRunner(context, DeepClassPlugIn.command(context, "classify"));
	}

	private static ModuleItem<?> input(final CommandRunner runner, final String name) {
		return runner.inputs().stream().filter(i -> i.getName().equals(name)).findFirst()
			.orElseThrow();
	}

	/** Clears what the dialog of Classify Images remembers. */
	static void forget(final Context context) throws ClassNotFoundException {
		forget(context, "classify");
	}

	/** Clears what the dialog of the command with this menu key remembers. */
	static void forget(final Context context, final String key) throws ClassNotFoundException {
		final CommandInfo info = DeepClassPlugIn.command(context, key);
		context.service(PrefService.class).clear(info.loadDelegateClass());
	}
}
