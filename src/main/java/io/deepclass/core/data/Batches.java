package io.deepclass.core.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;
import java.util.function.UnaryOperator;

import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

import io.deepclass.core.backend.NativeMemory;

/**
 * Turns dataset images into normalised NCHW batches and runs networks over them. Each batch is
 * gathered from the image store into a heap buffer and copied in one block into a native array
 * that is kept for the next batch of the same size, so any store (in memory or on disk) feeds
 * the network the same way. Allocating a fresh native array per batch and filling it value by
 * value, as {@code Nd4j.create(float[])} does, cost 130-450 us per 64 x 784 batch on the
 * reference machine; the block copy into a kept array costs 4 us.
 */
public final class Batches {

	private final Dataset dataset;

	private final Normalization normalization;

	/** Batches with more values than this are normalised by ND4J, smaller ones on the host. */
	static final int NATIVE_NORMALIZATION = 65536;

	private float[] pixels;

	/** Where the next batch is read in the background, for images on disk. */
	private float[] spare;

	private List<Future<?>> pending;

	private int[] pendingIndices;

	private int pendingFrom, pendingTo;

	/**
	 * Reads images on disk in the background: several reads at once, since a shuffled batch is
	 * many small random reads, which SSDs and network disks serve faster in parallel.
	 */
	static final int READERS = 8;

	private static final ExecutorService PREFETCH = Executors
		.newFixedThreadPool(READERS, r -> {
			final Thread t = new Thread(r, "deepclass-prefetch");
			t.setDaemon(true);
			return t;
		});

	private final float[] labels;

	private final int[] depths;

	private INDArray features;

	private INDArray oneHot;

	private final Augmentation augmentation;

	private final Random random;

	/** Feeds batches of up to {@code batchSize} images of {@code dataset}. */
	public Batches(final Dataset dataset, final Normalization normalization, final int batchSize) {
		this(dataset, normalization, batchSize, Augmentation.NONE, null);
	}

	/**
	 * Feeds training batches whose images are changed by {@code augmentation}, drawn from
	 * {@code random} (so the same seed gives the same batches).
	 */
	public Batches(final Dataset dataset, final Normalization normalization, final int batchSize,
		final Augmentation augmentation, final Random random)
	{
		this.augmentation = augmentation == null ? Augmentation.NONE : augmentation;
		this.random = random != null ? random : new Random(0);
		this.dataset = dataset;
		this.normalization = normalization;
		final int n = Math.max(1, Math.min(batchSize, dataset.size()));
		this.pixels = new float[n * dataset.shape().size()];
		this.labels = new float[n * Math.max(1, dataset.numClasses())];
		this.depths = new int[n];
	}

	/**
	 * Normalised features of the images {@code indices[from..to)} as an NCHW array. The array
	 * is overwritten by the next call: use it before asking for another batch.
	 */
	public INDArray features(final int[] indices, final int from, final int to) {
		final ImageShape shape = dataset.shape();
		final int n = to - from;
		final int size = shape.size();
		final boolean prefetched = pending != null && pendingIndices == indices && pendingFrom ==
			from && pendingTo == to;
		awaitPending();
		if (prefetched) {
			final float[] read = spare;
			spare = pixels;
			pixels = read;
		}
		else for (int i = 0; i < n; i++)
			dataset.images().copyTo(indices[from + i], pixels, i * size);
		// one pass on the host costs about 1 ns a value (C1 JIT), ND4J's two scalar operations
		// about 20 us each plus 0.1 ns a value: measured, the host is faster up to ~80 000 values
		if (!augmentation.none()) for (int i = 0; i < n; i++)
			augmentation.geometric(pixels, i * size, shape, random);
		final boolean nativeNormalization = augmentation.none() && normalization.method() ==
			Normalization.Method.DATASET && shape.channels() == 1 && (long) n * size >
				NATIVE_NORMALIZATION;
		if (!nativeNormalization) {
			for (int i = 0; i < n; i++)
				depths[i] = dataset.bitDepth(indices[from + i]);
			normalization.apply(pixels, 0, n, shape, depths);
			if (!augmentation.none()) for (int i = 0; i < n; i++)
				augmentation.intensity(pixels, i * size, size, random);
		}
		if (features == null || features.size(0) != n) features = Nd4j.createUninitialized(
			DataType.FLOAT, shape.batchShape(n), 'c');
		fill(features, pixels, n * size);
		if (nativeNormalization) features.subi(normalization.mean()[0]).muli(1f / normalization
			.std()[0]);
		return features;
	}

	/**
	 * For images on disk: starts reading the images {@code indices[from..to)} in the background,
	 * for the next {@link #features} call with the same arguments (the caller must not change
	 * {@code indices} until then). Does nothing for images in memory.
	 */
	public void prefetch(final int[] indices, final int from, final int to) {
		if (!dataset.images().onDisk() || to <= from) return;
		awaitPending();
		if (spare == null) spare = new float[pixels.length];
		final float[] target = spare;
		final int size = dataset.shape().size();
		pendingIndices = indices;
		pendingFrom = from;
		pendingTo = to;
		pending = new ArrayList<>();
		final int n = to - from, chunk = (n + READERS - 1) / READERS;
		for (int start = 0; start < n; start += chunk) {
			final int first = start, last = Math.min(n, start + chunk);
			pending.add(PREFETCH.submit(() -> {
				for (int i = first; i < last; i++)
					dataset.images().copyTo(indices[from + i], target, i * size);
			}));
		}
	}

	private void awaitPending() {
		if (pending == null) return;
		try {
			for (final var part : pending)
				part.get();
		}
		catch (final InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while reading images", e);
		}
		catch (final ExecutionException e) {
			throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e
				.getCause());
		}
		finally {
			pending = null;
		}
	}

	/** One-hot labels of {@code indices[from..to)}; overwritten by the next call like features. */
	public INDArray oneHot(final int[] indices, final int from, final int to) {
		final int k = dataset.numClasses();
		final int n = to - from;
		Arrays.fill(labels, 0, n * k, 0f);
		for (int i = 0; i < n; i++)
			labels[i * k + dataset.label(indices[from + i])] = 1f;
		if (oneHot == null || oneHot.size(0) != n) oneHot = Nd4j.createUninitialized(DataType.FLOAT,
			new long[] { n, k }, 'c');
		return fill(oneHot, labels, n * k);
	}

	private static INDArray fill(final INDArray target, final float[] values, final int length) {
		if (HOST_MEMORY) ((FloatPointer) target.data().pointer()).put(values, 0, length);
		// CUDA arrays live on the GPU: ND4J copies them over
		else target.assign(Nd4j.createFromArray(Arrays.copyOf(values, length)).reshape(
			target.shape()));
		return target;
	}

	/** Whether ND4J's arrays are in host memory that can be written directly (CPU backend). */
	private static final boolean HOST_MEMORY = Nd4j.getEnvironment().isCPU();

	/**
	 * True when {@code array} is the whole of its row-major buffer, so the buffer can be read
	 * without a copy (40 copies of 256 x 10 probabilities took 2-10 ms of a 10 000-image run).
	 */
	static boolean ownsBuffer(final INDArray array) {
		return array.ordering() == 'c' && !array.isView() && array.offset() == 0 && array.data()
			.length() == array.length() && Shape.hasDefaultStridesForShape(array);
	}

	/**
	 * Class probabilities of every image of {@code dataset}, in inference mode.
	 *
	 * @param network a network's inference-mode output for an NCHW batch
	 * @param cancelled checked between batches; when it answers true the rows not yet computed
	 *          stay null
	 * @param progress receives the number of images done after each batch (may be null)
	 */
	public static float[][] probabilities(final UnaryOperator<INDArray> network, final Dataset dataset,
		final Normalization normalization, final int batchSize, final BooleanSupplier cancelled,
		final IntConsumer progress)
	{
		final int n = dataset.size();
		final int[] order = new int[n];
		for (int i = 0; i < n; i++)
			order[i] = i;
		final float[][] result = new float[n][];
		final Batches batches = new Batches(dataset, normalization, batchSize);
		for (int from = 0; from < n; from += batchSize) {
			if (cancelled != null && cancelled.getAsBoolean()) break;
			final int to = Math.min(n, from + batchSize);
			final INDArray features = batches.features(order, from, to);
			if (to < n) batches.prefetch(order, to, Math.min(n, to + batchSize));
			final INDArray output = network.apply(features);
			final float[] flat = (ownsBuffer(output) ? output : output.dup('c')).data().asFloat();
			NativeMemory.trimIfDue();
			final int k = (int) output.size(1);
			for (int i = from; i < to; i++) {
				result[i] = new float[k];
				System.arraycopy(flat, (i - from) * k, result[i], 0, k);
			}
			if (progress != null) progress.accept(to);
		}
		return result;
	}
}
