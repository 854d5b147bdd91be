package io.deepclass.core.model;

import java.util.function.BiConsumer;
import java.util.function.DoubleConsumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

import io.deepclass.core.data.ImageShape;
import io.deepclass.core.engine.FastGraph;
import io.deepclass.core.engine.FastSequential;

/**
 * A trainable DL4J classifier with one image input and one softmax output, whatever its kind:
 * the reference architectures are {@link MultiLayerNetwork}s, imported pretrained backbones are
 * {@link ComputationGraph}s. Trainer, classifier and model files see only this interface.
 */
public sealed interface Network permits Network.OnEngine {

	/** One optimisation step on a batch (NCHW features, one-hot labels). */
	void fit(INDArray features, INDArray labels);

	/** The loss of the last {@link #fit} batch. */
	double score();

	/** Class probabilities for a batch, in inference mode (no dropout, BatchNorm running stats). */
	INDArray output(INDArray features);

	void setLearningRate(double learningRate);

	/** The flattened parameters (a view: writing to it changes the network). */
	INDArray params();

	/** The flattened optimiser state (a view), or null before the first step. */
	INDArray updaterState();

	long numParams();

	/** The DL4J network. */
	Model model();

	/** The most images {@link #inferenceBatch} answers: enough to keep the CPU busy. */
	int MAX_INFERENCE_BATCH = 256;

	/**
	 * The memory {@link #inferenceBatch} sizes batches for: all layers' activations of a batch
	 * together (inference keeps only a few of them at once, so the real use is lower).
	 */
	long INFERENCE_ACTIVATION_BYTES = 256L << 20;

	/**
	 * Images per batch for classifying images of {@code shape}: {@value #MAX_INFERENCE_BATCH}, or
	 * fewer when the network's activations for that many would pass
	 * {@link #INFERENCE_ACTIVATION_BYTES} ({@code bncnn} on 128 x 128 images holds 12 MB of
	 * activations per image: at batch 256 its evaluation took 1.4 GB more than its training).
	 */
	default int inferenceBatch(final ImageShape shape) {
		final long bytes = Float.BYTES * Math.max(1, activationsPerImage(shape));
		return (int) Math.max(1, Math.min(MAX_INFERENCE_BATCH, INFERENCE_ACTIVATION_BYTES / bytes));
	}

	/** The values of all layers' inference-mode outputs for one image of {@code shape}. */
	long activationsPerImage(ImageShape shape);

	/** "MultiLayerNetwork" or "ComputationGraph", as stored in model files. */
	String kind();

	static Network of(final Model model) {
		if (model instanceof MultiLayerNetwork mln) return new Sequential(mln);
		if (model instanceof ComputationGraph graph) return new Graph(graph);
		throw new IllegalArgumentException("unsupported DL4J model type " + model.getClass()
			.getName());
	}

	/**
	 * What both kinds share: a DL4J model, trained and run through one of the engine's fast
	 * paths, its activations counted on demand. {@link MultiLayerNetwork} and
	 * {@link ComputationGraph} have the same learning-rate and optimiser-state methods without a
	 * common interface: each kind hands them in.
	 */
	abstract sealed class OnEngine<M extends Model> implements Network permits Sequential, Graph {

		private final M model;

		private final String kind;

		private final BiConsumer<INDArray, INDArray> fit;

		private final UnaryOperator<INDArray> output;

		private final ActivationCount activations;

		private final DoubleConsumer learningRate;

		private final Supplier<INDArray> updaterState;

		OnEngine(final M model, final String kind, final BiConsumer<INDArray, INDArray> fit,
			final UnaryOperator<INDArray> output, final ActivationCount activations,
			final DoubleConsumer learningRate, final Supplier<INDArray> updaterState)
		{
			this.model = model;
			this.kind = kind;
			this.fit = fit;
			this.output = output;
			this.activations = activations;
			this.learningRate = learningRate;
			this.updaterState = updaterState;
		}

		@Override
		public M model() {
			return model;
		}

		@Override
		public String kind() {
			return kind;
		}

		@Override
		public void fit(final INDArray features, final INDArray labels) {
			fit.accept(features, labels);
		}

		@Override
		public double score() {
			return model.score();
		}

		@Override
		public INDArray output(final INDArray features) {
			return output.apply(features);
		}

		@Override
		public void setLearningRate(final double value) {
			learningRate.accept(value);
		}

		@Override
		public INDArray params() {
			return model.params();
		}

		@Override
		public INDArray updaterState() {
			return updaterState.get();
		}

		@Override
		public long numParams() {
			return model.numParams();
		}

		@Override
		public long activationsPerImage(final ImageShape shape) {
			return activations.perImage(shape);
		}
	}

	/**
	 * A {@link MultiLayerNetwork}, trained and run through the engine's {@link FastSequential}
	 * (fast layers, the fully connected fast path).
	 */
	final class Sequential extends OnEngine<MultiLayerNetwork> {

		static final String KIND = "MultiLayerNetwork";

		private final FastSequential fast;

		public Sequential(final MultiLayerNetwork model) {
			this(model, FastSequential.install(model));
		}

		private Sequential(final MultiLayerNetwork model, final FastSequential fast) {
			super(model, KIND, fast::fit, fast::output, new ActivationCount(x -> model.feedForward(x,
				false)), model::setLearningRate, model::updaterState);
			this.fast = fast;
		}

		/** True when training and inference take the engine's fully connected fast path. */
		public boolean fastDense() {
			return fast.fastDense();
		}
	}

	/**
	 * A {@link ComputationGraph} with one input and one output, trained and run through the
	 * engine's {@link FastGraph} (fast layers).
	 */
	final class Graph extends OnEngine<ComputationGraph> {

		static final String KIND = "ComputationGraph";

		public Graph(final ComputationGraph model) {
			this(checked(model), FastGraph.install(model));
		}

		private Graph(final ComputationGraph model, final FastGraph fast) {
			super(model, KIND, fast::fit, fast::output, new ActivationCount(x -> model.feedForward(x,
				false).values()), model::setLearningRate, model::updaterState);
		}

		private static ComputationGraph checked(final ComputationGraph model) {
			if (model.getConfiguration().getNetworkInputs().size() != 1 || model.getConfiguration()
				.getNetworkOutputs().size() != 1)
				throw new IllegalArgumentException("a classifier graph needs exactly one input and " +
					"one output, this one has " + model.getConfiguration().getNetworkInputs().size() +
					" and " + model.getConfiguration().getNetworkOutputs().size());
			return model;
		}
	}
}
