package io.deepclass.core.train;

import java.util.List;

import io.deepclass.core.model.Network;

/**
 * The trained network and its history. When {@code cancelled}, the network holds the weights of
 * the last completed epoch (or the initial weights if none completed). With early stopping,
 * {@code keptEpoch} is the epoch whose weights the network holds (0: the last) and
 * {@code stop} says why training ended there (null otherwise).
 */
public record TrainingResult(Network network, List<EpochStats> history, boolean cancelled,
	int keptEpoch, String stop)
{

	public TrainingResult {
		history = List.copyOf(history);
	}

	/** A run that ended after its last epoch, or was cancelled, keeping that epoch's weights. */
	public TrainingResult(final Network network, final List<EpochStats> history,
		final boolean cancelled)
	{
		this(network, history, cancelled, 0, null);
	}

	/** The last completed epoch's figures, or null when none completed. */
	public EpochStats last() {
		return history.isEmpty() ? null : history.get(history.size() - 1);
	}

	/** The figures of the epoch whose weights the network holds, or null when none completed. */
	public EpochStats kept() {
		return keptEpoch > 0 ? history.get(keptEpoch - 1) : last();
	}
}
