package io.deepclass.core.onnx;

import java.util.ArrayList;
import java.util.List;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.SubsetVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.BaseGraphVertex;
import org.deeplearning4j.nn.graph.vertex.VertexIndices;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.BaseActivationFunction;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * What the ONNX operators of squeeze-and-excitation blocks, MobileNetV3 and grouped convolutions
 * need and DL4J 1.0.0-M2.1 lacks or gets wrong: HardSigmoid with ONNX's alpha and beta (DL4J's
 * own is fixed at 0.2 and 0.5), HardSwish, a channel slice with a correct output shape, and a
 * product that broadcasts. They plug into DL4J where it expects extensions (activation
 * functions, graph vertices), so DL4J trains through them; public with no-argument constructors
 * because DL4J stores them in model files by class name. SameDiff lambda layers would have been
 * shorter, but in M2.1 their gradients come out doubled (a gradient check showed it).
 */
public final class OnnxExtras {

	private OnnxExtras() {}

	/** ONNX HardSigmoid: max(0, min(1, alpha x + beta)); PyTorch's is alpha 1/6, beta 0.5. */
	public static final class HardSigmoid extends BaseActivationFunction {

		private double alpha = 0.2, beta = 0.5;

		public HardSigmoid() {}

		public HardSigmoid(final double alpha, final double beta) {
			this.alpha = alpha;
			this.beta = beta;
		}

		public double getAlpha() {
			return alpha;
		}

		public double getBeta() {
			return beta;
		}

		@Override
		public INDArray getActivation(final INDArray in, final boolean training) {
			return clip(in.muli(alpha).addi(beta));
		}

		@Override
		public Pair<INDArray, INDArray> backprop(final INDArray in, final INDArray epsilon) {
			assertShape(in, epsilon);
			return new Pair<>(epsilon.mul(slope(in, alpha, beta)), null);
		}

		@Override
		public String toString() {
			return "hardsigmoid(" + alpha + ", " + beta + ")";
		}
	}

	/** ONNX HardSwish: x * HardSigmoid(x) with alpha 1/6 and beta 0.5 (MobileNetV3). */
	public static final class HardSwish extends BaseActivationFunction {

		private static final double ALPHA = 1.0 / 6, BETA = 0.5;

		@Override
		public INDArray getActivation(final INDArray in, final boolean training) {
			return in.muli(clip(in.mul(ALPHA).addi(BETA)));
		}

		/** d/dx x h(x) = h(x) + x h'(x). */
		@Override
		public Pair<INDArray, INDArray> backprop(final INDArray in, final INDArray epsilon) {
			assertShape(in, epsilon);
			final INDArray derivative = clip(in.mul(ALPHA).addi(BETA)).addi(in.mul(slope(in, ALPHA,
				BETA)));
			return new Pair<>(epsilon.mul(derivative), null);
		}

		@Override
		public String toString() {
			return "hardswish";
		}
	}

	private static INDArray clip(final INDArray z) {
		return Transforms.min(Transforms.max(z, 0, false), 1, false);
	}

	/** The derivative of max(0, min(1, alpha x + beta)): alpha inside, 0 where it is clipped. */
	private static INDArray slope(final INDArray x, final double alpha, final double beta) {
		final INDArray z = x.mul(alpha).addi(beta);
		return z.gt(0).castTo(x.dataType()).muli(z.lt(1).castTo(x.dataType())).muli(alpha);
	}

	/**
	 * Channels from..to (inclusive) of feature maps, for one group of a grouped convolution.
	 * DL4J's own {@link SubsetVertex} slices right but states its output as from - to + 1
	 * channels (negative) in 1.0.0-M2.1, which breaks the graph's shape inference.
	 */
	public static final class ChannelSlice extends SubsetVertex {

		public ChannelSlice(@JsonProperty("from") final int from, @JsonProperty("to") final int to) {
			super(from, to);
		}

		@Override
		public InputType getOutputType(final int layerIndex, final InputType... types) {
			if (types.length == 1 && types[0] instanceof InputType.InputTypeConvolutional c) {
				if (getFrom() < 0 || getTo() < getFrom() || getTo() >= c.getChannels())
					throw new InvalidInputTypeException("channels " +
						getFrom() + " to " + getTo() + " of " + c.getChannels() + " do not exist");
				return InputType.convolutional(c.getHeight(), c.getWidth(), getTo() - getFrom() + 1, c
					.getFormat());
			}
			return super.getOutputType(layerIndex, types);
		}

		@Override
		public ChannelSlice clone() {
			return new ChannelSlice(getFrom(), getTo());
		}
	}

	/**
	 * ONNX Mul of two computed tensors, broadcasting as ONNX does: a squeeze-and-excitation
	 * block's channel weights (N x C x 1 x 1) times its feature maps, or SiLU's x * sigmoid(x).
	 */
	public static final class BroadcastProduct extends GraphVertex {

		@Override
		public BroadcastProduct clone() {
			return new BroadcastProduct();
		}

		@Override
		public boolean equals(final Object o) {
			return o instanceof BroadcastProduct;
		}

		@Override
		public int hashCode() {
			return BroadcastProduct.class.hashCode();
		}

		@Override
		public long numParams(final boolean backprop) {
			return 0;
		}

		@Override
		public int minVertexInputs() {
			return 2;
		}

		@Override
		public int maxVertexInputs() {
			return 2;
		}

		@Override
		public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(final ComputationGraph graph,
			final String name, final int index, final INDArray params, final boolean initialize,
			final DataType dataType)
		{
			return new Product(graph, name, index, dataType);
		}

		/** The larger input's type: the broadcast one takes its shape. */
		@Override
		public InputType getOutputType(final int layerIndex, final InputType... types) {
			return types[0].arrayElementsPerExample() >= types[1].arrayElementsPerExample() ? types[0]
				: types[1];
		}

		@Override
		public MemoryReport getMemoryReport(final InputType... types) {
			return new LayerMemoryReport.Builder(null, BroadcastProduct.class, types[0], getOutputType(-1,
				types)).standardMemory(0, 0).workingMemory(0, 0, 0, 0).cacheMemory(0, 0).build();
		}
	}

	/** What {@link BroadcastProduct} computes: a * b forward; each input's share backward. */
	static final class Product extends BaseGraphVertex {

		Product(final ComputationGraph graph, final String name, final int index,
			final DataType dataType)
		{
			super(graph, name, index, (VertexIndices[]) null, null, dataType);
		}

		@Override
		public boolean hasLayer() {
			return false;
		}

		@Override
		public Layer getLayer() {
			return null;
		}

		private int larger() {
			return inputs[0].length() >= inputs[1].length() ? 0 : 1;
		}

		@Override
		public INDArray doForward(final boolean training, final LayerWorkspaceMgr workspaces) {
			final int big = larger();
			final INDArray out = workspaces.dup(ArrayType.ACTIVATIONS, inputs[big]);
			return out.muli(inputs[1 - big]);
		}

		/**
		 * dL/da = dL/dy * b, broadcast to a's shape; dL/db = dL/dy * a, summed over the axes b was
		 * broadcast along.
		 */
		@Override
		public Pair<Gradient, INDArray[]> doBackward(final boolean tbptt,
			final LayerWorkspaceMgr workspaces)
		{
			final INDArray[] out = new INDArray[2];
			for (int k = 0; k < 2; k++) {
				final INDArray full = epsilon.mul(inputs[1 - k]);
				final List<Integer> axes = new ArrayList<>();
				for (int d = 0; d < full.rank(); d++)
					if (inputs[k].size(d) == 1 && full.size(d) > 1) axes.add(d);
				final INDArray reduced = axes.isEmpty() ? full : full.sum(true, axes.stream().mapToInt(
					Integer::intValue).toArray());
				out[k] = workspaces.dup(ArrayType.ACTIVATION_GRAD, reduced.reshape(inputs[k].shape()));
			}
			return new Pair<>(null, out);
		}

		@Override
		public void setBackpropGradientsViewArray(final INDArray view) {
			if (view != null) throw new IllegalStateException("a product has no parameters");
		}

		@Override
		public Pair<INDArray, MaskState> feedForwardMaskArrays(final INDArray[] masks,
			final MaskState state, final int minibatchSize)
		{
			return new Pair<>(masks == null || masks.length == 0 ? null : masks[0], state);
		}

		@Override
		public String toString() {
			return "BroadcastProduct(" + vertexName + ")";
		}
	}
}
