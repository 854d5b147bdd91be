package io.deepclass.ij.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.deepclass.core.bundle.ModelFiles;
import io.deepclass.core.bundle.ModelInfo;

/**
 * Train Classifier's options for training that tells the truth, through real macros: going on
 * from a saved model, early stopping, a learning-rate schedule, and on_failure.
 */
class TrainingOptionsMacroTest {

	@TempDir
	Path dir;

	private String train(final Path folder, final Path model, final String options) {
		return "run(\"Train Classifier\", \"folder=[" + folder + "] architecture=mlp100 epochs=3 " +
			"batch_size=16 optimizer=sgd learning_rate=0.01 validation_fraction=0.25 seed=42 " +
			options + " model_file=[" + model + "]\");\n";
	}

	@Test
	void goOnFromASavedModelWithEarlyStoppingAndASchedule() throws Exception {
		final Path folder = MacroHarness.stripesFolder(dir.resolve("train"), 80, 16, 1, false);
		final Path first = dir.resolve("first.zip"), second = dir.resolve("second.zip");
		final MacroHarness.Run run = MacroHarness.run("setBatchMode(true);\n" + train(folder, first,
			"lr_schedule=step lr_every=1 lr_factor=0.5") + train(folder, second, "initial_model=[" +
				first + "] early_stopping=1"));
		assertTrue(run.completed(), run.output());
		final ModelInfo a = ModelFiles.load(first).info();
		assertEquals(0.01 * 0.25, a.history().get(2).learningRate(), 1e-12, "halved after epochs 1 and 2");
		final ModelInfo b = ModelFiles.load(second).info();
		assertTrue(b.history().size() > 3 && b.history().get(3).epoch() == 4, "numbered on: " + b
			.history());
		assertTrue(b.training().lineage().startsWith("continued from first.zip (3 epochs"), b
			.training().lineage());
		assertTrue(run.output().contains("going on training"), run.output());
	}

	@Test
	void aModelThatLearnedNothingStopsTheMacroUnlessToldToWarn() throws Exception {
		final Path folder = MacroHarness.stripesFolder(dir.resolve("train"), 80, 16, 1, false);
		final Path model = dir.resolve("bad.zip");
		final MacroHarness.Run stopped = MacroHarness.run("setBatchMode(true);\n" + train(folder,
			model, "learning_rate=1000 on_failure=stop").replace("learning_rate=0.01 ", "") +
			"print(\"went on\");");
		assertFalse(stopped.completed(), stopped.output());
		assertTrue(stopped.output().contains("Train Classifier: the model learned nothing") && !stopped
			.output().contains("went on"), stopped.output());
		assertTrue(java.nio.file.Files.isRegularFile(model), "saved to look at");
		final MacroHarness.Run warned = MacroHarness.run("setBatchMode(true);\n" + train(folder,
			model, "learning_rate=1000 on_failure=warn").replace("learning_rate=0.01 ", "") +
			"print(\"went on\");");
		assertTrue(warned.completed() && warned.output().contains("went on"), warned.output());
	}
}
