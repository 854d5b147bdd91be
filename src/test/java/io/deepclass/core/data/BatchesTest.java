package io.deepclass.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import io.deepclass.core.TestData;
import io.deepclass.core.data.Dataset;
import io.deepclass.core.data.Normalization;

/** Batches hand the network exactly the normalised pixels and labels of the asked images. */
class BatchesTest {

	/** 8x8 images are normalised on the host; 4 of 130x130 (67 600 values) by ND4J. */
	@ParameterizedTest
	@ValueSource(ints = { 8, 130 })
	void featuresAndLabelsAreTheNormalisedImagesInTheAskedOrder(final int side) {
		final Dataset data = TestData.stripes(10, side, 3);
		final Normalization normalization = Normalization.fit(data);
		final Batches batches = new Batches(data, normalization, 4);
		final int[] order = { 9, 2, 7, 0, 5, 1, 8, 3, 6, 4 };

		final INDArray first = batches.features(order, 0, 4);
		assertBatch(data, normalization, order, 0, first, batches.oneHot(order, 0, 4));
		// the next full batch reuses the native array, with the new values in it
		final INDArray second = batches.features(order, 4, 8);
		assertSame(first, second);
		assertBatch(data, normalization, order, 4, second, batches.oneHot(order, 4, 8));
		// the last, smaller batch has its own shape
		final INDArray last = batches.features(order, 8, 10);
		assertArrayEquals(new long[] { 2, 1, side, side }, last.shape());
		assertBatch(data, normalization, order, 8, last, batches.oneHot(order, 8, 10));
	}

	private static void assertBatch(final Dataset data, final Normalization normalization,
		final int[] order, final int from, final INDArray features, final INDArray labels)
	{
		final int n = (int) features.size(0);
		final int size = data.shape().size();
		final float[] actual = features.dup('c').data().asFloat();
		final float[] actualLabels = labels.dup('c').data().asFloat();
		assertEquals(n * data.numClasses(), actualLabels.length);
		for (int i = 0; i < n; i++) {
			final float[] expected = data.image(order[from + i]);
			normalization.apply(expected, 0, 1, data.shape());
			for (int j = 0; j < size; j++)
				assertEquals(expected[j], actual[i * size + j], 0f, "image " + i + " pixel " + j);
			for (int c = 0; c < data.numClasses(); c++)
				assertEquals(c == data.label(order[from + i]) ? 1f : 0f, actualLabels[i * data
					.numClasses() + c], "label row " + i);
		}
	}

	/** Only an array that is its whole row-major buffer is read without a copy. */
	@Test
	void probabilitiesAreReadWithoutACopyOnlyFromAWholeRowMajorBuffer() {
		final INDArray whole = Nd4j.rand(DataType.FLOAT, 6, 4);
		assertTrue(Batches.ownsBuffer(whole));
		assertFalse(Batches.ownsBuffer(whole.transpose()), "transposed view");
		assertFalse(Batches.ownsBuffer(whole.get(NDArrayIndex.interval(2, 4))),
			"rows 2-3, a view with an offset");
		assertFalse(Batches.ownsBuffer(whole.get(NDArrayIndex.interval(0, 3))),
			"rows 0-2, a view of part of the buffer");
		assertFalse(Batches.ownsBuffer(Nd4j.rand(DataType.FLOAT, 6, 4).dup('f')), "column-major");
	}
}
