package io.deepclass.core.predict;

import java.util.List;

/**
 * Per image: the predicted class (index into {@code classNames}), and the probability of every
 * class. {@code sources} trace each row back to its file, slice or ROI.
 */
public record Predictions(List<String> classNames, String[] sources, int[] predicted,
	float[][] probabilities)
{

	public int size() {
		return predicted.length;
	}

	public String predictedClass(final int index) {
		return classNames.get(predicted[index]);
	}

	/** The probability of the predicted class. */
	public float confidence(final int index) {
		return probabilities[index][predicted[index]];
	}

	/** Index of the largest probability (the first on ties). */
	static int argMax(final float[] p) {
		int best = 0;
		for (int c = 1; c < p.length; c++)
			if (p[c] > p[best]) best = c;
		return best;
	}
}
