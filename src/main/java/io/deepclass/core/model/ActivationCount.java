package io.deepclass.core.model;

import java.util.function.Function;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import io.deepclass.core.data.ImageShape;

/**
 * How many values a network's layers output, all together, for one image in inference mode:
 * measured by running one blank image through it, once per image shape.
 */
final class ActivationCount {

	/** The network's inference-mode outputs of every layer (the input included) for a batch. */
	private final Function<INDArray, Iterable<INDArray>> feedForward;

	private ImageShape shape;

	private long perImage;

	ActivationCount(final Function<INDArray, Iterable<INDArray>> feedForward) {
		this.feedForward = feedForward;
	}

	synchronized long perImage(final ImageShape imageShape) {
		if (!imageShape.equals(shape)) {
			long sum = 0;
			for (final INDArray activation : feedForward.apply(Nd4j.zeros(imageShape.batchShape(1))))
				sum += activation.length();
			shape = imageShape;
			perImage = sum;
		}
		return perImage;
	}
}
