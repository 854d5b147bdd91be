package io.deepclass.ij.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Choice;
import java.awt.EventQueue;
import java.awt.GraphicsEnvironment;
import java.awt.TextField;
import java.awt.Window;
import java.awt.event.ActionEvent;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ij.gui.GenericDialog;
import ij.measure.ResultsTable;
import ij.plugin.frame.Recorder;

import io.deepclass.core.CiRequirement;
import io.deepclass.core.TestData;
import io.deepclass.core.bundle.ModelFiles;
import io.deepclass.core.data.Dataset;
import io.deepclass.core.train.TrainingSettings;
import io.deepclass.ij.display.ResultTables;
import io.deepclass.ij.display.Tables;

/**
 * The Macro Recorder records what a user enters in a DeepClass dialog, and replaying the
 * recorded line runs the same command with the same result. Needs a display: CI runs it under
 * xvfb-run; without a display it is skipped, and fails in CI.
 */
@Tag("gui")
class RecordAndReplayGuiTest {

	@TempDir
	Path dir;

	@Test
	void recordedLineReplaysToTheSameResults() throws Exception {
		CiRequirement.require(!GraphicsEnvironment.isHeadless(), "there is no display (run under " +
			"xvfb-run)");
		Tables.clear();
		// the dialog offers what was entered last (kept across restarts): start from the defaults
		RememberedValuesTest.forget(SciJavaContext.get());
		final Path flat = MacroHarness.stripesFolder(dir.resolve("my images"), 8, 16, 3, true);
		final Path model = dir.resolve("model.zip");
		final Dataset train = TestData.stripes(80, 16, 1);
		ModelFiles.save(TestData.model("mlp100", train, null, TrainingSettings.defaults().withEpochs(2)
			.withBatchSize(16)), model);

		final Recorder recorder = new Recorder();
		try {
			Recorder.setCommand("Classify Images");
			final Thread plugin = new Thread(() -> new DeepClassPlugIn().run("classify"),
				"Run$_DeepClass test");
			plugin.start();
			final GenericDialog gd = Dialogs.waitFor("DeepClass: Classify Images");
			EventQueue.invokeAndWait(() -> {
				// fields in parameter order: model_file, folder, save_csv are text fields
				((TextField) gd.getStringFields().get(0)).setText(model.toString());
				((TextField) gd.getStringFields().get(1)).setText(flat.toString());
				((Choice) gd.getChoices().get(0)).select("folder");
				gd.actionPerformed(new ActionEvent(gd.getButtons()[0], ActionEvent.ACTION_PERFORMED,
					"OK"));
			});
			plugin.join(60_000);
			assertFalse(plugin.isAlive(), "the command finished");
			Recorder.saveCommand();
			final ResultsTable first = Tables.last(ResultTables.RESULTS);
			assertNotNull(first, "the dialog's run made a results table");
			assertEquals(8, first.size());

			final Matcher m = Pattern.compile("run\\(\"Classify Images\", \"(.*)\"\\);").matcher(recorder
				.getText());
			assertTrue(m.find(), "recorded: " + recorder.getText());
			final String options = m.group(1);
			assertTrue(options.contains("model_file=" + model), options);
			assertTrue(options.contains("input=folder"), options);
			assertTrue(options.contains("folder=[" + flat + "]"), "paths with spaces in brackets: " +
				options);
			assertTrue(options.contains("overlay") && !options.contains("resize"), options);

			final MacroHarness.Run replay = MacroHarness.run("run(\"Classify Images\", \"" + options
				.replace("\\", "\\\\") + "\");");
			assertTrue(replay.completed(), replay.output());
			final ResultsTable second = MacroHarness.table(ResultTables.RESULTS);
			assertFalse(first == second, "a new run");
			assertEquals(first.size(), second.size());
			for (int i = 0; i < first.size(); i++) {
				assertEquals(first.getStringValue("source", i), second.getStringValue("source", i));
				assertEquals(first.getStringValue("class", i), second.getStringValue("class", i));
				assertEquals(first.getValue("confidence", i), second.getValue("confidence", i), 1e-6);
			}
		}
		finally {
			recorder.close();
		}
	}

	/**
	 * What the Macro Recorder writes for Train Classifier: the line recorded before its dialog
	 * grouped the fields (captured then, pinned here), with the defaults and with a value changed
	 * in a group the user opened. Hidden fields are recorded as before, in the same order.
	 */
	@Test
	void trainClassifierRecordsTheLineItAlwaysDid() throws Exception {
		CiRequirement.require(!GraphicsEnvironment.isHeadless(), "there is no display (run under " +
			"xvfb-run)");
		final String defaults = "dataset=(none) folder=[] architecture=bncnn custom_architecture=[] " +
			"backbone=file backbone_file=[] strategy=features cut_at=[] input_size=0 " +
			"fine_tune_epochs=3 unfreeze=0 batchnorm=update epochs=10 batch_size=64 optimizer=sgd " +
			"learning_rate=0.0100 validation_fraction=0.200 normalization=percentile low_percentile=1 " +
			"high_percentile=99.80 class_weights=none augmentation=none seed=42 width=0 height=0 " +
			"select_channels=[] z_projection=none class_pattern=[] model_file=[] initial_model=[] " +
			"early_stopping=0 lr_schedule=constant lr_every=2 lr_factor=0.500 on_failure=stop " +
			"save_tables=[]";
		assertEquals(defaults, recordTrain(null, null, null));
		assertEquals(defaults.replace("learning_rate=0.0100", "learning_rate=0.005"), recordTrain(
			"Optimisation", "learning rate", "0.005"));
	}

	/**
	 * Opens Train Classifier's dialog from the menu, opens the group whose button names
	 * {@code group} (null: none), types {@code value} into the field labelled {@code label} (null:
	 * none), presses OK, and returns the options the Recorder wrote. The command then fails (no
	 * data), which is logged.
	 */
	private String recordTrain(final String group, final String label, final String value)
		throws Exception
	{
		RememberedValuesTest.forget(SciJavaContext.get(), "train");
		final Recorder recorder = new Recorder();
		try {
			Recorder.setCommand("Train Classifier");
			final Thread plugin = new Thread(() -> new DeepClassPlugIn().run("train"),
				"Run$_DeepClass test");
			plugin.start();
			final GenericDialog gd = Dialogs.waitFor("DeepClass: Train Classifier");
			EventQueue.invokeAndWait(() -> {
				((Choice) gd.getChoices().get(0)).select("(none)"); // whatever images are open
				final java.awt.Button button = group == null ? null : button(gd, group);
				assertTrue(group == null || button != null, "a button for " + group);
				if (button != null) for (final java.awt.event.ActionListener l : button
					.getActionListeners())
					l.actionPerformed(new ActionEvent(button, ActionEvent.ACTION_PERFORMED, ""));
				if (label != null) ((TextField) fieldAfter(gd, label)).setText(value);
				gd.actionPerformed(new ActionEvent(gd.getButtons()[0], ActionEvent.ACTION_PERFORMED,
					"OK"));
			});
			plugin.join(60_000);
			assertFalse(plugin.isAlive(), "the command finished");
			Recorder.saveCommand();
			final Matcher m = Pattern.compile("run\\(\"Train Classifier\", \"(.*)\"\\);").matcher(
				recorder.getText());
			assertTrue(m.find(), "recorded: " + recorder.getText());
			return m.group(1);
		}
		finally {
			recorder.close();
			RememberedValuesTest.forget(SciJavaContext.get(), "train");
		}
	}

	/**
	 * A value typed into a group that is closed again before OK is remembered like any other:
	 * the next dialog offers it in its (closed) group, whose button says the group was changed.
	 */
	@Test
	void hiddenFieldsAreRemembered() throws Exception {
		CiRequirement.require(!GraphicsEnvironment.isHeadless(), "there is no display (run under " +
			"xvfb-run)");
		RememberedValuesTest.forget(SciJavaContext.get(), "train");
		try {
			GenericDialog gd = openTrain();
			final GenericDialog first = gd;
			EventQueue.invokeAndWait(() -> {
				press(button(first, "Optimisation"));
				((TextField) fieldAfter(first, "learning rate")).setText("0.005");
				press(button(first, "Optimisation"));
				assertFalse(fieldAfter(first, "learning rate").isVisible(), "closed again");
				first.actionPerformed(new ActionEvent(first.getButtons()[0],
					ActionEvent.ACTION_PERFORMED, "OK"));
			});
			waitForCommand();
			gd = openTrain();
			final GenericDialog second = gd;
			final String[] seen = new String[2];
			EventQueue.invokeAndWait(() -> {
				seen[0] = ((TextField) fieldAfter(second, "learning rate")).getText();
				seen[1] = button(second, "Optimisation").getLabel();
				second.actionPerformed(new ActionEvent(second.getButtons()[1],
					ActionEvent.ACTION_PERFORMED, "Cancel"));
			});
			waitForCommand();
			assertEquals("0.005", seen[0].replaceAll("0+$", ""), "remembered while hidden");
			assertEquals("+ Optimisation (changed)", seen[1]);
		}
		finally {
			RememberedValuesTest.forget(SciJavaContext.get(), "train");
		}
	}

	private Thread command;

	private GenericDialog openTrain() throws InterruptedException {
		command = new Thread(() -> new DeepClassPlugIn().run("train"), "Run$_DeepClass test");
		command.start();
		return Dialogs.waitFor("DeepClass: Train Classifier");
	}

	private void waitForCommand() throws InterruptedException {
		command.join(60_000);
		assertFalse(command.isAlive(), "the command finished");
	}

	private static void press(final java.awt.Button b) {
		for (final java.awt.event.ActionListener l : b.getActionListeners())
			l.actionPerformed(new ActionEvent(b, ActionEvent.ACTION_PERFORMED, b.getLabel()));
	}

	/** The button in {@code c} whose label contains {@code text}, or null. */
	static java.awt.Button button(final java.awt.Container c, final String text) {
		for (final java.awt.Component k : c.getComponents()) {
			if (k instanceof java.awt.Button b && b.getLabel().contains(text)) return b;
			if (k instanceof java.awt.Container inner) {
				final java.awt.Button b = button(inner, text);
				if (b != null) return b;
			}
		}
		return null;
	}

	/** The input right after the label {@code label} (as the dialog shows it). */
	static java.awt.Component fieldAfter(final GenericDialog gd, final String label) {
		final java.awt.Component[] all = gd.getComponents();
		for (int i = 0; i < all.length - 1; i++)
			if (all[i] instanceof java.awt.Label l && l.getText().trim().equals(label)) return all[i +
				1];
		throw new AssertionError("no field labelled '" + label + "'");
	}

	/**
	 * {@code run("DeepClass System Check");} in a macro gives no options: a command without
	 * parameters must run at once, not wait on an empty dialog (seen in the first real-ImageJ run).
	 */
	@Test
	void commandWithoutParametersOpensNoDialog() throws Exception {
		CiRequirement.require(!GraphicsEnvironment.isHeadless(), "there is no display (run under " +
			"xvfb-run)");
		Tables.clear();
		final Thread plugin = new Thread(() -> new DeepClassPlugIn().run("check"),
			"Run$_DeepClass test");
		plugin.start();
		plugin.join(60_000);
		final boolean dialog = Arrays.stream(Window.getWindows()).anyMatch(w -> w.isShowing() &&
			w instanceof GenericDialog);
		Arrays.stream(Window.getWindows()).filter(w -> w instanceof GenericDialog).forEach(
			Window::dispose);
		assertFalse(dialog, "a dialog is showing");
		assertFalse(plugin.isAlive(), "the command finished");
		final ResultsTable table = Tables.last("DeepClass System Check");
		assertNotNull(table);
		assertEquals("DeepClass version", table.getStringValue("item", 0));
	}
}
