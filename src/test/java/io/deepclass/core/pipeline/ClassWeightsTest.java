package io.deepclass.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

import io.deepclass.core.TestData;
import io.deepclass.core.bundle.ModelBundle;
import io.deepclass.core.bundle.ModelFiles;
import io.deepclass.core.data.Dataset;
import io.deepclass.core.data.DatasetChecks;
import io.deepclass.core.model.ArchitectureSpec;
import io.deepclass.core.predict.Classifier;
import io.deepclass.core.predict.EvaluationReport;
import io.deepclass.core.train.Optimizer;
import io.deepclass.core.train.TrainingSettings;

/** class_weights=balanced: the loss weighs classes n / (k x count), stored, and it helps. */
class ClassWeightsTest {

	private static final TrainingSettings SETTINGS = TrainingSettings.defaults().withEpochs(4)
		.withBatchSize(16).withOptimizer(Optimizer.ADAM, 0.003).withSeed(3);

	/** 12 "blob" images among 132: few and a tenth of the other class. */
	private static Dataset imbalanced() {
		final Dataset all = TestData.blob(240, 16, 11);
		int blobs = 0;
		final List<Integer> keep = new java.util.ArrayList<>();
		for (int i = 0; i < all.size(); i++)
			if (all.label(i) == 0 || blobs++ < 12) keep.add(i);
		return all.subset(keep.stream().mapToInt(Integer::intValue).toArray());
	}

	@Test
	void balancedWeightsAreScikitLearns() {
		final Dataset d = imbalanced();
		assertArrayEquals(new int[] { 120, 12 }, d.classCounts());
		assertArrayEquals(new float[] { 132f / (2 * 120), 132f / (2 * 12) }, TrainingPipeline
			.balancedWeights(d), 1e-6f);
	}

	@Test
	void theImportWarnsAboutSmallAndImbalancedClasses() {
		final List<String> warnings = DatasetChecks.warnings(imbalanced());
		assertTrue(warnings.contains("class 'blob' (12) has fewer than 20 images: the model will " +
			"know it poorly. Label more images, or use augmentation or a pretrained backbone."),
			warnings.toString());
		assertTrue(warnings.stream().anyMatch(w -> w.startsWith("classes are imbalanced (120 " +
			"against 12 images): train with class_weights=balanced")), warnings.toString());
	}

	@Test
	void weightsReachTheLossAndTheModelFile(@TempDir final Path dir) throws IOException {
		final Dataset train = imbalanced();
		final TrainingRecipe recipe = new TrainingRecipe(ArchitectureSpec.parse("mlp:16"), SETTINGS,
			0).withBalancedClassWeights(true);
		final ModelBundle model = new TrainingPipeline(null, null).train(recipe, train, null)
			.bundle();
		final Path file = dir.resolve("w.zip");
		ModelFiles.save(model, file);
		final ModelBundle loaded = ModelFiles.load(file);
		assertArrayEquals(TrainingPipeline.balancedWeights(train), loaded.info().training()
			.classWeights(), 1e-6f);
		final MultiLayerNetwork net = (MultiLayerNetwork) loaded.network().model();
		final LossMCXENT loss = (LossMCXENT) ((org.deeplearning4j.nn.conf.layers.OutputLayer) net
			.getLayer(net.getnLayers() - 1).conf().getLayer()).getLossFn();
		assertArrayEquals(TrainingPipeline.balancedWeights(train), loss.getWeights().toFloatVector(),
			1e-6f);
		assertNull(new TrainingPipeline(null, null).train(recipe.withBalancedClassWeights(false),
			train, null).bundle().info().training().classWeights());
	}

	@Test
	void balancedWeightsRecallTheSmallClassBetter() {
		final Dataset train = imbalanced();
		final Dataset test = TestData.blob(200, 16, 12);
		// a short run of a linear model: not enough to learn the small class from its few images
		final TrainingRecipe recipe = new TrainingRecipe(ArchitectureSpec.parse("linear"), SETTINGS
			.withEpochs(1).withBatchSize(32).withOptimizer(Optimizer.SGD, 0.002), 0);
		final double[] recall = IntStream.of(0, 1).mapToDouble(balanced -> {
			final ModelBundle m = new TrainingPipeline(null, null).train(recipe
				.withBalancedClassWeights(balanced == 1), train, null).bundle();
			return EvaluationReport.of(test, new Classifier(m).classify(test)).recall()[1];
		}).toArray();
		System.out.printf("recall of the small class: unweighted %.3f, balanced %.3f%n", recall[0],
			recall[1]);
		assertTrue(recall[1] > recall[0], "balanced " + recall[1] + " vs unweighted " + recall[0]);
	}
}
