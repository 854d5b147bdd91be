package io.deepclass.demo;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;

import io.deepclass.core.backend.NativeBackend;
import io.deepclass.core.backend.NativeThreads;
import io.deepclass.core.engine.FastGraph;
import io.deepclass.core.transfer.Backbone;
import io.deepclass.core.transfer.TransferTraining;

/**
 * The transfer-learning speed figures PyTorch's peer prints ({@code pytorch_transfer_peer.py
 * speed}), measured the same way for DeepClass: images/s of the frozen backbone's feature pass
 * (the features strategy) and of training the whole network (fine-tune, SGD 1e-4 momentum 0.9),
 * on random input. {@code TransferSpeed model.onnx size batch seconds}; run by
 * {@code bench/transfer_speed.sh}.
 */
public final class TransferSpeed {

	/** Launchers print their figures on the console (this is not library code). */
	private static final PrintStream OUT = System.out;

	private TransferSpeed() {}

	public static void main(final String[] args) throws Exception {
		NativeBackend.select();
		final Path onnx = Path.of(args[0]);
		final int size = Integer.parseInt(args[1]), batch = Integer.parseInt(args[2]);
		final double seconds = Double.parseDouble(args[3]);
		final int threads = NativeThreads.configure();
		final Backbone backbone = Backbone.load(onnx, null, size);
		final INDArray x = Nd4j.randn(DataType.FLOAT, batch, 3, size, size);
		final INDArray y = Nd4j.zeros(DataType.FLOAT, batch, 10);
		for (int i = 0; i < batch; i++)
			y.putScalar(i, i % 10, 1);
		final TransferTraining.Settings head = TransferTraining.Settings.of(
			TransferTraining.Strategy.FEATURES);

		// as TransferTraining runs them: on the backbone's fast layers
		backbone.features(x);
		long start = System.nanoTime();
		int n = 0;
		while (System.nanoTime() - start < seconds * 1e9) {
			backbone.features(x);
			n += batch;
		}
		final double features = n / ((System.nanoTime() - start) / 1e9);

		final ComputationGraph open = TransferTraining.withHead(backbone, 10, head, new Nesterovs(
			1e-4, 0.9), 1, false);
		final FastGraph fast = FastGraph.install(open);
		fast.fit(x, y);
		start = System.nanoTime();
		n = 0;
		while (System.nanoTime() - start < seconds * 1e9) {
			fast.fit(x, y);
			n += batch;
		}
		final double fineTune = n / ((System.nanoTime() - start) / 1e9);
		OUT.printf(Locale.ROOT, "{\"peer\": \"deepclass\", \"task\": \"speed\", \"backbone\": " +
			"\"%s\", \"size\": %d, \"batch\": %d, \"threads\": %d, \"features_img_per_s\": %.1f, " +
			"\"finetune_img_per_s\": %.1f}%n", backbone.name(), size, batch, threads, features,
			fineTune);
	}
}
