package io.deepclass.core.train;

import java.util.Locale;

import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;

/** The optimisers a network can train with. */
public enum Optimizer {
	/** Stochastic gradient descent, with (Nesterov) momentum when momentum > 0. */
	SGD,
	/** Adam with its default betas. */
	ADAM;

	/** The DL4J updater for this optimiser. */
	public IUpdater updater(final double learningRate, final double momentum) {
		return switch (this) {
			case SGD -> momentum > 0 ? new Nesterovs(learningRate, momentum) : new Sgd(learningRate);
			case ADAM -> new Adam(learningRate);
		};
	}

	/** "sgd" or "adam": the word macros and dialogs use. */
	@Override
	public String toString() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** Parses "sgd" or "adam", in any case. */
	public static Optimizer parse(final String name) {
		for (final Optimizer o : values())
			if (o.name().equalsIgnoreCase(name.trim())) return o;
		throw new IllegalArgumentException("unknown optimizer '" + name + "': choose sgd or adam");
	}
}
