package io.deepclass.core.engine;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;

import static io.deepclass.core.engine.OneDnn.ENGINE;
import static io.deepclass.core.engine.OneDnn.desc;
import static io.deepclass.core.engine.OneDnn.in;
import static io.deepclass.core.engine.OneDnn.inHandoff;
import static io.deepclass.core.engine.OneDnn.out;
import static io.deepclass.core.engine.OneDnn.outHandoff;
import static io.deepclass.core.engine.OneDnn.execute;
import static io.deepclass.core.engine.OneDnn.finish;
import static io.deepclass.core.engine.OneDnn.run;
import static io.deepclass.core.engine.OneDnn.share;

import java.util.Map;

import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.convolution_backward_data;
import org.bytedeco.dnnl.convolution_backward_weights;
import org.bytedeco.dnnl.convolution_forward;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.primitive;
import org.bytedeco.dnnl.stream;
import org.bytedeco.dnnl.global.dnnl.algorithm;
import org.bytedeco.dnnl.global.dnnl.prop_kind;
import org.nd4j.linalg.api.ndarray.INDArray;

import io.deepclass.core.engine.OneDnn.Operand;

/**
 * One convolution layer's forward pass, weight-and-bias gradient and input gradient as oneDNN
 * primitives that are created once per batch size and kept, computing in the memory layouts
 * oneDNN chooses for this CPU (blocked, e.g. nChw16c), with reorders from and to the NCHW arrays
 * DL4J passes between layers.
 *
 * <p>libnd4j's oneDNN convolution (what DL4J's helper calls) builds its primitives again on every
 * call, asks for plain NCHW data where the CPU has a blocked kernel, and always computes the
 * input gradient with the weight gradient. Measured at batch 64 for a first layer of one input
 * channel (28x28, 10 filters 5x5): 2.0 ms for libnd4j's backward pass, of which the input
 * gradient is 1.3 ms; 0.13 ms for the weight gradient here, and a first layer's input gradient
 * is never needed to train. The forward pass: 0.28 against 0.14 ms.
 *
 * <p>It uses the JavaCPP build of oneDNN (org.bytedeco:dnnl), which shares ND4J's OpenMP
 * threads. Where that library cannot load, or ND4J runs on a GPU, the layers keep DL4J's code
 * ({@link OneDnn#available()}). Primitive execution is not shared between threads: each layer
 * has its own instance, used under its lock.
 */
final class OneDnnConv {

	/** Kernel, strides and padding: everything but the batch size and the image size. */
	private final OneDnn.Window window;

	/** False for convolutions without a bias (PyTorch's before a BatchNorm, as in torchvision). */
	private final boolean hasBias;

	/**
	 * 0 for a plain convolution; for a depthwise one, its depth multiplier (each input channel c
	 * its own filters, output channels c * multiplier + j).
	 */
	private final int multiplier;

	private final Map<String, Primitives> cache = OneDnn.shapeCache();

	OneDnnConv(final OneDnn.Window window, final boolean hasBias) {
		this(window, hasBias, 0);
	}

	private OneDnnConv(final OneDnn.Window window, final boolean hasBias, final int multiplier) {
		this.window = window;
		this.hasBias = hasBias;
		this.multiplier = multiplier;
	}

	/**
	 * A depthwise convolution as a grouped one, one group per input channel, reading and writing
	 * DL4J's depthwise weights [kH, kW, C, multiplier] in place.
	 */
	static OneDnnConv depthwise(final OneDnn.Window window, final boolean hasBias,
		final int multiplier)
	{
		return new OneDnnConv(window, hasBias, multiplier);
	}

	/**
	 * z = conv(x, w) + b: x [N,C,H,W], w [O,C,kH,kW] (depthwise: [kH,kW,C,multiplier]), b [O]
	 * (null without a bias), z [N,O,OH,OW], all plain.
	 */
	synchronized void forward(final INDArray x, final INDArray w, final INDArray b,
		final INDArray z)
	{
		forward(x, w, b, z, false);
	}

	/**
	 * As {@link #forward(INDArray, INDArray, INDArray, INDArray)}; with {@code handoff}, z's
	 * blocked values stay for the next call ({@link BlockedHandoff}): only when z goes to one
	 * layer alone, unchanged.
	 */
	synchronized void forward(final INDArray x, final INDArray w, final INDArray b,
		final INDArray z, final boolean handoff)
	{
		final Primitives p = primitives(x, z);
		final IntMemoryMap args = p.forwardArgs;
		in(p.stream, p.fwdSrc, x, args, DNNL_ARG_SRC);
		in(p.stream, p.fwdWeights, w, args, DNNL_ARG_WEIGHTS);
		if (hasBias) in(p.stream, p.bias, b, args, DNNL_ARG_BIAS);
		if (handoff) outHandoff(p.fwdDst, z, args, DNNL_ARG_DST);
		else out(p.fwdDst, z, args, DNNL_ARG_DST);
		run(p.stream, p.forward, args, p.fwdDst);
	}

	/**
	 * dW and dB (null without a bias) from the input x and the gradient dZ at the pre-activations,
	 * and dX, the gradient at the input, from dZ and the weights w unless {@code dx} is null. dZ
	 * is reordered once for both when both primitives want it in the same layout (3x3 and
	 * depthwise convolutions: it was reordered twice).
	 */
	synchronized void backward(final INDArray x, final INDArray dz, final INDArray w,
		final INDArray dw, final INDArray db, final INDArray dx)
	{
		backward(x, dz, w, dw, db, dx, false);
	}

	/**
	 * As {@link #backward(INDArray, INDArray, INDArray, INDArray, INDArray, INDArray)}; with
	 * {@code handoff}, dZ's blocked values are taken from the last call if it left them
	 * ({@link BlockedHandoff}): only when this layer's output goes to one layer alone, so that dZ
	 * is that layer's input gradient, unchanged.
	 */
	synchronized void backward(final INDArray x, final INDArray dz, final INDArray w,
		final INDArray dw, final INDArray db, final INDArray dx, final boolean handoff)
	{
		final Primitives p = primitives(x, dz);
		p.backwardParts();
		boolean executed = false;
		try {
			final IntMemoryMap weights = p.backwardWeightsArgs;
			in(p.stream, p.bwwSrc, x, weights, DNNL_ARG_SRC);
			if (handoff) inHandoff(p.stream, p.bwwDiffDst, dz, weights, DNNL_ARG_DIFF_DST);
			else in(p.stream, p.bwwDiffDst, dz, weights, DNNL_ARG_DIFF_DST);
			out(p.bwwDiffWeights, dw, weights, DNNL_ARG_DIFF_WEIGHTS);
			if (hasBias) {
				out(p.diffBias, db, weights, DNNL_ARG_DIFF_BIAS);
				execute(p.stream, p.backwardWeights, weights, p.bwwDiffWeights, p.diffBias);
			}
			else execute(p.stream, p.backwardWeights, weights, p.bwwDiffWeights);
			if (dx != null) {
				final IntMemoryMap data = p.backwardDataArgs;
				if (p.sharedDiffDst) share(p.bwwDiffDst, p.bwdDiffDst, data, DNNL_ARG_DIFF_DST);
				else in(p.stream, p.bwdDiffDst, dz, data, DNNL_ARG_DIFF_DST);
				in(p.stream, p.bwdWeights, w, data, DNNL_ARG_WEIGHTS);
				out(p.bwdDiffSrc, dx, data, DNNL_ARG_DIFF_SRC);
				execute(p.stream, p.backwardData, data, p.bwdDiffSrc);
			}
			executed = true;
		}
		finally {
			finish(p.stream, executed);
		}
	}

	private Primitives primitives(final INDArray x, final INDArray z) {
		return cache.computeIfAbsent(OneDnn.shapeKey(x, z), k -> new Primitives(x.shape(), z
			.shape()));
	}

	/** The primitives and reorders for one input and output shape. */
	private final class Primitives {

		final stream stream = new stream(ENGINE);

		/** Kept: the same memory objects are bound on every call (see OneDnn#run). */
		final IntMemoryMap forwardArgs = new IntMemoryMap();

		/** Kept: the same memory objects are bound on every call (see OneDnn#run). */
		final IntMemoryMap backwardWeightsArgs = new IntMemoryMap();

		/** Kept: the same memory objects are bound on every call (see OneDnn#run). */
		final IntMemoryMap backwardDataArgs = new IntMemoryMap();

		final long[] xDims;

		final long[] wDims;

		final long[] zDims;

		/** See {@link OneDnn.Window#paddingEnd}. */
		final long[] paddingEnd;

		final convolution_forward.primitive_desc forwardDesc;

		final primitive forward;

		final Operand fwdSrc;

		final Operand fwdWeights;

		final Operand bias;

		final Operand fwdDst;

		primitive backwardWeights;

		Operand bwwSrc;

		Operand bwwDiffDst;

		Operand bwwDiffWeights;

		Operand diffBias;

		primitive backwardData;

		Operand bwdDiffDst;

		Operand bwdWeights;

		Operand bwdDiffSrc;

		/** Whether both backward primitives read dZ in the same (non-plain) layout. */
		boolean sharedDiffDst;

		Primitives(final long[] x, final long[] z) {
			xDims = x.clone();
			zDims = z.clone();
			final long[] kernel = window.kernel();
			// depthwise: oneDNN's grouped weights, groups x outputs x inputs per group x kH x kW
			wDims = multiplier == 0 ? new long[] { z[1], x[1], kernel[0], kernel[1] } : new long[] {
				x[1], multiplier, 1, kernel[0], kernel[1] };
			paddingEnd = window.paddingEnd(x, z);
			final memory.format_tag any = memory.format_tag.any;
			final memory.format_tag act = activationLayout();
			final memory.desc biasDesc = desc(new long[] { z[1] }, memory.format_tag.x);
			forwardDesc = new convolution_forward.primitive_desc(hasBias ? new convolution_forward.desc(
				prop_kind.forward_training, algorithm.convolution_direct, desc(xDims, act), desc(wDims,
					any), biasDesc, desc(zDims, act), window.strides(), window.padding(), paddingEnd)
				: new convolution_forward.desc(prop_kind.forward_training, algorithm.convolution_direct,
					desc(xDims, act), desc(wDims, any), desc(zDims, act), window.strides(), window
						.padding(), paddingEnd), ENGINE);
			forward = new convolution_forward(forwardDesc);
			fwdSrc = new Operand(desc(xDims, memory.format_tag.nchw), forwardDesc.src_desc(), false);
			fwdWeights = new Operand(userWeights(), forwardDesc.weights_desc(),
				false);
			bias = hasBias ? new Operand(biasDesc, forwardDesc.bias_desc(), false) : null;
			fwdDst = new Operand(desc(zDims, memory.format_tag.nchw), forwardDesc.dst_desc(), true);
		}

		/**
		 * The weights as DL4J holds them: OIHW, or for a depthwise convolution its [kH, kW, C, m]
		 * array seen as grouped weights [C, m, 1, kH, kW] through strides.
		 */
		memory.desc userWeights() {
			if (multiplier == 0) return desc(wDims, memory.format_tag.oihw);
			final long c = wDims[0], m = wDims[1], kw = wDims[4];
			return new memory.desc(wDims, memory.data_type.f32, new long[] { m, 1, c * m * kw *
				wDims[3], kw * c * m, c * m });
		}

		/**
		 * The layout of input and output: plain NCHW, DL4J's own, for 1x1 convolutions with stride 1
		 * and no padding (a matrix product per image that oneDNN computes on NCHW without
		 * reorders), else the one oneDNN picks (blocked). Why: the reorders between DL4J's arrays
		 * and blocked layouts were the largest single item of a mobilenet_v2 fine-tuning step at
		 * 128 px (oneDNN's verbose log: 0.94 s of 3.3 s over five steps), and most of its
		 * convolutions are 1x1; fine-tuning 51-55 -> 57-60 img/s, 224 px and features unchanged.
		 */
		memory.format_tag activationLayout() {
			final boolean pointwise = multiplier == 0 && wDims[2] == 1 && wDims[3] == 1 && window
				.strides()[0] == 1 && window.strides()[1] == 1 && window.padding()[0] == 0 && window
					.padding()[1] == 0;
			return pointwise ? memory.format_tag.nchw : memory.format_tag.any;
		}

		/** Creates the backward primitives on first use: inference never needs them. */
		void backwardParts() {
			if (backwardWeights != null) return;
			final memory.format_tag any = memory.format_tag.any;
			final memory.format_tag act = activationLayout();
			final memory.desc biasDesc = desc(new long[] { zDims[1] }, memory.format_tag.x);
			final convolution_backward_weights.primitive_desc w =
				new convolution_backward_weights.primitive_desc(hasBias
					? new convolution_backward_weights.desc(algorithm.convolution_direct, desc(xDims, act),
						desc(wDims, any), biasDesc, desc(zDims, act), window.strides(), window.padding(),
						paddingEnd)
					: new convolution_backward_weights.desc(algorithm.convolution_direct, desc(xDims, act),
						desc(wDims, any), desc(zDims, act), window.strides(), window.padding(), paddingEnd),
					ENGINE, forwardDesc);
			backwardWeights = new convolution_backward_weights(w);
			bwwSrc = new Operand(desc(xDims, memory.format_tag.nchw), w.src_desc(), false);
			bwwDiffDst = new Operand(desc(zDims, memory.format_tag.nchw), w.diff_dst_desc(), false);
			bwwDiffWeights = new Operand(userWeights(), w.diff_weights_desc(),
				true);
			diffBias = hasBias ? new Operand(biasDesc, w.diff_bias_desc(), true) : null;
			final convolution_backward_data.primitive_desc d =
				new convolution_backward_data.primitive_desc(new convolution_backward_data.desc(
					algorithm.convolution_direct, desc(xDims, act), desc(wDims, any), desc(zDims, act),
					window.strides(), window.padding(), paddingEnd), ENGINE, forwardDesc);
			backwardData = new convolution_backward_data(d);
			bwdDiffDst = new Operand(desc(zDims, memory.format_tag.nchw), d.diff_dst_desc(), false);
			bwdWeights = new Operand(userWeights(), d.weights_desc(), false);
			bwdDiffSrc = new Operand(desc(xDims, memory.format_tag.nchw), d.diff_src_desc(), true);
			sharedDiffDst = bwwDiffDst.toInner != null && bwdDiffDst.toInner != null && w
				.diff_dst_desc().equals(d.diff_dst_desc());
		}
	}
}
