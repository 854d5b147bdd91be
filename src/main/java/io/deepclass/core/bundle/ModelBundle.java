package io.deepclass.core.bundle;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

import io.deepclass.core.Versions;
import io.deepclass.core.data.Dataset;
import io.deepclass.core.data.Normalization;
import io.deepclass.core.backend.NativeBackend;
import io.deepclass.core.model.ArchitectureSpec;
import io.deepclass.core.model.Network;
import io.deepclass.core.train.EpochStats;
import io.deepclass.core.train.TrainingResult;
import io.deepclass.core.train.TrainingSettings;

/** A network and its {@link ModelInfo}: what a model file holds. */
public record ModelBundle(Network network, ModelInfo info) {

	/** The stored network kind and parameter count always describe {@code network}. */
	public ModelBundle {
		if (!network.kind().equals(info.networkKind()) || network.numParams() != info
			.parameterCount()) info = info.forNetwork(network);
	}

	/** Describes a freshly trained network. */
	public static ModelBundle of(final TrainingResult result, final ArchitectureSpec architecture,
		final TrainingSettings settings, final Normalization normalization, final Dataset train,
		final Dataset validation)
	{
		return of(result, architecture, settings, normalization, null, train, validation);
	}

	/** As above, with the loss's class weights (null: unweighted). */
	public static ModelBundle of(final TrainingResult result, final ArchitectureSpec architecture,
		final TrainingSettings settings, final Normalization normalization,
		final float[] classWeights, final Dataset train, final Dataset validation)
	{
		return of(result, architecture.toString(), settings, normalization, classWeights, train,
			validation);
	}

	/** As above, for a network described in words (a pretrained backbone and its head). */
	public static ModelBundle of(final TrainingResult result, final String architecture,
		final TrainingSettings settings, final Normalization normalization,
		final float[] classWeights, final Dataset train, final Dataset validation)
	{
		final EpochStats last = result.kept();
		final ModelInfo.Metrics metrics = last == null ? null : new ModelInfo.Metrics(last
			.validationAccuracy(), last.validationLoss(), last.trainAccuracy(), last.trainLoss());
		final ModelInfo info = new ModelInfo(ModelInfo.FORMAT, ModelInfo.FORMAT_VERSION, train
			.classNames(), ModelInfo.Input.of(train.shape()), ModelInfo.Norm.of(normalization),
			architecture, result.network().kind(), result.network().numParams(),
			new ModelInfo.Training(settings, train.fingerprint(), train.size(), validation == null ? 0
				: validation.size(), result.cancelled(), NativeBackend.device(), classWeights, "none",
				result.stop(), null), result
					.history(), metrics, Versions.deepclass(), Versions.dl4j(), OffsetDateTime.now(
						ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).toString());
		return new ModelBundle(result.network(), info);
	}
}
