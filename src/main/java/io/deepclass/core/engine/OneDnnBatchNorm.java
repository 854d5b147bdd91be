package io.deepclass.core.engine;

import static io.deepclass.core.engine.OneDnn.ENGINE;
import static io.deepclass.core.engine.OneDnn.desc;
import static io.deepclass.core.engine.OneDnn.in;
import static io.deepclass.core.engine.OneDnn.inHandoff;
import static io.deepclass.core.engine.OneDnn.out;
import static io.deepclass.core.engine.OneDnn.outHandoff;
import static io.deepclass.core.engine.OneDnn.run;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SCALE;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SHIFT;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_MEAN;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SCALE;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SHIFT;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_VARIANCE;

import java.util.Map;

import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.batch_normalization_backward;
import org.bytedeco.dnnl.batch_normalization_forward;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.primitive;
import org.bytedeco.dnnl.stream;
import org.bytedeco.dnnl.global.dnnl.normalization_flags;
import org.bytedeco.dnnl.global.dnnl.prop_kind;
import org.nd4j.linalg.api.ndarray.INDArray;

import io.deepclass.core.engine.OneDnn.Operand;

/**
 * Batch normalisation of plain NCHW float arrays in training as kept oneDNN primitives: the
 * forward pass (batch mean and biased variance written into the caller's arrays) and the backward
 * pass (input gradient, gamma and beta gradients). oneDNN computes in its blocked layout
 * (nChw16c), with reorders from and to DL4J's arrays: its plain-NCHW batch norm is reference code
 * (9 ms for one 32x32x64x64 forward pass, against 2.3 ms with the reorders).
 *
 * <p>Why: {@link FastBatchNorm}'s ND4J operations (six passes over the activation forward, eight
 * backward, each a separate native call) took about 40 % of a mobilenet_v2 fine-tuning step at
 * 128 px (JFR: 250 of 600 ms), against PyTorch's 130 ms for its whole batch norm. oneDNN reads
 * the activation two or three times per pass. Its maths is the layer's: two-pass batch
 * statistics, {@code y = gamma (x - mean) / sqrt(var + eps) + beta}, and the usual backward
 * formula. Inference stays with {@link FastBatchNorm}'s own three in-place passes, which beat the
 * two reorders here (mobilenet_v2 at 128 px, batch 32: 128-141 against 177 ms per batch).
 */
final class OneDnnBatchNorm {

	private final Map<String, Primitives> cache = OneDnn.shapeCache();

	private final float eps;

	OneDnnBatchNorm(final double eps) {
		this.eps = (float) eps;
	}

	/** The epsilon these primitives add to the variance. */
	float eps() {
		return eps;
	}

	/**
	 * Training: y from x on its batch statistics, which go into {@code mean} and {@code variance}
	 * ([C], biased); all plain, gamma and beta of C values.
	 */
	synchronized void forwardTraining(final INDArray x, final INDArray gamma, final INDArray beta,
		final INDArray y, final INDArray mean, final INDArray variance)
	{
		final Primitives p = primitives(x);
		final IntMemoryMap args = p.trainingArgs;
		// the convolution before has often just left x in this layout
		inHandoff(p.stream, p.src, x, args, DNNL_ARG_SRC);
		in(p.stream, p.scale, gamma, args, DNNL_ARG_SCALE);
		in(p.stream, p.shift, beta, args, DNNL_ARG_SHIFT);
		out(p.mean, mean, args, DNNL_ARG_MEAN);
		out(p.variance, variance, args, DNNL_ARG_VARIANCE);
		out(p.dst, y, args, DNNL_ARG_DST);
		run(p.stream, p.training, args, p.dst);
	}

	/**
	 * dx, dGamma and dBeta from the training pass's input x, its batch statistics and dy; all
	 * plain.
	 */
	synchronized void backward(final INDArray x, final INDArray dy, final INDArray gamma,
		final INDArray beta, final INDArray mean, final INDArray variance, final INDArray dx, final INDArray dGamma,
		final INDArray dBeta)
	{
		final Primitives p = primitives(x);
		p.backwardParts();
		final IntMemoryMap args = p.backwardArgs;
		in(p.stream, p.src, x, args, DNNL_ARG_SRC);
		in(p.stream, p.diffDst, dy, args, DNNL_ARG_DIFF_DST);
		in(p.stream, p.scale, gamma, args, DNNL_ARG_SCALE);
		// oneDNN 2.5 wants the shift bound as well, though the gradients do not depend on it
		in(p.stream, p.shift, beta, args, DNNL_ARG_SHIFT);
		in(p.stream, p.mean, mean, args, DNNL_ARG_MEAN);
		in(p.stream, p.variance, variance, args, DNNL_ARG_VARIANCE);
		// for the convolution before, which may read it in this layout next
		outHandoff(p.diffSrc, dx, args, DNNL_ARG_DIFF_SRC);
		out(p.diffScale, dGamma, args, DNNL_ARG_DIFF_SCALE);
		out(p.diffShift, dBeta, args, DNNL_ARG_DIFF_SHIFT);
		run(p.stream, p.backward, args, p.diffSrc);
	}

	/** Gamma and beta as separate arrays, as DL4J keeps them. */
	private static int scaleShift() {
		return normalization_flags.use_scale.value | normalization_flags.use_shift.value;
	}

	private Primitives primitives(final INDArray x) {
		return cache.computeIfAbsent(OneDnn.shapeKey(x, x), k -> new Primitives(x.shape()));
	}

	/** The primitives for one shape; plain layouts throughout, so no reorders. */
	private final class Primitives {

		final stream stream = new stream(ENGINE);

		/** Kept: the same memory objects are bound on every call (see OneDnn#run). */
		final IntMemoryMap trainingArgs = new IntMemoryMap();

		/** Kept: the same memory objects are bound on every call (see OneDnn#run). */
		final IntMemoryMap backwardArgs = new IntMemoryMap();

		final memory.desc data;

		final memory.desc inner;

		final memory.desc channels;

		final batch_normalization_forward.primitive_desc trainingDesc;

		final primitive training;

		final Operand src;

		final Operand dst;

		final Operand scale;

		final Operand shift;

		final Operand mean;

		final Operand variance;

		primitive backward;

		Operand diffDst;

		Operand diffSrc;

		Operand diffScale;

		Operand diffShift;

		Primitives(final long[] shape) {
			data = desc(shape, memory.format_tag.nchw);
			inner = desc(shape, memory.format_tag.nChw16c);
			channels = desc(new long[] { shape[1] }, memory.format_tag.x);
			trainingDesc = new batch_normalization_forward.primitive_desc(
				new batch_normalization_forward.desc(prop_kind.forward_training.value, inner, eps,
					scaleShift()), ENGINE);
			training = new batch_normalization_forward(trainingDesc);
			src = new Operand(data, trainingDesc.src_desc(), false);
			dst = new Operand(data, trainingDesc.dst_desc(), true);
			scale = new Operand(channels, channels, false);
			shift = new Operand(channels, channels, false);
			// per-channel vectors are plain in every oneDNN layout: read and written in place
			mean = new Operand(channels, channels, false);
			variance = new Operand(channels, channels, false);
		}

		/** Creates the backward primitive on first use: inference never needs it. */
		void backwardParts() {
			if (backward != null) return;
			final batch_normalization_backward.primitive_desc d =
				new batch_normalization_backward.primitive_desc(new batch_normalization_backward.desc(
					prop_kind.backward.value, inner, inner, eps, scaleShift()), ENGINE, trainingDesc);
			backward = new batch_normalization_backward(d);
			diffDst = new Operand(data, d.diff_dst_desc(), false);
			diffSrc = new Operand(data, d.diff_src_desc(), true);
			diffScale = new Operand(channels, channels, true);
			diffShift = new Operand(channels, channels, true);
		}
	}
}
