package io.deepclass.core.train;

import java.util.List;

import io.deepclass.core.model.Network;

/**
 * The trained network and its history. When {@code cancelled}, the network holds the weights of
 * the last completed epoch (or the initial weights if none completed).
 */
public record TrainingResult(Network network, List<EpochStats> history, boolean cancelled) {

	public TrainingResult {
		history = List.copyOf(history);
	}

	/** The last completed epoch's figures, or null when none completed. */
	public EpochStats last() {
		return history.isEmpty() ? null : history.get(history.size() - 1);
	}
}
