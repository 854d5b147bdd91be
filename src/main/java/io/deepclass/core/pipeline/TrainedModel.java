package io.deepclass.core.pipeline;

import io.deepclass.core.bundle.ModelBundle;
import io.deepclass.core.data.Dataset;
import io.deepclass.core.train.TrainingDiagnosis;
import io.deepclass.core.train.TrainingResult;

/**
 * What a {@link TrainingPipeline} run made: the model as it is saved (network and description),
 * the training history, and the two parts of the data it was trained and validated on
 * ({@code validation} is null when nothing was held out).
 */
public record TrainedModel(ModelBundle bundle, TrainingResult result, Dataset train,
	Dataset validation)
{

	/** What the history says about the model: learned nothing, memorises, or nothing to say. */
	public TrainingDiagnosis diagnosis() {
		return TrainingDiagnosis.of(result.history(), train, validation, bundle.info().training()
			.settings());
	}
}
