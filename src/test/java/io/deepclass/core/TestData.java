package io.deepclass.core;

import java.util.List;
import java.util.Random;

import io.deepclass.core.bundle.ModelBundle;
import io.deepclass.core.data.ArrayImageStore;
import io.deepclass.core.data.Dataset;
import io.deepclass.core.data.ImageShape;
import io.deepclass.core.model.ArchitectureSpec;
import io.deepclass.core.pipeline.TrainingPipeline;
import io.deepclass.core.pipeline.TrainingRecipe;
import io.deepclass.core.train.TrainingSettings;

/** Small deterministic datasets that a network learns in seconds. */
public final class TestData {

	private TestData() {}

	/**
	 * Horizontal (class "horizontal") vs vertical (class "vertical") stripes of period 4, 6 or 8
	 * with random contrast and strong noise, alternating classes. Linearly separable, so every
	 * architecture, the linear one included, can learn it.
	 */
	public static Dataset stripes(final int n, final int size, final long seed) {
		return twoClasses("stripes", n, size, seed, "horizontal", "vertical", (label, random, image) -> {
			final int period = 4 + 2 * random.nextInt(3);
			final float contrast = 80 + random.nextInt(80);
			for (int y = 0; y < size; y++)
				for (int x = 0; x < size; x++) {
					final boolean on = (label == 0 ? y : x) % period < period / 2;
					image[y * size + x] = 100 + (on ? contrast : -contrast) / 2 + (float) random
						.nextGaussian() * 40;
				}
		});
	}

	/** Where {@link #blob} puts its square: top, left, side. */
	public static final int BLOB_Y = 2, BLOB_X = 9, BLOB_SIDE = 4;

	/**
	 * Noise images of {@code size x size} (at least 14); in class "blob" (odd indices) a bright
	 * square at ({@link #BLOB_X}, {@link #BLOB_Y}) is the only thing that tells the classes apart.
	 */
	public static Dataset blob(final int n, final int size, final long seed) {
		return twoClasses("blob", n, size, seed, "plain", "blob", (label, random, image) -> {
			for (int y = 0; y < size; y++)
				for (int x = 0; x < size; x++) {
					final boolean inBlob = y >= BLOB_Y && y < BLOB_Y + BLOB_SIDE && x >= BLOB_X &&
						x < BLOB_X + BLOB_SIDE;
					image[y * size + x] = 100 + (float) random.nextGaussian() * 30 + (label == 1 &&
						inBlob ? 120 : 0);
				}
		});
	}

	/** Draws one gray image of a class into {@code image}. */
	private interface ImageDrawer {

		void draw(int label, Random random, float[] image);
	}

	/** n gray images of size x size, classes alternating (even indices class 0), "name#i" sources. */
	private static Dataset twoClasses(final String name, final int n, final int size,
		final long seed, final String class0, final String class1, final ImageDrawer drawer)
	{
		final Random random = new Random(seed);
		final ImageShape shape = new ImageShape(1, size, size);
		final float[] pixels = new float[n * shape.size()];
		final float[] image = new float[shape.size()];
		final int[] labels = new int[n];
		final String[] sources = new String[n];
		for (int i = 0; i < n; i++) {
			labels[i] = i % 2;
			sources[i] = name + "#" + i;
			drawer.draw(labels[i], random, image);
			System.arraycopy(image, 0, pixels, i * shape.size(), image.length);
		}
		return new Dataset(shape, List.of(class0, class1), new ArrayImageStore(pixels, shape
			.size()), labels, sources);
	}

	/**
	 * A model of {@code architecture} trained on {@code train} through the {@link TrainingPipeline}
	 * that Train Classifier uses: normalisation fitted on {@code train}, {@code validation} may be
	 * null.
	 */
	public static ModelBundle model(final String architecture, final Dataset train,
		final Dataset validation, final TrainingSettings s)
	{
		return new TrainingPipeline(null, null).train(new TrainingRecipe(ArchitectureSpec.parse(
			architecture), s, 0), train, validation).bundle();
	}
}
