package io.deepclass.ij.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandService;
import org.scijava.log.LogLevel;
import org.scijava.log.LogService;
import org.scijava.module.Module;

import ij.measure.ResultsTable;

import io.deepclass.core.DeepClassException;
import io.deepclass.ij.display.ResultTables;
import io.deepclass.ij.display.Tables;

/**
 * Every DeepClass command run the SciJava way (a script's {@code CommandService}, pyimagej's
 * {@code ij.command().run}) against the same command run by a macro through the menu bridge: the
 * same error line for bad input, the same tables for good input, flags left out false in both.
 */
class CommandServiceTest {

	@TempDir
	static Path dir;

	static Path train, test, model;

	static Context context;

	/** What the context logged at INFO and above, and at ERROR. */
	static final List<String> logged = new ArrayList<>(), errors = new ArrayList<>();

	@BeforeAll
	static void setUp() throws IOException {
		train = MacroHarness.stripesFolder(dir.resolve("train"), 40, 16, 1, false);
		test = MacroHarness.stripesFolder(dir.resolve("test"), 20, 16, 2, false);
		model = dir.resolve("model.zip");
		context = new Context(CommandService.class, DeepClassRunService.class, LogService.class);
		final LogService log = context.service(LogService.class);
		log.addLogListener(message -> {
			synchronized (logged) {
				if (message.level() <= LogLevel.INFO) logged.add(message.text());
				if (message.level() == LogLevel.ERROR) errors.add(message.text());
			}
		});
	}

	@AfterAll
	static void tearDown() {
		context.dispose();
	}

	/** Runs the command of menu key {@code key} through CommandService, as a script does. */
	static Module run(final String key, final Map<String, Object> inputs) throws Exception {
		Tables.clear();
		synchronized (logged) {
			logged.clear();
			errors.clear();
		}
		final CommandInfo info = DeepClassPlugIn.command(context, key);
		assertNotNull(info, key);
		return context.service(CommandService.class).run(info, true, inputs).get();
	}

	/** The macro {@code run("label", "options")} through the bridge; its output. */
	static MacroHarness.Run macro(final String label, final String options) {
		return MacroHarness.run("setBatchMode(true);\nrun(\"" + label + "\", \"" + options + "\");");
	}

	/**
	 * The command fails the same way both ways: the macro stops with the line "label: ...", the
	 * script's Future fails with the DeepClassException, and SciJava's log holds that very line and
	 * no stack trace.
	 */
	static void sameError(final String key, final String label, final String options,
		final Map<String, Object> inputs)
	{
		final MacroHarness.Run bridge = macro(label, options);
		assertFalse(bridge.completed(), bridge.output());
		final String line = bridge.output().lines().filter(l -> l.startsWith(label + ": "))
			.findFirst().orElseThrow(() -> new AssertionError("no error line: " + bridge.output()));
		final ExecutionException e = assertThrows(ExecutionException.class, () -> run(key, inputs));
		// a DeepClassException, or one a command wrapped (the bridge unwraps the same)
		assertTrue(e.getCause() instanceof DeepClassException || e.getCause()
			.getCause() instanceof DeepClassException, e.getCause().toString());
		synchronized (logged) {
			assertEquals(List.of(line), errors, "the one line the bridge shows, and nothing else");
		}
	}

	/**
	 * A word that names no choice: the macro stops with the bridge's line, and a script's call
	 * fails at once listing the choices. SciJava's own conversion would leave the input unset, and
	 * the command would run with its default.
	 */
	static void wrongChoice() {
		final MacroHarness.Run bridge = macro("Classify Images", "model_file=[" + MISSING +
			"] input=everything");
		assertTrue(bridge.output().contains("Classify Images: 'everything' is not a valid input; " +
			"choose one of: slice, stack, folder, list, rois, rois in folder."), bridge.output());
		final Exception e = assertThrows(Exception.class, () -> run("classify", inputs("model_file",
			MISSING, "input", "everything")));
		assertTrue(e instanceof DeepClassException && e.getMessage().equals(
			"'everything' is not one of the choices slice, stack, folder, list, rois, rois in folder."), e.toString());
		synchronized (logged) {
			assertEquals(List.of(), errors, "nothing else logged");
		}
	}

	static Map<String, Object> inputs(final Object... keysAndValues) {
		final Map<String, Object> map = new LinkedHashMap<>();
		for (int i = 0; i < keysAndValues.length; i += 2)
			map.put((String) keysAndValues[i], keysAndValues[i + 1]);
		return map;
	}

	static final File MISSING = new File("/nonexistent/deepclass/model.zip");

	@Test
	void badInputGivesTheBridgesErrorLine() {
		sameError("import", "Import Dataset", "source=folder folder=[" + MISSING.getParent() + "]",
			inputs("source", "folder", "folder", MISSING.getParentFile()));
		sameError("train", "Train Classifier", "folder=[" + train + "] epochs=1", inputs("folder",
			train.toFile(), "epochs", 1));
		sameError("classify", "Classify Images", "model_file=[" + MISSING + "] input=folder folder=[" +
			test + "]", inputs("model_file", MISSING, "input", "folder", "folder", test.toFile()));
		wrongChoice();
		sameError("evaluate", "Evaluate Classifier", "model_file=[" + MISSING + "] folder=[" + test +
			"]", inputs("model_file", MISSING, "folder", test.toFile()));
		sameError("filters", "Visualize Filters", "view=kernels model_file=[" + MISSING + "]", inputs(
			"view", "kernels", "model_file", MISSING));
		sameError("export", "Export Model", "model_file=[" + MISSING + "]", inputs("model_file",
			MISSING));
		sameError("table", "Get DeepClass Table", "table=[" + ResultTables.RESULTS + "]", inputs(
			"table", ResultTables.RESULTS));
	}

	@Test
	void trainClassifyAndEvaluateGiveTheBridgesTables() throws Exception {
		final String trainOptions = "folder=[" + train + "] architecture=custom " +
			"custom_architecture=mlp:16 epochs=2 batch_size=8 optimizer=adam learning_rate=0.003 " +
			"validation_fraction=0.25 seed=7 width=16 height=16 model_file=[" + model + "]";
		final MacroHarness.Run trained = macro("Train Classifier", trainOptions);
		assertTrue(trained.completed(), trained.output());
		final ResultsTable bridgeHistory = MacroHarness.table(ResultTables.HISTORY);
		final Path scriptModel = dir.resolve("script-model.zip");
		final Path tables = dir.resolve("tables");
		run("train", inputs("folder", train.toFile(), "architecture",
			"custom", "custom_architecture", "mlp:16", "epochs", 2, "batch_size", 8, "optimizer",
			"adam", "learning_rate", 0.003, "validation_fraction", 0.25, "seed", 7L, "width", 16,
			"height", 16, "model_file", scriptModel.toFile(), "save_tables", tables.toFile()));
		assertTrue(Files.isRegularFile(scriptModel));
		assertEquals(columns(bridgeHistory, "train_loss", "validation_accuracy"), columns(Tables.last(
			ResultTables.HISTORY), "train_loss", "validation_accuracy"), "same seed, same training");
		assertTrue(Files.isRegularFile(tables.resolve(ResultTables.HISTORY + ".csv")),
			"save_tables is honoured: " + logged);

		final MacroHarness.Run classified = macro("Classify Images", "model_file=[" + model +
			"] input=folder folder=[" + test + "]");
		assertTrue(classified.completed(), classified.output());
		final ResultsTable bridgeResults = MacroHarness.table(ResultTables.RESULTS);
		final Module classify = run("classify", inputs("model_file", model.toFile(), "input",
			"folder", "folder", test.toFile()));
		assertEquals(Boolean.FALSE, classify.getInput("overlay"), "a flag left out is unticked, " +
			"as in a macro, though the command's default ticks it");
		assertEquals(columns(bridgeResults, "source", "class"), columns((ResultsTable) classify
			.getOutput("results"), "source", "class"));

		final MacroHarness.Run evaluated = macro("Evaluate Classifier", "model_file=[" + model +
			"] folder=[" + test + "]");
		assertTrue(evaluated.completed(), evaluated.output());
		final ResultsTable bridgeMetrics = MacroHarness.table(ResultTables.EVALUATION);
		final Module evaluate = run("evaluate", inputs("model_file", model.toFile(), "folder", test
			.toFile()));
		final ResultsTable metrics = (ResultsTable) evaluate.getOutput("metrics");
		assertEquals(bridgeMetrics.size(), metrics.size());
		assertEquals(List.of(bridgeMetrics.getHeadings()), List.of(metrics.getHeadings()));
		for (final String heading : bridgeMetrics.getHeadings())
			assertEquals(columns(bridgeMetrics, heading), columns(metrics, heading), heading);
	}

	@Test
	void systemCheckRunsBothWays() throws Exception {
		final MacroHarness.Run checked = macro("DeepClass System Check", "");
		assertTrue(checked.completed(), checked.output());
		final ResultsTable bridge = MacroHarness.table("DeepClass System Check");
		final Module module = run("check", Map.of());
		final ResultsTable script = (ResultsTable) module.getOutput("system");
		assertEquals(columns(bridge, bridge.getHeadings()[0]), columns(script, script
			.getHeadings()[0]));
	}

	/** The cells of some columns, row by row, as text. */
	static List<String> columns(final ResultsTable table, final String... headings) {
		assertNotNull(table);
		final List<String> cells = new ArrayList<>();
		for (int row = 0; row < table.size(); row++)
			for (final String heading : headings)
				cells.add(heading.equals("Label") ? table.getLabel(row) : table.getStringValue(heading,
					row));
		return cells;
	}
}
