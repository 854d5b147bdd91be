package io.deepclass.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.learning.config.Sgd;

import io.deepclass.core.data.ImageShape;

/** Inference batches are sized by what the network's activations take. */
class InferenceBatchTest {

	@Test
	void countsEveryLayersOutput() {
		// onecnn: input 1x28x28, Conv 9 5x5 valid (9x24x24), then the softmax's 10
		final Network onecnn = Architectures.build(ArchitectureSpec.parse("onecnn"), new ImageShape(1,
			28, 28), 10, 1, new Sgd(0.1));
		assertEquals(28 * 28 + 9 * 24 * 24 + 10, onecnn.activationsPerImage(new ImageShape(1, 28,
			28)));
		assertEquals(Network.MAX_INFERENCE_BATCH, onecnn.inferenceBatch(new ImageShape(1, 28, 28)));
	}

	@Test
	void largeActivationsGiveSmallerBatches() {
		final ImageShape shape = new ImageShape(1, 128, 128);
		final Network bncnn = Architectures.build(ArchitectureSpec.parse("bncnn"), shape, 4, 1,
			new Sgd(0.1));
		// 3 blocks of Conv, BatchNorm, ReLU (32, 64, 128 channels at 128, 64, 32 px), each pooled
		long expected = 128 * 128;
		for (int block = 0, channels = 32, size = 128; block < 3; block++, channels *= 2, size /= 2)
			expected += 3L * channels * size * size + (long) channels * size * size / 4;
		// 2 x (Dense 512, BatchNorm, ReLU, Dropout), then the 4 class probabilities
		expected += 2 * 4 * 512 + 4;
		assertEquals(expected, bncnn.activationsPerImage(shape));
		assertEquals(Network.INFERENCE_ACTIVATION_BYTES / (4 * expected), bncnn.inferenceBatch(shape));
	}
}
