package io.deepclass.core.engine;

import static io.deepclass.core.engine.OneDnn.ENGINE;
import static io.deepclass.core.engine.OneDnn.desc;
import static io.deepclass.core.engine.OneDnn.in;
import static io.deepclass.core.engine.OneDnn.out;
import static io.deepclass.core.engine.OneDnn.run;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;

import java.util.Map;

import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.eltwise_backward;
import org.bytedeco.dnnl.eltwise_forward;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.primitive;
import org.bytedeco.dnnl.stream;
import org.bytedeco.dnnl.global.dnnl.algorithm;
import org.bytedeco.dnnl.global.dnnl.prop_kind;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU6;
import org.nd4j.linalg.api.ndarray.INDArray;

import io.deepclass.core.engine.OneDnn.Operand;

/**
 * ReLU and ReLU6 forward and backward passes as kept oneDNN primitives, reading and writing
 * DL4J's plain arrays of rank 2 or 4 in place.
 *
 * <p>DL4J's ActivationLayer copies its input in the forward pass (the activation function works in
 * place) and again in the backward pass before ND4J's {@code relu_bp}: in a {@code bncnn} step at
 * batch 64 these took 6.5 ms of 47 (JFR). Here the forward pass writes into the layer's output
 * and the backward pass reads the kept input: y = max(x, 0), dx = dy where x &gt; 0, else 0, as
 * DL4J's ReLU.
 *
 * <p>ReLU6 (MobileNet's, imported from ONNX's Clip(0, 6)): DL4J's backward pass ({@code relu6_bp})
 * took a third of a mobilenet_v2 fine-tuning step at 128 px (JFR). Here it is oneDNN's
 * {@code clip_v2} with bounds 0 and 6: y = min(max(x, 0), 6), dx = dy where 0 &lt; x &lt; 6, else 0,
 * as DL4J's (oneDNN's older {@code clip} and {@code bounded_relu} pass the gradient at x = 6).
 */
final class OneDnnRelu {

	private final Map<String, Primitives> cache = OneDnn.shapeCache();

	/** True for ReLU6, false for ReLU. */
	private final boolean six;

	private OneDnnRelu(final boolean six) {
		this.six = six;
	}

	/** The primitives for DL4J's ReLU or ReLU6, or null for other activation functions. */
	static OneDnnRelu of(final IActivation activation) {
		return isPlainRelu(activation) ? new OneDnnRelu(false) : activation != null && activation
			.getClass() == ActivationReLU6.class ? new OneDnnRelu(true) : null;
	}

	/** True for DL4J's ReLU and ReLU6, which these compute. */
	static boolean handles(final IActivation activation) {
		return isPlainRelu(activation) || activation != null && activation
			.getClass() == ActivationReLU6.class;
	}

	/** True for DL4J's plain ReLU (no maximum, threshold or negative slope). */
	static boolean isPlainRelu(final IActivation activation) {
		return activation != null && activation.getClass() == ActivationReLU.class &&
			((ActivationReLU) activation).getMax() == null && ((ActivationReLU) activation)
				.getThreshold() == null && ((ActivationReLU) activation).getNegativeSlope() == null;
	}

	/** y = max(x, 0) (ReLU6: min of that and 6); x and y plain, of the same shape, rank 2 or 4. */
	synchronized void forward(final INDArray x, final INDArray y) {
		final Primitives p = primitives(x);
		final IntMemoryMap args = p.forwardArgs;
		in(p.stream, p.src, x, args, DNNL_ARG_SRC);
		out(p.dst, y, args, DNNL_ARG_DST);
		run(p.stream, p.forward, args, p.dst);
	}

	/** dx = dy where x &gt; 0 (ReLU6: and x &lt; 6), else 0; all plain, of the same shape. */
	synchronized void backward(final INDArray x, final INDArray dy, final INDArray dx) {
		final Primitives p = primitives(x);
		p.backwardParts();
		final IntMemoryMap args = p.backwardArgs;
		in(p.stream, p.src, x, args, DNNL_ARG_SRC);
		in(p.stream, p.diffDst, dy, args, DNNL_ARG_DIFF_DST);
		out(p.diffSrc, dx, args, DNNL_ARG_DIFF_SRC);
		run(p.stream, p.backward, args, p.diffSrc);
	}

	private Primitives primitives(final INDArray x) {
		return cache.computeIfAbsent(OneDnn.shapeKey(x, x), k -> new Primitives(x.shape(), six));
	}

	private static memory.format_tag plainTag(final int rank) {
		return switch (rank) {
			case 2 -> memory.format_tag.ab;
			case 4 -> memory.format_tag.abcd;
			default -> throw new IllegalArgumentException("rank " + rank + " (2 or 4 expected)");
		};
	}

	/** The primitives for one shape; plain layouts throughout, so no reorders. */
	private static final class Primitives {

		final algorithm algorithm;

		/** The algorithm's alpha and beta: oneDNN's ReLU slope, or clip_v2's bounds. */
		final float alpha;

		final float beta;

		final stream stream = new stream(ENGINE);

		/** Kept: the same memory objects are bound on every call (see OneDnn#run). */
		final IntMemoryMap forwardArgs = new IntMemoryMap();

		/** Kept: the same memory objects are bound on every call (see OneDnn#run). */
		final IntMemoryMap backwardArgs = new IntMemoryMap();

		final memory.desc plain;

		final eltwise_forward.primitive_desc forwardDesc;

		final primitive forward;

		final Operand src;

		final Operand dst;

		primitive backward;

		Operand diffDst;

		Operand diffSrc;

		Primitives(final long[] shape, final boolean six) {
			algorithm = six ? org.bytedeco.dnnl.global.dnnl.algorithm.eltwise_clip_v2
				: org.bytedeco.dnnl.global.dnnl.algorithm.eltwise_relu;
			alpha = 0f;
			beta = six ? 6f : 0f;
			plain = desc(shape, plainTag(shape.length));
			forwardDesc = new eltwise_forward.primitive_desc(new eltwise_forward.desc(
				prop_kind.forward_training, algorithm, plain, alpha, beta), ENGINE);
			forward = new eltwise_forward(forwardDesc);
			src = new Operand(plain, forwardDesc.src_desc(), false);
			dst = new Operand(plain, forwardDesc.dst_desc(), true);
		}

		void backwardParts() {
			if (backward != null) return;
			final eltwise_backward.primitive_desc d = new eltwise_backward.primitive_desc(
				new eltwise_backward.desc(algorithm, plain, plain, alpha, beta), ENGINE, forwardDesc);
			backward = new eltwise_backward(d);
			diffDst = new Operand(plain, d.diff_dst_desc(), false);
			diffSrc = new Operand(plain, d.diff_src_desc(), true);
		}
	}
}
