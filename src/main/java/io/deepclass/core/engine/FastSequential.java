package io.deepclass.core.engine;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

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

	private FastSequential(final MultiLayerNetwork model, final boolean cpuBackend) {
		this.model = model;
		// the fast layers read and write host memory and call oneDNN: the CPU backend's
		if (cpuBackend) FastLayers.install(model);
		dense = cpuBackend ? DenseFastPath.of(model) : null;
		firstConvolution = cpuBackend ? OneDnnLayers.firstConvolution(model) : null;
	}

	/**
	 * Installs the fast layers in {@code model} on the CPU backend, and returns the way to train
	 * and run it; on the CUDA backend the network runs DL4J's own layers (and cuDNN through
	 * libnd4j where the GPU variant has it).
	 */
	public static FastSequential install(final MultiLayerNetwork model) {
		return install(model, Nd4j.getEnvironment().isCPU());
	}

	/** As {@link #install(MultiLayerNetwork)}, with the backend given (tests). */
	static FastSequential install(final MultiLayerNetwork model, final boolean cpuBackend) {
		return new FastSequential(model, cpuBackend);
	}

	/** True when any of the network's layers was replaced by a fast one. */
	boolean fastLayers() {
		for (final var layer : model.getLayers())
			if (layer.getClass().getPackageName().equals(FastSequential.class.getPackageName()))
				return true;
		return false;
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
