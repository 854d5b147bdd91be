package io.deepclass.core.model;

import java.util.function.BooleanSupplier;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import io.deepclass.core.NativeMemory;
import io.deepclass.core.data.Dataset;
import io.deepclass.core.data.ImageShape;
import io.deepclass.core.data.Normalization;

/**
 * Turns dataset images into normalised NCHW batches and runs networks over them. Each batch is
 * gathered from the image store into one reused heap buffer and handed to ND4J in a single copy,
 * so any store (in memory or on disk) feeds the network the same way.
 */
public final class Batches {

	private Batches() {}

	/** Normalised features of {@code indices[from..to)} as an NCHW array. */
	public static INDArray features(final Dataset dataset, final int[] indices, final int from,
		final int to, final Normalization normalization, final float[] buffer)
	{
		final ImageShape shape = dataset.shape();
		final int n = to - from;
		final int size = shape.size();
		for (int i = 0; i < n; i++)
			dataset.images().copyTo(indices[from + i], buffer, i * size);
		normalization.apply(buffer, 0, n, shape);
		final float[] data = n * size == buffer.length ? buffer : java.util.Arrays.copyOf(buffer, n *
			size);
		return Nd4j.create(data, shape.batchShape(n), 'c');
	}

	/** One-hot labels of {@code indices[from..to)}. */
	public static INDArray oneHot(final Dataset dataset, final int[] indices, final int from,
		final int to)
	{
		final int k = dataset.numClasses();
		final float[] data = new float[(to - from) * k];
		for (int i = from; i < to; i++)
			data[(i - from) * k + dataset.label(indices[i])] = 1f;
		return Nd4j.create(data, new long[] { to - from, k }, 'c');
	}

	/**
	 * Class probabilities of every image of {@code dataset}, in inference mode.
	 *
	 * @param cancelled checked between batches; when it answers true the rows not yet computed
	 *          stay null
	 * @param progress receives the number of images done after each batch (may be null)
	 */
	public static float[][] probabilities(final Network network, final Dataset dataset,
		final Normalization normalization, final int batchSize, final BooleanSupplier cancelled,
		final java.util.function.IntConsumer progress)
	{
		final int n = dataset.size();
		final int[] order = new int[n];
		for (int i = 0; i < n; i++)
			order[i] = i;
		final float[][] result = new float[n][];
		final float[] buffer = new float[Math.min(batchSize, Math.max(n, 1)) * dataset.shape()
			.size()];
		for (int from = 0; from < n; from += batchSize) {
			if (cancelled != null && cancelled.getAsBoolean()) break;
			final int to = Math.min(n, from + batchSize);
			final INDArray output = network.output(features(dataset, order, from, to, normalization,
				buffer));
			final float[] flat = output.dup('c').data().asFloat();
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
