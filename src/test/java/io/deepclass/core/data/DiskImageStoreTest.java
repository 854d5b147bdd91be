package io.deepclass.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.deepclass.core.TestData;
import io.deepclass.core.data.Batches;
import io.deepclass.core.model.ArchitectureSpec;
import io.deepclass.core.pipeline.TrainingPipeline;
import io.deepclass.core.pipeline.TrainingRecipe;
import io.deepclass.core.train.Optimizer;
import io.deepclass.core.train.TrainingSettings;

/**
 * The disk-backed image store gives exactly what the in-memory store gives: the same images,
 * the same stratified split, the same batches for the same seed (with augmentation, and with
 * the next batch read in the background), and so the same trained network, bit for bit.
 */
class DiskImageStoreTest {

	@TempDir
	Path dir;

	private Dataset onDisk(final Dataset memory) throws IOException {
		final DiskImageStore.Writer w = DiskImageStore.writer(dir, memory.shape().size());
		for (int i = 0; i < memory.size(); i++)
			w.append(memory.image(i));
		final String[] sources = new String[memory.size()];
		final int[] depths = new int[memory.size()];
		for (int i = 0; i < memory.size(); i++) {
			sources[i] = memory.source(i);
			depths[i] = memory.bitDepth(i);
		}
		return new Dataset(memory.shape(), memory.classNames(), w.finish(), memory.labels().clone(),
			sources, depths);
	}

	@Test
	void imagesSubsetsAndViewsOfViewsReadBackExactly() throws IOException {
		final Random random = new Random(1);
		final int n = 300, size = 3 * 17 * 13; // more than one write buffer of odd-sized images
		final float[] all = new float[n * size];
		for (int i = 0; i < all.length; i++)
			all[i] = (float) random.nextGaussian() * 1000;
		final ArrayImageStore memory = new ArrayImageStore(all, size);
		final DiskImageStore.Writer w = DiskImageStore.writer(dir, size);
		final float[] image = new float[size];
		for (int i = 0; i < n; i++) {
			memory.copyTo(i, image, 0);
			w.append(image);
		}
		try (DiskImageStore disk = w.finish()) {
			assertEquals(n, disk.size());
			assertEquals((long) n * size * 4, Files.size(disk.file()));
			final float[] a = new float[size], b = new float[size];
			for (int i = 0; i < n; i += 7) {
				memory.copyTo(i, a, 0);
				disk.copyTo(i, b, 0);
				assertArrayEquals(a, b, "image " + i);
			}
			final ImageStore view = disk.subset(new int[] { 5, 299, 0, 5 });
			assertTrue(view.onDisk(), "a subset stays on disk");
			final ImageStore viewOfView = view.subset(new int[] { 1, 3 });
			memory.copyTo(299, a, 0);
			viewOfView.copyTo(0, b, 0);
			assertArrayEquals(a, b);
			memory.copyTo(5, a, 0);
			viewOfView.copyTo(1, b, 0);
			assertArrayEquals(a, b);
			assertThrows(IndexOutOfBoundsException.class, () -> disk.copyTo(n, a, 0));
			final Path file = disk.file();
			disk.close();
			assertFalse(Files.exists(file), "closing deletes the cache");
		}
	}

	@Test
	void anInterruptedReaderDoesNotBreakTheCacheForTheOthers() throws Exception {
		final Dataset disk = onDisk(TestData.stripes(8, 12, 6));
		final float[] a = new float[disk.shape().size()], b = new float[disk.shape().size()];
		disk.images().copyTo(3, a, 0);
		final Thread reader = new Thread(() -> {
			Thread.currentThread().interrupt(); // closes a FileChannel it reads from
			disk.images().copyTo(5, new float[disk.shape().size()], 0);
		});
		reader.start();
		reader.join();
		disk.images().copyTo(3, b, 0);
		assertArrayEquals(a, b, "the cache still reads after another thread was interrupted");
	}

	@Test
	void cachesLeftByAKilledJvmAreRemovedAndLivingOnesKept() throws IOException {
		final Path stale = Files.writeString(dir.resolve("deepclass-images-123.f32"), "left");
		final DiskImageStore.Writer w = DiskImageStore.writer(dir, 4);
		w.append(new float[4]);
		try (DiskImageStore living = w.finish()) {
			assertFalse(Files.exists(stale), "nobody held it: removed");
			DiskImageStore.writer(dir, 4).close();
			assertTrue(Files.exists(living.file()), "held by a living store: kept");
		}
	}

	@Test
	void anUnfinishedCacheIsDeleted() throws IOException {
		final DiskImageStore.Writer w = DiskImageStore.writer(dir, 4);
		w.append(new float[4]);
		w.close();
		try (var files = Files.list(dir)) {
			assertEquals(0, files.count());
		}
	}

	@Test
	void theSameSplitAndTheSameBatchesBatchByBatch() throws IOException {
		final Dataset memory = TestData.stripes(90, 12, 3);
		final Dataset disk = onDisk(memory);
		final DatasetSplit a = DatasetSplit.stratified(memory, 0.2, 7);
		final DatasetSplit b = DatasetSplit.stratified(disk, 0.2, 7);
		assertTrue(b.train().images().onDisk());
		assertArrayEquals(a.train().labels(), b.train().labels());
		final Normalization norm = Normalization.fit(a.train());
		final Augmentation augmentation = Augmentation.parse(Augmentation.MICROSCOPY);
		final Batches ma = new Batches(a.train(), norm, 16, augmentation, new Random(3));
		final Batches mb = new Batches(b.train(), norm, 16, augmentation, new Random(3));
		final int[] order = new int[a.train().size()];
		for (int i = 0; i < order.length; i++)
			order[i] = (i * 37) % order.length;
		int batches = 0;
		for (int from = 0; from < order.length; from += 16) {
			final int to = Math.min(order.length, from + 16);
			final float[] x = ma.features(order, from, to).dup().data().asFloat();
			final float[] y = mb.features(order, from, to).dup().data().asFloat();
			if (to < order.length) mb.prefetch(order, to, Math.min(order.length, to + 16));
			assertArrayEquals(x, y, "batch " + batches);
			assertArrayEquals(ma.oneHot(order, from, to).dup().data().asFloat(), mb.oneHot(order, from,
				to).dup().data().asFloat());
			batches++;
		}
		assertEquals(5, batches);
	}

	@Test
	void trainingOnDiskGivesTheNetworkTrainingInMemoryGives() throws IOException {
		final Dataset memory = TestData.stripes(80, 12, 4);
		final Dataset disk = onDisk(memory);
		final TrainingSettings s = TrainingSettings.defaults().withEpochs(2).withBatchSize(16)
			.withOptimizer(Optimizer.ADAM, 0.01).withSeed(9);
		final var a = new TrainingPipeline(null, null).train(new TrainingRecipe(ArchitectureSpec.parse(
			"cnn:4,dense=8"), s, 0.25), memory).bundle();
		final var b = new TrainingPipeline(null, null).train(new TrainingRecipe(ArchitectureSpec.parse(
			"cnn:4,dense=8"), s, 0.25), disk).bundle();
		assertArrayEquals(a.network().params().dup().data().asFloat(), b.network().params().dup().data()
			.asFloat(), "the same network, bit for bit");
		assertEquals(a.info().history().get(1).validationAccuracy(), b.info().history().get(1)
			.validationAccuracy());
	}

	@Test
	void convertingImagesOnDiskKeepsThemOnDisk() throws IOException {
		final Dataset memory = TestData.stripes(10, 12, 5);
		final ImageShape target = new ImageShape(3, 16, 16);
		final Dataset a = memory.converted(target), b = onDisk(memory).converted(target);
		assertTrue(b.images().onDisk());
		for (int i = 0; i < a.size(); i++)
			assertArrayEquals(a.image(i), b.image(i));
	}

	@Test
	void aCollectorOverItsMemoryBudgetKeepsImagesOnDiskAndSaysSo() {
		final String old = System.getProperty("deepclass.memory.budget");
		System.setProperty("deepclass.memory.budget", "1000");
		try {
			final LabelledImageCollector c = new LabelledImageCollector(List.of("a", "b"), new ImageShape(
				1, 8, 8)).expect(4);
			for (int i = 0; i < 4; i++)
				c.add(new DecodedImage(8, 8, 1, new float[64], 8), i % 2, "image" + i);
			final ImportResult r = c.finish("test images");
			assertTrue(r.dataset().images().onDisk());
			assertTrue(r.report().warnings().stream().anyMatch(w -> w.contains("disk cache")), r.report()
				.warnings().toString());
			final LabelledImageCollector small = new LabelledImageCollector(List.of("a", "b"),
				new ImageShape(1, 2, 2)).expect(4);
			for (int i = 0; i < 4; i++)
				small.add(new DecodedImage(2, 2, 1, new float[4], 8), i % 2, "image" + i);
			assertFalse(small.finish("tiny").dataset().images().onDisk(), "64 bytes fit in 1000");
		}
		finally {
			if (old == null) System.clearProperty("deepclass.memory.budget");
			else System.setProperty("deepclass.memory.budget", old);
		}
	}
}
