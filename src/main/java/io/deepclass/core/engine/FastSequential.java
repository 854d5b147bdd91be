package io.deepclass.core.engine;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * How a {@link MultiLayerNetwork} trains and predicts fast on this machine: {@link FastLayers}
 * installed in place, the {@link DenseFastPath} when it is a fully connected classifier, and a
 * first convolution that skips the input gradient {@code fit} would discard. The network itself
 * stays plain DL4J (configuration, parameters, model files); this is the one door from what a
 * network is ({@code core.model}) to how it runs here.
 */
public final class FastSequential {

	private final MultiLayerNetwork model;

	private final DenseFastPath dense;

	/** The first layer, when it is a convolution whose input gradient training skips. */
	private final OneDnnLayers.Convolution firstConvolution;

	private FastSequential(final MultiLayerNetwork model) {
		this.model = model;
		FastLayers.install(model);
		dense = DenseFastPath.of(model);
		firstConvolution = OneDnnLayers.firstConvolution(model);
	}

	/** Installs the fast layers in {@code model} and returns the way to train and run it. */
	public static FastSequential install(final MultiLayerNetwork model) {
		return new FastSequential(model);
	}

	/** True when training and inference take the {@link DenseFastPath}. */
	public boolean fastDense() {
		return dense != null;
	}

	/** One optimisation step, as {@code model.fit(new DataSet(features, labels))}. */
	public void fit(final INDArray features, final INDArray labels) {
		if (dense != null && dense.accepts(features, labels)) dense.fit(features, labels);
		else if (firstConvolution == null) model.fit(new DataSet(features, labels));
		else {
			// DL4J's fit discards the gradient at the input images: the first layer skips it
			firstConvolution.inputGradientNeeded = false;
			try {
				model.fit(new DataSet(features, labels));
			}
			finally {
				firstConvolution.inputGradientNeeded = true;
			}
		}
	}

	/** Inference-mode output, as {@code model.output(features, false)}. */
	public INDArray output(final INDArray features) {
		return dense != null && dense.accepts(features, null) ? dense.output(features) : model.output(
			features, false);
	}
}
