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
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WORKSPACE;

import java.util.Map;

import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.pooling_backward;
import org.bytedeco.dnnl.pooling_forward;
import org.bytedeco.dnnl.primitive;
import org.bytedeco.dnnl.stream;
import org.bytedeco.dnnl.global.dnnl.algorithm;
import org.bytedeco.dnnl.global.dnnl.prop_kind;
import org.nd4j.linalg.api.ndarray.INDArray;

import io.deepclass.core.engine.OneDnn.Operand;

/**
 * A max-pooling layer's forward and backward passes as oneDNN primitives kept per batch size,
 * on DL4J's NCHW arrays. The forward pass records where each maximum was (oneDNN's workspace);
 * the backward pass routes the gradient there, so it must follow the forward pass of the same
 * input ({@link #backward} says when it did not).
 *
 * <p>libnd4j's max-pooling backward pass (DL4J's helper) searches every window again: 0.56 ms for
 * a 64x10x24x24 input, and with the forward pass about a fifth of a {@code multicnn} step.
 */
final class OneDnnPool {

	/** Kernel, strides and padding: everything but the batch size and the image size. */
	private final OneDnn.Window window;

	private final Map<String, Primitives> cache = OneDnn.shapeCache();

	/** The input of the last forward pass, whose maxima the workspace holds. */
	private INDArray lastInput;

	private Primitives lastPrimitives;

	OneDnnPool(final OneDnn.Window window) {
		this.window = window;
	}

	/** y = max-pool(x); x [N,C,H,W], y [N,C,OH,OW], both plain. */
	synchronized void forward(final INDArray x, final INDArray y) {
		final Primitives p = cache.computeIfAbsent(OneDnn.shapeKey(x, y), k -> new Primitives(x
			.shape(), y.shape()));
		final IntMemoryMap args = p.forwardArgs;
		in(p.stream, p.src, x, args, DNNL_ARG_SRC);
		out(p.dst, y, args, DNNL_ARG_DST);
		args.put(DNNL_ARG_WORKSPACE, p.workspace);
		run(p.stream, p.forward, args, p.dst);
		lastInput = x;
		lastPrimitives = p;
	}

	/**
	 * dX from dY, through the maxima of the last forward pass; false (and nothing written) when
	 * that pass was not over {@code x}.
	 */
	synchronized boolean backward(final INDArray x, final INDArray dy, final INDArray dx) {
		if (lastInput != x || lastPrimitives == null) return false;
		final Primitives p = lastPrimitives;
		p.backwardParts();
		final IntMemoryMap args = p.backwardArgs;
		in(p.stream, p.diffDst, dy, args, DNNL_ARG_DIFF_DST);
		out(p.diffSrc, dx, args, DNNL_ARG_DIFF_SRC);
		args.put(DNNL_ARG_WORKSPACE, p.workspace);
		run(p.stream, p.backward, args, p.diffSrc);
		return true;
	}

	/** Forgets the last forward pass (its input array may be reused for other values). */
	synchronized void forget() {
		lastInput = null;
		lastPrimitives = null;
	}

	/** The primitives, reorders and workspace for one input and output shape. */
	private final class Primitives {

		final stream stream = new stream(ENGINE);

		/** Kept: the same memory objects are bound on every call (see OneDnn#run). */
		final IntMemoryMap forwardArgs = new IntMemoryMap();

		/** Kept: the same memory objects are bound on every call (see OneDnn#run). */
		final IntMemoryMap backwardArgs = new IntMemoryMap();

		final long[] xDims;

		final long[] yDims;

		final long[] paddingEnd;

		final pooling_forward.primitive_desc forwardDesc;

		final primitive forward;

		final Operand src;

		final Operand dst;

		final memory workspace;

		primitive backward;

		Operand diffDst;

		Operand diffSrc;

		Primitives(final long[] x, final long[] y) {
			xDims = x.clone();
			yDims = y.clone();
			paddingEnd = window.paddingEnd(x, y);
			final memory.desc nchwX = desc(xDims, memory.format_tag.nchw);
			final memory.desc nchwY = desc(yDims, memory.format_tag.nchw);
			forwardDesc = new pooling_forward.primitive_desc(new pooling_forward.desc(
				prop_kind.forward_training, algorithm.pooling_max, nchwX, nchwY, window.strides(),
				window.kernel(), window.padding(), paddingEnd), ENGINE);
			forward = new pooling_forward(forwardDesc);
			src = new Operand(nchwX, forwardDesc.src_desc(), false);
			dst = new Operand(nchwY, forwardDesc.dst_desc(), true);
			workspace = new memory(forwardDesc.workspace_desc(), ENGINE);
		}

		void backwardParts() {
			if (backward != null) return;
			final memory.desc nchwX = desc(xDims, memory.format_tag.nchw);
			final memory.desc nchwY = desc(yDims, memory.format_tag.nchw);
			final pooling_backward.primitive_desc d = new pooling_backward.primitive_desc(
				new pooling_backward.desc(algorithm.pooling_max, nchwX, nchwY, window.strides(), window
					.kernel(), window.padding(), paddingEnd), ENGINE, forwardDesc);
			backward = new pooling_backward(d);
			diffDst = new Operand(nchwY, d.diff_dst_desc(), false);
			diffSrc = new Operand(nchwX, d.diff_src_desc(), true);
		}
	}
}
