package io.deepclass.core.cells;

import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;

import io.deepclass.core.bundle.ModelBundle;
import io.deepclass.core.data.Dataset;
import io.deepclass.core.data.ImageShape;
import io.deepclass.core.model.Network;
import io.deepclass.core.train.TrainingResult;
import io.deepclass.core.train.TrainingSettings;

/**
 * What the interactive loop trains on every label: the input each cell gives (computed once for
 * all cells, {@link #inputs}), a fresh network that learns from those inputs ({@link #head}), and
 * how the trained network becomes a normal DeepClass model file that takes cell patches
 * ({@link #bundle}). Two kinds: {@link PretrainedCells} (a backbone's features, a linear head)
 * and {@link ScratchCells} (the patches themselves, a small CNN).
 */
public interface CellModel {

	/** The shape every cell patch is converted to before {@link #inputs}. */
	ImageShape patchShape();

	/**
	 * What the head sees for every cell, in the order of {@code patches}; null when
	 * {@code cancel} said stop. {@code done} hears how many cells are done.
	 */
	Dataset inputs(Dataset patches, IntConsumer done, BooleanSupplier cancel);

	/** A new, untrained head for {@code classes} classes over {@link #inputs}' shape. */
	Network head(ImageShape inputs, int classes, long seed);

	/** How the head trains on the labelled cells' inputs for {@code labelled} of them. */
	TrainingSettings settings(int labelled, long seed);

	/**
	 * The trained head as a whole model that classifies cell patches (the shape
	 * {@link #patchShape} gives), as Classify Images, Evaluate and Export take it.
	 *
	 * @param settings how the head was trained (for the model card)
	 * @param labelledPatches the labelled cells' patches (for the model card's data fingerprint)
	 */
	ModelBundle bundle(TrainingResult head, TrainingSettings settings, List<String> classNames,
		Dataset labelledPatches);

	/** Whether the head's ops are so small that one native thread runs them faster. */
	default boolean smallHead() {
		return false;
	}

	/** One line for the model card and the panel: "pretrained resnet18 features, linear head". */
	String describe();
}
