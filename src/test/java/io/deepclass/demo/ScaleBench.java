package io.deepclass.demo;

import java.awt.image.BufferedImage;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import javax.imageio.ImageIO;

import io.deepclass.core.backend.NativeBackend;
import io.deepclass.core.data.DecodedImage;
import io.deepclass.core.data.DiskImageStore;
import io.deepclass.core.data.FolderReader;
import io.deepclass.core.data.ImageShape;
import io.deepclass.core.data.ImportResult;
import io.deepclass.core.data.LabelledImageCollector;
import io.deepclass.core.data.Normalization;
import io.deepclass.core.model.ArchitectureSpec;
import io.deepclass.core.pipeline.TrainingPipeline;
import io.deepclass.core.pipeline.TrainingRecipe;
import io.deepclass.core.train.EpochStats;
import io.deepclass.core.train.LearningRateSchedule;
import io.deepclass.core.train.Optimizer;
import io.deepclass.core.train.TrainingListener;
import io.deepclass.core.train.TrainingSettings;
import io.deepclass.ij.input.IjImageDecoder;

/**
 * The scale figures of {@code bench/scale.sh}, one job per JVM so that each has its own peak
 * memory:
 * <ul>
 * <li>{@code train <n> <size> <memory|disk> <architecture> <batches> [batch size, 64]}: n
 * synthetic 16-bit gray
 * images of size x size (4 classes: a bright blob in one quadrant, on noise) imported through
 * the collector (in memory, or in the disk cache), then one epoch (or {@code batches} batches,
 * 0 = all) of training: import images/s and training images/s;</li>
 * <li>{@code pngs <n> <size> <folder>}: writes n 8-bit PNG files in 4 class folders;</li>
 * <li>{@code read <folder>}: imports a folder of images (decoded on every core): images/s.</li>
 * </ul>
 */
public final class ScaleBench {

	private static final PrintStream OUT = System.out;

	private ScaleBench() {}

	public static void main(final String[] args) throws Exception {
		switch (args[0]) {
			case "train" -> train(Integer.parseInt(args[1]), Integer.parseInt(args[2]), args[3].equals(
				"disk"), args[4], Integer.parseInt(args[5]), args.length > 6 ? Integer.parseInt(args[6])
					: 64);
			case "pngs" -> pngs(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Path.of(args[3]));
			case "read" -> read(Path.of(args[1]));
			default -> throw new IllegalArgumentException("train, pngs or read, not " + args[0]);
		}
	}

	/** Image {@code i}: its class's quadrant brighter, 16-bit noise elsewhere. */
	private static float[] image(final int i, final int size, final Random random) {
		final float[] pixels = new float[size * size];
		final int label = i % 4, half = size / 2;
		for (int y = 0; y < size; y++)
			for (int x = 0; x < size; x++) {
				final boolean bright = (y < half) == (label < 2) && (x < half) == (label % 2 == 0);
				pixels[y * size + x] = 1000 + random.nextInt(400) + (bright ? 600 : 0);
			}
		return pixels;
	}

	private static void train(final int n, final int size, final boolean disk,
		final String architecture, final int batches, final int batch) throws Exception
	{
		NativeBackend.select();
		final Random random = new Random(1);
		final LabelledImageCollector collector = new LabelledImageCollector(List.of("a", "b", "c",
			"d"), new ImageShape(1, size, size)).expect(n);
		if (disk) collector.onDisk(DiskImageStore.defaultFolder());
		else System.setProperty("deepclass.memory.budget", Long.toString(Long.MAX_VALUE));
		long t = System.nanoTime();
		for (int i = 0; i < n; i++)
			collector.add(new DecodedImage(size, size, 1, image(i, size, random), 16), i % 4, "image" + i);
		final ImportResult imported = collector.finish("synthetic images");
		final double importRate = n / ((System.nanoTime() - t) / 1e9);
		final int limit = batches > 0 ? Math.min(n, batches * batch) : n;
		final var train = limit < n ? imported.dataset().head(limit) : imported.dataset();
		final TrainingSettings settings = new TrainingSettings(1, batch, Optimizer.ADAM, 0.001, 0.9,
			LearningRateSchedule.NONE, 42, 1000, 0);
		final double[] rate = new double[1];
		new TrainingPipeline(new TrainingListener() {

			@Override
			public void epochDone(final EpochStats stats) {
				rate[0] = stats.imagesPerSecond();
			}
		}, null).train(new TrainingRecipe(ArchitectureSpec.parse(architecture), settings, 0)
			.withNormalization(Normalization.Method.PERCENTILE, 1, 99.8), train);
		OUT.printf(Locale.ROOT, "scale: train n=%d size=%d store=%s on_disk=%s import %.0f img/s, " +
			"training %s (batch %d) on %d images: %.1f img/s%n", n, size, disk ? "disk" : "memory",
			imported.dataset().images().onDisk(), importRate, architecture, batch, train.size(), rate[0]);
	}

	private static void pngs(final int n, final int size, final Path folder) throws Exception {
		final Random random = new Random(2);
		for (int c = 0; c < 4; c++)
			Files.createDirectories(folder.resolve("class" + c));
		for (int i = 0; i < n; i++) {
			final float[] p = image(i, size, random);
			final BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
			for (int y = 0; y < size; y++)
				for (int x = 0; x < size; x++)
					image.getRaster().setSample(x, y, 0, (int) (p[y * size + x] - 1000) * 255 / 1000);
			ImageIO.write(image, "png", folder.resolve("class" + i % 4).resolve(String
				.format("%06d.png", i)).toFile());
		}
	}

	private static void read(final Path folder) throws Exception {
		final long t = System.nanoTime();
		final ImportResult r = new FolderReader(new IjImageDecoder(), null).read(folder);
		final double seconds = (System.nanoTime() - t) / 1e9;
		OUT.printf(Locale.ROOT, "scale: read %d images (%d skipped) from %s in %.1f s: %.0f img/s on " +
			"%d cores%n", r.dataset().size(), r.report().skipped().size(), folder, seconds, r.dataset()
				.size() / seconds, Runtime.getRuntime().availableProcessors());
	}
}
