package io.deepclass.core.engine;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;

import org.bytedeco.javacpp.FloatPointer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.normalization.BatchNormalizationHelper;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.floating.SquaredNorm;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Batch normalisation of NCHW float activations for DL4J's BatchNormalization layer, built from
 * the few ND4J operations that run at memory speed on the CPU.
 *
 * <p>Why: with oneDNN, DL4J 1.0.0-M2.1 computes the batch variance with a TAD reduction over
 * dimensions (0, 2, 3) and the backward pass with libnd4j's {@code batchnorm_bp}; for a
 * 64x32x28x28 activation that was 4.2 ms and 7.8 ms on this project's 2-core reference
 * machine (PyTorch: 1.7 ms for the backward pass); with the forward op, about half of a {@code bncnn}
 * training step. Here every per-channel quantity comes from row sums of the activation seen as a
 * (N*C) x (H*W) matrix (one matrix-vector product), and every per-channel scaling is an
 * in-place row scaling of that matrix; each is one pass over memory (0.25-0.6 ms at that size).
 * Broadcast operations into a separate output array, which take 7 ms there, are avoided.
 *
 * <p>The maths is the layer's own: batch mean and biased variance in training (two passes, no
 * cancellation), the global estimates in inference, and for the backward pass
 * {@code dx = gamma/sigma * (dy - sum(dy)/M - xhat * sum(dy*xhat)/M)} with M = N*H*W, written as
 * {@code A * (dy + B*x + C)} per channel. Per-channel sums are accumulated in double.
 * Fully connected activations, which DL4J hands over as N x C x 1 x 1, are seen as an N x C
 * matrix instead. Anything else (NHWC, other data types, fixed gamma and beta) goes to the helper
 * DL4J chose.
 *
 * <p>Where oneDNN's JavaCPP build is loaded, training passes on plain arrays go to
 * {@link OneDnnBatchNorm}'s kept primitives instead (the same maths in fewer passes over memory;
 * mobilenet_v2 fine-tuning at 128 px: about 250 -> 165 ms of batch norm per step, reorders
 * included); the operations above remain for inference, the other cases and from the moment
 * oneDNN refused a shape.
 */
final class FastBatchNorm implements BatchNormalizationHelper {

	/** DL4J's choice (oneDNN, or null for its built-in code), for the cases not handled here. */
	private final BatchNormalizationHelper fallback;

	/**
	 * The largest activation oneDNN's primitives normalise. They work on blocked copies, three at
	 * once in the backward pass (input, output gradient, input gradient): for bncnn's first layer
	 * at 128 x 128, batch 64 (134 MB) that is 402 MB of scratch where its convolution needs 134,
	 * and bench/scale.sh went from 1.98 to 2.21 GiB, with no measured gain on bncnn. At most 48 MiB
	 * (three copies: about what a convolution's scratch holds anyway) keeps mobilenet_v2 and
	 * resnet18 at 128 px, batch 32, on oneDNN throughout; larger ones take the ND4J passes, which
	 * work on the arrays themselves.
	 */
	static final long ONEDNN_MAX_BYTES = 48L << 20;

	/** Whether the last training forward pass ran here (then its statistics are ours). */
	private boolean ownStatistics;

	/** oneDNN's batch normalisation, or null before the first pass or where it is not used. */
	private OneDnnBatchNorm oneDnn;

	/** Set when oneDNN refused a shape: the ND4J operations below run from there on. */
	private boolean oneDnnFailed;

	/** Whether the last training pass ran on {@link #oneDnn} (its statistics in the caches). */
	private boolean statisticsOnOneDnn;

	private INDArray meanCache;

	private INDArray varCache;

	/** Batch statistics of the last training pass, for the backward pass. */
	private double[] mean;

	private double[] invStd;

	/** Per-row coefficients and a ones vector, kept between steps (outside any workspace). */
	private INDArray ones;

	private final INDArray[] vectors = new INDArray[3];

	FastBatchNorm(final BatchNormalizationHelper fallback) {
		this.fallback = fallback;
	}

	/** Whether the last training forward pass was computed here rather than by the fallback. */
	boolean computedLastTrainingPass() {
		return ownStatistics;
	}

	/** Runs the ND4J operations from now on, as after oneDNN refused a shape (tests). */
	void refuseOneDnn() {
		oneDnnFailed = true;
	}

	/** Whether the last training forward pass ran on oneDNN's primitives. */
	boolean trainedOnOneDnn() {
		return ownStatistics && statisticsOnOneDnn;
	}

	private static boolean handles(final INDArray x, final INDArray gamma, final INDArray beta,
		final CNN2DFormat format)
	{
		return x.rank() == 4 && format == CNN2DFormat.NCHW && x.dataType() == DataType.FLOAT &&
			gamma != null && beta != null;
	}

	/**
	 * True where oneDNN's primitives compute the layer: plain arrays (no copies), oneDNN loaded and
	 * not refused before; {@link #handles} holds.
	 */
	private boolean oneDnnHandles(final INDArray x, final INDArray gamma, final INDArray beta) {
		return OneDnn.available() && !oneDnnFailed && x.length() * Float.BYTES <= ONEDNN_MAX_BYTES &&
			OneDnn.plain(x) && OneDnn.plain(gamma) &&
			OneDnn.plain(beta) && gamma.length() == x.size(1) && beta.length() == x.size(1);
	}

	private OneDnnBatchNorm oneDnn(final double eps) {
		if (oneDnn == null || oneDnn.eps() != (float) eps) oneDnn = new OneDnnBatchNorm(eps);
		return oneDnn;
	}

	/** The array itself when its values lie in row-major order without gaps, else such a copy. */
	private static INDArray rowMajor(final INDArray x) {
		long expected = 1;
		for (int d = x.rank() - 1; d >= 0; d--) {
			if (x.size(d) != 1 && x.stride(d) != expected) return x.dup('c');
			expected *= x.size(d);
		}
		return x;
	}

	@Override
	public boolean checkSupported(final double eps, final boolean fixedGammaBeta) {
		return !fixedGammaBeta;
	}

	@Override
	public boolean checkSupported() {
		return true;
	}

	@Override
	public Map<String, Long> helperMemoryUse() {
		return Collections.emptyMap();
	}

	@Override
	public INDArray getMeanCache(final DataType dataType) {
		return ownStatistics || fallback == null ? meanCache : fallback.getMeanCache(dataType);
	}

	@Override
	public INDArray getVarCache(final DataType dataType) {
		return ownStatistics || fallback == null ? varCache : fallback.getVarCache(dataType);
	}

	@Override
	public INDArray preOutput(final INDArray input, final boolean training, final long[] shape,
		final INDArray gamma, final INDArray beta, final INDArray globalMean,
		final INDArray globalVar, final double decay, final double eps, final CNN2DFormat format,
		final LayerWorkspaceMgr workspaces)
	{
		if (!handles(input, gamma, beta, format)) {
			if (training) ownStatistics = false;
			return fallback == null ? null : fallback.preOutput(input, training, shape, gamma, beta,
				globalMean, globalVar, decay, eps, format, workspaces);
		}
		if (training && oneDnnHandles(input, gamma, beta)) {
			final INDArray out = workspaces.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT,
				input.shape(), 'c');
			try {
				statisticsCaches((int) input.size(1));
				oneDnn(eps).forwardTraining(input, gamma, beta, out, meanCache, varCache);
				ownStatistics = true;
				statisticsOnOneDnn = true;
				return out;
			}
			catch (final RuntimeException e) {
				oneDnnFailed = true; // same results from the ND4J operations below
			}
		}
		final INDArray x = rowMajor(input);
		final Channels ch = new Channels(x);
		final INDArray out = workspaces.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT, x
			.shape(), 'c');
		final INDArray x2 = ch.matrix(x);
		final INDArray out2 = ch.matrix(out);
		final float[] g = gamma.toFloatVector();
		final float[] b = beta.toFloatVector();
		final double[] s = new double[ch.c];
		out2.assign(x2);
		if (training) {
			final double[] m = ch.sums(x2);
			for (int k = 0; k < ch.c; k++)
				m[k] /= ch.count;
			ch.shift(out2, 0, k -> -m[k]);
			final double[] v = ch.squaredNorms(out2);
			for (int k = 0; k < ch.c; k++) {
				v[k] /= ch.count;
				s[k] = 1 / Math.sqrt(v[k] + eps);
			}
			ch.scale(out2, 1, k -> g[k] * s[k]);
			ch.shift(out2, 2, k -> b[k]);
			keepStatistics(m, v);
			mean = m;
			invStd = s;
			ownStatistics = true;
			statisticsOnOneDnn = false;
		}
		else {
			final float[] gm = globalMean.toFloatVector();
			final float[] gv = globalVar.toFloatVector();
			for (int k = 0; k < ch.c; k++)
				s[k] = 1 / Math.sqrt(gv[k] + eps);
			ch.scale(out2, 1, k -> g[k] * s[k]);
			ch.shift(out2, 2, k -> b[k] - gm[k] * g[k] * s[k]);
		}
		return out;
	}

	@Override
	public Pair<Gradient, INDArray> backpropGradient(final INDArray input, final INDArray epsilon,
		final long[] shape, final INDArray gamma, final INDArray beta, final INDArray dGammaView,
		final INDArray dBetaView, final double eps, final CNN2DFormat format,
		final LayerWorkspaceMgr workspaces)
	{
		if (!ownStatistics || !handles(input, gamma, beta, format) || !statisticsOnOneDnn &&
			(mean == null || mean.length != input.size(1)))
		{
			return fallback == null ? null : fallback.backpropGradient(input, epsilon, shape, gamma, beta,
				dGammaView, dBetaView, eps, format, workspaces);
		}
		final INDArray dy = rowMajor(epsilon.castTo(DataType.FLOAT));
		if (statisticsOnOneDnn && oneDnnHandles(input, gamma, beta) && OneDnn.plain(dGammaView) &&
			OneDnn.plain(dBetaView))
		{
			final INDArray dx = workspaces.createUninitialized(ArrayType.ACTIVATION_GRAD,
				DataType.FLOAT, input.shape(), 'c');
			try {
				oneDnn(eps).backward(input, dy, gamma, beta, meanCache, varCache, dx, dGammaView, dBetaView);
				final Gradient gradient = new DefaultGradient();
				gradient.setGradientFor(BatchNormalizationParamInitializer.GAMMA, dGammaView);
				gradient.setGradientFor(BatchNormalizationParamInitializer.BETA, dBetaView);
				return new Pair<>(gradient, dx);
			}
			catch (final RuntimeException e) {
				oneDnnFailed = true;
				// the statistics are the layer's, so DL4J's own code gives the same result
				return fallback == null ? null : fallback.backpropGradient(input, epsilon, shape, gamma,
					beta, dGammaView, dBetaView, eps, format, workspaces);
			}
		}
		final INDArray x = rowMajor(input);
		final Channels ch = new Channels(x);
		final INDArray dx = workspaces.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT,
			x.shape(), 'c');
		final INDArray x2 = ch.matrix(x);
		final INDArray dy2 = ch.matrix(dy);
		final INDArray dx2 = ch.matrix(dx);
		// per channel: sum(dy) and sum(dy * x), the latter through dx as scratch
		Nd4j.exec(new MulOp(dy2, x2, dx2));
		final double[] sumDyX = ch.sums(dx2);
		final double[] sumDy = ch.sums(dy2);
		final float[] g = gamma.toFloatVector();
		final float[] dGamma = new float[ch.c];
		final float[] dBeta = new float[ch.c];
		final double[] a = new double[ch.c];
		final double[] bx = new double[ch.c];
		final double[] c0 = new double[ch.c];
		for (int k = 0; k < ch.c; k++) {
			final double dg = invStd[k] * (sumDyX[k] - mean[k] * sumDy[k]);
			dGamma[k] = (float) dg;
			dBeta[k] = (float) sumDy[k];
			a[k] = g[k] * invStd[k];
			bx[k] = -invStd[k] * dg / ch.count;
			c0[k] = -sumDy[k] / ch.count + invStd[k] * mean[k] * dg / ch.count;
		}
		dx2.assign(x2);
		ch.scale(dx2, 0, k -> bx[k]);
		dx2.addi(dy2);
		ch.shift(dx2, 1, k -> c0[k]);
		ch.scale(dx2, 2, k -> a[k]);
		dGammaView.assign(Nd4j.createFromArray(dGamma).reshape(dGammaView.shape()));
		dBetaView.assign(Nd4j.createFromArray(dBeta).reshape(dBetaView.shape()));
		final Gradient gradient = new DefaultGradient();
		gradient.setGradientFor(BatchNormalizationParamInitializer.GAMMA, dGammaView);
		gradient.setGradientFor(BatchNormalizationParamInitializer.BETA, dBetaView);
		return new Pair<>(gradient, dx);
	}

	private interface PerChannel {

		double value(int channel);
	}

	/**
	 * An N x C x H x W activation as a matrix whose per-channel sums and scalings are single
	 * operations: (N*C) x (H*W) with one row per image and channel, or N x C when H*W is 1 (a
	 * fully connected layer's activations).
	 */
	private final class Channels {

		final int n;

		final int c;

		final int hw;

		final double count;

		Channels(final INDArray x) {
			n = (int) x.size(0);
			c = (int) x.size(1);
			hw = (int) (x.size(2) * x.size(3));
			count = (double) n * hw;
		}

		private boolean dense() {
			return hw == 1;
		}

		INDArray matrix(final INDArray activation) {
			return dense() ? activation.reshape('c', n, c) : activation.reshape('c', (long) n * c, hw);
		}

		/** Per-channel sums, accumulated in double over the per-row float sums. */
		double[] sums(final INDArray matrix) {
			final INDArray ones = ones(dense() ? new long[] { 1, n } : new long[] { hw, 1 });
			final INDArray sums = dense() ? Nd4j.createUninitialized(DataType.FLOAT, 1, c) : Nd4j
				.createUninitialized(DataType.FLOAT, (long) n * c, 1);
			if (dense()) Nd4j.gemm(ones, matrix, sums, false, false, 1.0, 0.0);
			else Nd4j.gemm(matrix, ones, sums, false, false, 1.0, 0.0);
			return perChannel(sums.toFloatVector());
		}

		double[] squaredNorms(final INDArray matrix) {
			final INDArray norms = Nd4j.createUninitialized(DataType.FLOAT, dense() ? c : (long) n * c);
			Nd4j.exec(new SquaredNorm(matrix, norms, dense() ? 0 : 1));
			return perChannel(norms.toFloatVector());
		}

		private double[] perChannel(final float[] values) {
			final double[] sums = new double[c];
			if (dense()) for (int k = 0; k < c; k++)
				sums[k] = values[k];
			else for (int i = 0; i < n; i++)
				for (int k = 0; k < c; k++)
					sums[k] += values[i * c + k];
			return sums;
		}

		void scale(final INDArray matrix, final int slot, final PerChannel value) {
			if (dense()) matrix.muliRowVector(vector(slot, value));
			else matrix.muliColumnVector(vector(slot, value));
		}

		void shift(final INDArray matrix, final int slot, final PerChannel value) {
			if (dense()) matrix.addiRowVector(vector(slot, value));
			else matrix.addiColumnVector(vector(slot, value));
		}

		/** 1 x C, or (N*C) x 1 with row r holding the value of channel r % C; slot: a kept array. */
		private INDArray vector(final int slot, final PerChannel value) {
			final int length = dense() ? c : n * c;
			final float[] values = new float[length];
			for (int k = 0; k < c; k++) {
				final float v = (float) value.value(k);
				for (int i = k; i < length; i += c)
					values[i] = v;
			}
			final long[] shape = dense() ? new long[] { 1, c } : new long[] { length, 1 };
			if (vectors[slot] == null || !Arrays.equals(vectors[slot].shape(), shape)) try (
				MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces())
			{
				vectors[slot] = Nd4j.createUninitialized(DataType.FLOAT, shape, 'c');
			}
			((FloatPointer) vectors[slot].data().pointer()).put(values, 0, length);
			return vectors[slot];
		}

		private INDArray ones(final long[] shape) {
			if (ones == null || !Arrays.equals(ones.shape(), shape)) try (
				MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces())
			{
				ones = Nd4j.ones(DataType.FLOAT, shape);
			}
			return ones;
		}
	}

	/** The batch statistics DL4J reads back to update its running estimates. */
	private void keepStatistics(final double[] m, final double[] v) {
		final float[] mf = new float[m.length];
		final float[] vf = new float[v.length];
		for (int k = 0; k < m.length; k++) {
			mf[k] = (float) m[k];
			vf[k] = (float) v[k];
		}
		statisticsCaches(m.length);
		((FloatPointer) meanCache.data().pointer()).put(mf, 0, mf.length);
		((FloatPointer) varCache.data().pointer()).put(vf, 0, vf.length);
	}

	/** Makes {@link #meanCache} and {@link #varCache} hold {@code c} values, outside workspaces. */
	private void statisticsCaches(final int c) {
		if (meanCache == null || meanCache.length() != c) try (MemoryWorkspace ignored = Nd4j
			.getMemoryManager().scopeOutOfWorkspaces())
		{
			meanCache = Nd4j.createUninitialized(DataType.FLOAT, c);
			varCache = Nd4j.createUninitialized(DataType.FLOAT, c);
		}
	}
}
