package io.deepclass.core.cells;

import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;

import io.deepclass.core.bundle.ModelBundle;
import io.deepclass.core.data.ArrayImageStore;
import io.deepclass.core.data.Dataset;
import io.deepclass.core.data.ImageShape;
import io.deepclass.core.data.Normalization;
import io.deepclass.core.model.ArchitectureSpec;
import io.deepclass.core.model.Architectures;
import io.deepclass.core.model.Network;
import io.deepclass.core.train.Optimizer;
import io.deepclass.core.train.TrainingResult;
import io.deepclass.core.train.TrainingSettings;

/**
 * No pretrained network: the cells' patches themselves (small, each scaled by its own
 * percentiles) are what a small CNN learns from, from scratch, on every retrain. Slower to retrain
 * than a head on features and weaker with few labels, but it needs no backbone file and learns
 * what the images show rather than what ImageNet taught.
 */
public final class ScratchCells implements CellModel {

	/** Two conv blocks and a small dense layer: trains on a hundred 32 x 32 patches in a second. */
	public static final ArchitectureSpec ARCHITECTURE = ArchitectureSpec.parse("cnn:16-32,dense=64");

	private final ImageShape shape;

	private final Normalization normalization;

	/** @param shape the size and channels patches are converted to (e.g. 1 x 32 x 32) */
	public ScratchCells(final ImageShape shape) {
		this.shape = shape;
		final float[] zero = new float[shape.channels()], one = new float[shape.channels()];
		java.util.Arrays.fill(one, 1f);
		normalization = new Normalization(Normalization.Method.PERCENTILE, zero, one,
			Normalization.DEFAULT_LOW, Normalization.DEFAULT_HIGH);
	}

	@Override
	public ImageShape patchShape() {
		return shape;
	}

	@Override
	public Dataset inputs(final Dataset patches, final IntConsumer done,
		final BooleanSupplier cancel)
	{
		final int n = patches.size(), size = shape.size();
		final float[] all = new float[n * size];
		for (int i = 0; i < n; i++) {
			if (cancel != null && cancel.getAsBoolean()) return null;
			patches.images().copyTo(i, all, i * size);
			normalization.apply(all, i * size, 1, shape);
			if (done != null && ((i + 1) % 64 == 0 || i + 1 == n)) done.accept(i + 1);
		}
		final String[] sources = new String[n];
		for (int i = 0; i < n; i++)
			sources[i] = patches.source(i);
		return new Dataset(shape, patches.classNames(), new ArrayImageStore(all, size), patches
			.labels().clone(), sources);
	}

	@Override
	public Network head(final ImageShape inputs, final int classes, final long seed) {
		return Architectures.build(ARCHITECTURE, inputs, classes, seed, Optimizer.ADAM.updater(0.002,
			0));
	}

	@Override
	public TrainingSettings settings(final int labelled, final long seed) {
		final int batch = 16;
		final int epochs = Math.max(6, Math.min(30, 300 * batch / Math.max(1, labelled)));
		return TrainingSettings.defaults().withOptimizer(Optimizer.ADAM, 0.002).withBatchSize(batch)
			.withEpochs(epochs).withSeed(seed);
	}

	@Override
	public ModelBundle bundle(final TrainingResult head, final TrainingSettings settings,
		final List<String> classNames, final Dataset labelledPatches)
	{
		final ModelBundle bundle = ModelBundle.of(head, ARCHITECTURE, settings, normalization,
			labelledPatches, null);
		return new ModelBundle(bundle.network(), bundle.info().resizingInput());
	}

	@Override
	public String describe() {
		return ARCHITECTURE + " from scratch on " + shape.width() + " x " + shape.height() + " patches";
	}
}
