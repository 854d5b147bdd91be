package io.deepclass.core.train;

import io.deepclass.core.DeepClassException;

/** The loss became NaN or infinite: training stopped, usually because the learning rate is too high. */
public class TrainingDivergedException extends DeepClassException {

	private static final long serialVersionUID = 1L;

	public TrainingDivergedException(final String message) {
		super(message);
	}
}
