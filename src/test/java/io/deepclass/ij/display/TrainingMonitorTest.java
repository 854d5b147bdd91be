package io.deepclass.ij.display;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import io.deepclass.core.train.EpochStats;

/** The Log line of an epoch says what was measured, and never prints NaN. */
class TrainingMonitorTest {

	@Test
	void anEpochWithValidation() {
		assertEquals("DeepClass epoch 3: train loss 0.2500 acc 91.25% | validation loss 0.3125 acc " +
			"88.50% | 120 img/s, 2.5 s", TrainingMonitor.epochLine(new EpochStats(3, 0.25, 0.9125,
				0.3125, 0.885, 0.01, 2.5, 120)));
	}

	@Test
	void withoutAValidationSetTheLineSaysSo() {
		assertEquals("DeepClass epoch 1: train loss 0.5477 acc 50.00% | no validation set | 23 " +
			"img/s, 1.1 s", TrainingMonitor.epochLine(new EpochStats(1, 0.5477, 0.5, Double.NaN,
				Double.NaN, 0.001, 1.1, 23)));
	}
}
