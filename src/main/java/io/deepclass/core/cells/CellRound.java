package io.deepclass.core.cells;

import java.util.List;

/**
 * What one retrain gave for every cell: the probability of each class, the predicted class, its
 * probability (the confidence) and the margin between the two most probable classes (how
 * unsure the head is: 0 = a tie), the predicted count per class, and how long retraining and
 * predicting took.
 */
public record CellRound(List<String> classNames, float[][] probabilities, int[] predicted,
	float[] confidence, float[] margin, int[] counts, int labelled, double seconds)
{

	/** Probabilities of every cell (rows of {@code classNames.size()}) summarised. */
	static CellRound of(final List<String> classNames, final float[][] probabilities,
		final int labelled, final double seconds)
	{
		final int n = probabilities.length, k = classNames.size();
		final int[] predicted = new int[n], counts = new int[k];
		final float[] confidence = new float[n], margin = new float[n];
		for (int i = 0; i < n; i++) {
			int best = 0, second = -1;
			for (int c = 1; c < k; c++) {
				if (probabilities[i][c] > probabilities[i][best]) {
					second = best;
					best = c;
				}
				else if (second < 0 || probabilities[i][c] > probabilities[i][second]) second = c;
			}
			predicted[i] = best;
			confidence[i] = probabilities[i][best];
			margin[i] = second < 0 ? 1 : probabilities[i][best] - probabilities[i][second];
			counts[best]++;
		}
		return new CellRound(List.copyOf(classNames), probabilities, predicted, confidence, margin,
			counts, labelled, seconds);
	}

	public int size() {
		return predicted.length;
	}
}
