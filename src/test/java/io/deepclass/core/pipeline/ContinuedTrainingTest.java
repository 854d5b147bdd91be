package io.deepclass.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.deepclass.core.DeepClassException;
import io.deepclass.core.TestData;
import io.deepclass.core.bundle.ModelBundle;
import io.deepclass.core.bundle.ModelFiles;
import io.deepclass.core.data.Dataset;
import io.deepclass.core.model.ArchitectureSpec;
import io.deepclass.core.train.EpochStats;
import io.deepclass.core.train.TrainingSettings;

/**
 * Training continued from a saved model file: 2 epochs, saved, loaded, 2 more, gives the weights
 * and optimiser state of one run of 4 epochs bit for bit (same data, seed and split; no dropout
 * or augmentation, whose random draws are not replayed); other classes or another input are
 * refused with one line naming the difference.
 */
class ContinuedTrainingTest {

	@TempDir
	Path dir;

	private final Dataset data = TestData.stripes(120, 12, 11);

	private static TrainingRecipe recipe(final int epochs) {
		return new TrainingRecipe(ArchitectureSpec.parse("cnn:4,dense=8,dropout=0"), TrainingSettings.defaults()
			.withEpochs(epochs).withBatchSize(16), 0.25);
	}

	@Test
	void twoRunsOfTwoEpochsAreOneRunOfFour() throws IOException {
		final TrainingPipeline pipeline = new TrainingPipeline(null, null);
		final ModelBundle once = pipeline.train(recipe(4), data).bundle();
		final Path first = dir.resolve("first.zip");
		TrainingPipeline.save(pipeline.train(recipe(2), data), first);
		final TrainedModel continued = pipeline.continueTraining(ModelFiles.load(first), "first.zip",
			recipe(2), data);
		assertEquals(once.network().params(), continued.bundle().network().params());
		assertEquals(once.network().updaterState(), continued.bundle().network().updaterState());
		final List<EpochStats> history = continued.bundle().info().history();
		assertEquals(List.of(1, 2, 3, 4), history.stream().map(EpochStats::epoch).toList());
		assertEquals(once.info().history().get(3).validationLoss(), history.get(3).validationLoss(),
			0);
		final String lineage = continued.bundle().info().training().lineage();
		assertTrue(lineage.startsWith("continued from first.zip (2 epochs, data fingerprint ") &&
			lineage.endsWith(") with 2 more on 90 images"), lineage);
		// and it survives the model file
		final Path second = dir.resolve("second.zip");
		TrainingPipeline.save(continued, second);
		assertEquals(lineage, ModelFiles.load(second).info().training().lineage());
	}

	@Test
	void otherClassesOrAnotherInputAreRefused() throws IOException {
		final Path model = dir.resolve("m.zip");
		TrainingPipeline.save(new TrainingPipeline(null, null).train(recipe(1), data), model);
		final ModelBundle loaded = ModelFiles.load(model);
		final DeepClassException classes = assertThrows(DeepClassException.class,
			() -> new TrainingPipeline(null, null).continueTraining(loaded, "m.zip", recipe(1), TestData
				.blob(40, 14, 1)));
		assertTrue(classes.getMessage().contains("its classes are [horizontal, vertical], the " +
			"images' [plain, blob]"), classes.getMessage());
		final DeepClassException size = assertThrows(DeepClassException.class,
			() -> new TrainingPipeline(null, null).continueTraining(loaded, "m.zip", recipe(1), TestData
				.stripes(40, 16, 1)));
		assertTrue(size.getMessage().contains("'m.zip': it takes"), size.getMessage());
	}
}
