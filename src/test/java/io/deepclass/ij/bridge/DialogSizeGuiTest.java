package io.deepclass.ij.bridge;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Button;
import java.awt.Choice;
import java.awt.Component;
import java.awt.Container;
import java.awt.Dimension;
import java.awt.EventQueue;
import java.awt.GraphicsEnvironment;
import java.awt.event.ActionEvent;
import java.awt.event.ItemEvent;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandService;
import org.scijava.module.ModuleItem;

import ij.gui.GenericDialog;

import io.deepclass.core.CiRequirement;

/**
 * Every DeepClass dialog fits a 1280 x 720 screen: opened from the menu, with its groups closed
 * and with each group open, for every value of each choice that shows or hides fields (e.g. Train
 * Classifier's architecture=pretrained, which shows the transfer fields). Needs a display.
 */
@Tag("gui")
class DialogSizeGuiTest {

	@Test
	void everyDialogFitsA1280x720Screen() throws Exception {
		CiRequirement.require(!GraphicsEnvironment.isHeadless(), "there is no display (run under " +
			"xvfb-run)");
		final List<String> seen = new ArrayList<>();
		for (final CommandInfo info : SciJavaContext.get().service(CommandService.class)
			.getCommands())
		{
			final String key = info.get(DeepClassPlugIn.MENU_KEY);
			if (key == null || CommandCalls.userInputs(info).isEmpty()) continue;
			RememberedValuesTest.forget(SciJavaContext.get(), key);
			final Thread plugin = new Thread(() -> new DeepClassPlugIn().run(key),
				"Run$_DeepClass test");
			plugin.start();
			final GenericDialog gd = Dialogs.waitFor("DeepClass: " + info.getLabel());
			try {
				for (final String state : states(gd, info))
					seen.add(info.getLabel() + " " + state);
			}
			finally {
				EventQueue.invokeAndWait(() -> gd.actionPerformed(new ActionEvent(gd.getButtons()[1],
					ActionEvent.ACTION_PERFORMED, "Cancel")));
				plugin.join(10_000);
			}
			assertFalse(plugin.isAlive(), "cancelled " + info.getLabel());
		}
		assertTrue(seen.stream().anyMatch(s -> s.startsWith("Train Classifier architecture=" +
			"pretrained Transfer")), "the transfer group was measured: " + seen);
		assertTrue(seen.size() > 30, "measured: " + seen);
		System.out.println("DialogSizeGuiTest measured:\n" + String.join("\n", seen));
	}

	/**
	 * Sets each choice that a field's visibility depends on to each of its values and opens each
	 * group in turn; checks the size every time; returns what was measured.
	 */
	private static List<String> states(final GenericDialog gd, final CommandInfo info)
		throws Exception
	{
		final Set<String> controls = new LinkedHashSet<>();
		for (final ModuleItem<?> item : info.inputs())
			if (item.get(DialogGroups.SHOWN_WHEN) != null) controls.add(item.get(
				DialogGroups.SHOWN_WHEN).split("=")[0]);
		final List<String> states = new ArrayList<>();
		states.addAll(groups(gd, "defaults"));
		for (final String control : controls) {
			final Choice choice = (Choice) RecordAndReplayGuiTest.fieldAfter(gd, control.replace('_',
				' '));
			final String first = choice.getSelectedItem();
			for (int i = 0; i < choice.getItemCount(); i++) {
				select(choice, i);
				states.addAll(groups(gd, control + "=" + choice.getSelectedItem()));
			}
			select(choice, indexOf(choice, first));
		}
		return states;
	}

	/** Measures the dialog with no group open, then with each group open (one at a time). */
	private static List<String> groups(final GenericDialog gd, final String state)
		throws Exception
	{
		final List<String> measured = new ArrayList<>();
		measured.add(fits(gd, state + " collapsed"));
		final List<Button> toggles = new ArrayList<>();
		EventQueue.invokeAndWait(() -> toggles.addAll(toggles(gd)));
		for (final Button b : toggles) {
			if (!b.isVisible()) continue;
			final String group = b.getLabel().replaceAll("^[+-] | \\(changed\\)$", "");
			press(b);
			assertTrue(b.getLabel().startsWith("- "), "open: " + b.getLabel());
			measured.add(fits(gd, state + " " + group));
			press(b);
			assertTrue(b.getLabel().startsWith("+ "), "closed again: " + b.getLabel());
		}
		return measured;
	}

	private static String fits(final GenericDialog gd, final String state) throws Exception {
		final Dimension[] size = new Dimension[1];
		EventQueue.invokeAndWait(() -> size[0] = gd.getSize());
		assertTrue(size[0].width <= 1280 && size[0].height <= 720, gd.getTitle() + " with " + state +
			" is " + size[0].width + " x " + size[0].height + ", more than 1280 x 720");
		return state + " " + size[0].width + "x" + size[0].height;
	}

	private static void press(final Button b) throws Exception {
		EventQueue.invokeAndWait(() -> {
			for (final var l : b.getActionListeners())
				l.actionPerformed(new ActionEvent(b, ActionEvent.ACTION_PERFORMED, b.getLabel()));
		});
	}

	private static void select(final Choice choice, final int index) throws Exception {
		EventQueue.invokeAndWait(() -> {
			choice.select(index);
			final ItemEvent e = new ItemEvent(choice, ItemEvent.ITEM_STATE_CHANGED, choice
				.getSelectedItem(), ItemEvent.SELECTED);
			for (final var l : choice.getItemListeners())
				l.itemStateChanged(e);
		});
	}

	private static int indexOf(final Choice choice, final String item) {
		for (int i = 0; i < choice.getItemCount(); i++)
			if (choice.getItem(i).equals(item)) return i;
		return 0;
	}

	/** The group buttons: buttons inside the dialog's panels (OK, Cancel, Help excluded). */
	private static List<Button> toggles(final Container c) {
		final List<Button> found = new ArrayList<>();
		for (final Component k : c.getComponents())
			if (k instanceof Button b && (b.getLabel().startsWith("+ ") || b.getLabel().startsWith(
				"- "))) found.add(b);
			else if (k instanceof Container inner) found.addAll(toggles(inner));
		return found;
	}
}
