package io.deepclass.ij.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;
import org.scijava.module.ModuleItem;

import ij.measure.ResultsTable;

import io.deepclass.gate.DeepClassMenu;


class PluginsConfigTest {

	/** DeepClass's commands, found as the bridge finds them: by their menu-key attribute. */
	private static List<CommandInfo> commands(final Context context) {
		return context.service(CommandService.class).getCommands().stream().filter(i -> i.get(
			DeepClassPlugIn.MENU_KEY) != null).toList();
	}

	@Test
	void pluginsConfigDeclaresEveryCommandThroughTheBridge() throws Exception {
		final Map<String, String> expected = new LinkedHashMap<>();
		try (Context context = new Context(CommandService.class)) {
			final List<CommandInfo> commands = commands(context);
			assertEquals(List.of("cells", "check", "classify", "evaluate", "export", "filters", "import",
				"table", "train"), commands.stream().map(i -> i.get(DeepClassPlugIn.MENU_KEY)).sorted()
					.toList());
			for (final CommandInfo i : commands) {
				// through the Java-version gate, which hands the key to the bridge
				expected.put(i.getLabel(), DeepClassMenu.class.getName() + "(\"" + i.get(
					DeepClassPlugIn.MENU_KEY) + "\")");
				assertEquals(i, DeepClassPlugIn.command(context, i.get(DeepClassPlugIn.MENU_KEY)));
			}
		}
		assertEquals(new java.util.TreeMap<>(expected), new java.util.TreeMap<>(HeadlessImageJ
			.menuEntries()));
	}

	@Test
	void everyCommandIsASciJavaCommandWithSnakeCaseKeys() {
		try (Context context = new Context(CommandService.class)) {
			for (final CommandInfo info : commands(context))
				for (final ModuleItem<?> item : info.inputs())
					assertTrue(item.getName().matches("[a-z][a-z0-9_]*"), info.getLabel() + ": " + item
						.getName());
		}
	}

	@Test
	void systemCheckRunsThroughTheCommandService() throws Exception {
		try (Context context = new Context(CommandService.class)) {
			final CommandModule module = context.service(CommandService.class).run(
				io.deepclass.command.SystemCheckCommand.class, true).get();
			final ResultsTable table = (ResultsTable) module.getOutput("system");
			final Map<String, String> rows = new LinkedHashMap<>();
			for (int i = 0; i < table.size(); i++)
				rows.put(table.getStringValue("item", i), table.getStringValue("value", i));
			assertEquals("loaded", rows.get("native libraries"));
			assertTrue(rows.get("backend").contains("CPU"), rows.get("backend"));
			assertTrue(rows.containsKey("DeepClass version"));
		}
	}
}
