package io.deepclass.ij;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;
import org.scijava.module.ModuleItem;

import ij.measure.ResultsTable;

import io.deepclass.command.MenuEntry;

class PluginsConfigTest {

	@Test
	void pluginsConfigDeclaresEveryCommandThroughTheBridge() throws Exception {
		final Map<String, String> expected = new LinkedHashMap<>();
		for (final MenuEntry e : MenuEntry.values())
			expected.put(e.label, io.deepclass.gate.DeepClassMenu.class.getName() + "(\"" + e.key + "\")");
		assertEquals(expected, HeadlessImageJ.menuEntries());
	}

	@Test
	void everyCommandIsASciJavaCommandWithSnakeCaseKeys() {
		try (Context context = new Context(CommandService.class)) {
			final CommandService commands = context.service(CommandService.class);
			for (final MenuEntry e : MenuEntry.values()) {
				final CommandInfo info = commands.getCommand(e.command);
				assertNotNull(info, e.label);
				for (final ModuleItem<?> item : info.inputs())
					assertTrue(item.getName().matches("[a-z][a-z0-9_]*"), e.label + ": " + item.getName());
			}
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
