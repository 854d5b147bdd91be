package io.deepclass.ij.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandService;
import org.scijava.module.ModuleItem;

/**
 * The dialog attributes the commands declare on their parameters ({@link DialogGroups}) mean
 * something: a known group, a condition on an existing choice or checkbox and its real values,
 * a user guide page that exists; and the Help text lists every field under its group.
 */
class DialogGroupsTest {

	private static final Set<String> GROUPS = Set.of(DialogGroups.DATA, DialogGroups.OPTIMISATION,
		DialogGroups.TRANSFER, DialogGroups.ADVANCED);

	@Test
	void everyDeclaredGroupConditionAndPageIsReal() {
		int conditions = 0, grouped = 0;
		try (Context context = new Context(CommandService.class)) {
			for (final CommandInfo info : context.service(CommandService.class).getCommands()) {
				if (info.get(DeepClassPlugIn.MENU_KEY) == null) continue;
				final List<ModuleItem<?>> items = CommandCalls.userInputs(info);
				final String docs = info.get(DialogGroups.DOCS);
				if (docs != null) assertTrue(Files.isRegularFile(Path.of("docs", docs)), info.getLabel() +
					": no docs/" + docs);
				for (final ModuleItem<?> item : items) {
					final String where = info.getLabel() + " " + item.getName();
					final String group = DialogGroups.group(item);
					if (group != null) {
						assertTrue(GROUPS.contains(group), where + ": unknown group " + group);
						grouped++;
					}
					final String when = item.get(DialogGroups.SHOWN_WHEN);
					if (when == null) continue;
					conditions++;
					final String[] parts = when.split("=", 2);
					final ModuleItem<?> control = items.stream().filter(i -> i.getName().equals(parts[0]))
						.findFirst().orElse(null);
					assertNotNull(control, where + ": shown when " + parts[0] + ", which is no input");
					final List<String> values = new ArrayList<>();
					if (control.getType() == boolean.class) values.addAll(List.of("true", "false"));
					else control.getChoices().forEach(c -> values.add(c.toString()));
					for (final String v : parts[1].split("\\|"))
						assertTrue(values.contains(v), where + ": " + parts[0] + " has no value " + v +
							" (it has " + values + ")");
				}
			}
		}
		assertTrue(conditions >= 20 && grouped >= 25, conditions + " conditions, " + grouped +
			" grouped fields");
	}

	@Test
	void helpListsEveryFieldUnderItsGroup() {
		try (Context context = new Context(CommandService.class)) {
			final CommandInfo info = DeepClassPlugIn.command(context, "train");
			final List<ModuleItem<?>> items = CommandCalls.userInputs(info);
			final String html = DialogHelp.html("DeepClass: Train Classifier", info.get(
				DialogGroups.DOCS), items);
			assertTrue(html.startsWith("<html>") && html.contains("docs/training.md"), html);
			for (final ModuleItem<?> item : items)
				assertTrue(html.contains("<b>" + item.getName() + "</b>"), item.getName());
			final int data = html.indexOf("<h4>" + DialogGroups.DATA + "</h4>");
			final int optimisation = html.indexOf("<h4>" + DialogGroups.OPTIMISATION + "</h4>");
			final int transfer = html.indexOf("<h4>" + DialogGroups.TRANSFER + "</h4>");
			assertTrue(data > 0 && optimisation > data && transfer > optimisation, "the dialog's " +
				"order of groups: " + html);
			final int lr = html.indexOf("<b>learning_rate</b>");
			assertTrue(lr > optimisation && lr < transfer, "learning_rate under Optimisation");
			assertTrue(html.indexOf("<b>epochs</b>") < html.indexOf("<h4>"), "epochs first");
			assertEquals(-1, html.indexOf("<b>dataset</b>: null"));
		}
	}
}
