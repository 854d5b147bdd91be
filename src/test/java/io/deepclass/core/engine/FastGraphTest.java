package io.deepclass.core.engine;

import static io.deepclass.core.engine.FastLayersTest.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

import io.deepclass.core.backend.NativeBackend;
import io.deepclass.core.transfer.Backbone;
import io.deepclass.core.transfer.TransferTraining;

/**
 * Graphs with the fast layers compute what DL4J's own layers compute: the ONNX fixtures exported
 * by PyTorch (no-bias convolutions, BatchNorm, ReLU and ReLU6, max-pooling, residual additions,
 * depthwise and grouped convolutions) with a new head, frozen (the features strategy: frozen
 * layers in inference mode) and open (fine-tuning: BatchNorm on batch statistics), step by step;
 * and a layer frozen with backprop, whose input gradient still flows.
 */
class FastGraphTest {

	@TempDir
	Path dir;

	private Backbone fixture(final String name) throws IOException {
		NativeBackend.select();
		final Path file = dir.resolve(name + ".onnx");
		if (Files.exists(file)) return Backbone.load(file, null);
		try (InputStream in = getClass().getResourceAsStream("/io/deepclass/core/onnx/" + name +
			".onnx"))
		{
			Files.copy(in, file);
		}
		return Backbone.load(file, null);
	}

	private static ComputationGraph withHead(final Backbone backbone, final boolean freeze) {
		return TransferTraining.withHead(backbone, 3, TransferTraining.Settings.of(
			TransferTraining.Strategy.FEATURES), new Nesterovs(0.05, 0.9), 5, freeze);
	}

	private static INDArray images(final Backbone backbone, final int n) {
		Nd4j.getRandom().setSeed(42);
		return Nd4j.randn(DataType.FLOAT, backbone.input().batchShape(n));
	}

	private static INDArray labels(final int n, final int classes) {
		final INDArray y = Nd4j.zeros(DataType.FLOAT, n, classes);
		for (int i = 0; i < n; i++)
			y.putScalar(i, i % classes, 1);
		return y;
	}

	@ParameterizedTest
	@ValueSource(strings = { "residual", "mobile", "excite" })
	void fineTuningTrainsLikeDl4j(final String name) throws IOException {
		final Backbone backbone = fixture(name);
		final ComputationGraph reference = withHead(backbone, false);
		final ComputationGraph graph = withHead(backbone, false);
		graph.params().assign(reference.params());
		final FastGraph fast = FastGraph.install(graph);
		assertTrue(FastLayers.installed(graph), "every layer DL4J has a fast one for");

		final INDArray x = images(backbone, 8);
		final INDArray y = labels(8, 3);
		assertClose(reference.outputSingle(false, x), fast.output(x), 1e-5, "first prediction");
		for (int step = 0; step < 4; step++) {
			reference.fit(new DataSet(x, y));
			fast.fit(x, y);
			assertEquals(reference.score(), graph.score(), 1e-5, "loss at step " + step);
			assertClose(reference.params(), graph.params(), 1e-5, "parameters after step " + step);
			assertClose(reference.updaterState(), graph.updaterState(), 1e-5, "momentum after step " +
				step);
		}
		assertClose(reference.outputSingle(false, x), fast.output(x), 1e-5, "trained prediction");
		// after training the input convolutions compute the input gradient again (saliency)
		for (final OneDnnLayers.Convolution conv : FastGraph.inputConvolutions(graph))
			assertTrue(conv.inputGradientNeeded);
		assertRanOnOneDnn(graph, true);
	}

	@ParameterizedTest
	@ValueSource(strings = { "residual", "mobile", "excite" })
	void frozenFeaturesAndHeadTrainLikeDl4j(final String name) throws IOException {
		final Backbone backbone = fixture(name);
		final ComputationGraph reference = withHead(backbone, true);
		final ComputationGraph graph = withHead(backbone, true);
		graph.params().assign(reference.params());
		final FastGraph fast = FastGraph.install(graph);
		assertTrue(FastLayers.installed(graph), "frozen layers too");

		final INDArray x = images(backbone, 8);
		final INDArray y = labels(8, 3);
		final INDArray referenceFeatures = reference.output(List.of(backbone.cut()), false,
			new INDArray[] { x }, null)[0];
		final INDArray features = graph.output(List.of(backbone.cut()), false, new INDArray[] { x },
			null)[0];
		assertClose(referenceFeatures, features, 1e-5, "features");
		final INDArray frozen = graph.params().dup();
		for (int step = 0; step < 3; step++) {
			reference.fit(new DataSet(x, y));
			fast.fit(x, y);
			assertClose(reference.params(), graph.params(), 1e-5, "parameters after step " + step);
		}
		assertClose(reference.outputSingle(false, x), fast.output(x), 1e-5, "trained prediction");
		final long head = graph.getLayer("deepclass_head").numParams();
		assertEquals(0, frozen.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, frozen.length() -
			head)).sub(graph.params().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, frozen
				.length() - head))).amaxNumber().doubleValue(), "the backbone stays as it was, bit " +
					"for bit");
		assertRanOnOneDnn(graph, true);
	}

	/**
	 * A no-bias convolution frozen with backprop (as fine-tuning's folded BatchNorm layers),
	 * BatchNorm, ReLU, max-pooling and a residual addition: the frozen layer's weights stay, the
	 * gradient passes through it to the trainable convolution before it.
	 */
	@Test
	void layersFrozenWithBackpropPassGradientsLikeDl4j() {
		NativeBackend.select();
		final ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(7)
			.updater(new Nesterovs(0.05, 0.9)).weightInit(WeightInit.XAVIER).convolutionMode(
				ConvolutionMode.Truncate).graphBuilder().addInputs("in").addLayer("conv",
					new ConvolutionLayer.Builder(3, 3).nOut(6).padding(1, 1).hasBias(false).activation(
						Activation.IDENTITY).build(), "in").addLayer("frozen", new FrozenLayerWithBackprop(
							new ConvolutionLayer.Builder(3, 3).nIn(6).nOut(6).padding(1, 1).hasBias(false)
								.activation(Activation.IDENTITY).build()), "conv").addLayer("bn",
									new BatchNormalization.Builder().build(), "frozen").addLayer("relu",
										new ActivationLayer.Builder().activation(Activation.RELU).build(), "bn")
			.addVertex("add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "relu", "conv")
			.addLayer("pool", new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(3, 3).stride(2,
				2).padding(1, 1).build(), "add").addLayer("gap", new GlobalPoolingLayer.Builder(
					PoolingType.AVG).build(), "pool").addLayer("out", new OutputLayer.Builder(
						LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX).build(), "gap")
			.setOutputs("out").setInputTypes(InputType.convolutional(10, 10, 2)).build();
		final ComputationGraph reference = new ComputationGraph(conf.clone());
		reference.init();
		final ComputationGraph graph = new ComputationGraph(conf.clone());
		graph.init(reference.params().dup(), false);
		final FastGraph fast = FastGraph.install(graph);
		assertTrue(((BaseWrapperLayer) graph.getLayer("frozen")).getUnderlying() instanceof
			OneDnnLayers.Convolution, "the frozen layer's inside is fast");
		assertEquals(1, FastGraph.inputConvolutions(graph).size(), "the convolution reading the " +
			"images");

		Nd4j.getRandom().setSeed(3);
		final INDArray x = Nd4j.randn(DataType.FLOAT, 6, 2, 10, 10);
		final INDArray y = labels(6, 3);
		final INDArray frozenWeights = graph.getLayer("frozen").getParam("W").dup();
		for (int step = 0; step < 3; step++) {
			reference.fit(new DataSet(x, y));
			fast.fit(x, y);
			assertEquals(reference.score(), graph.score(), 1e-5, "loss at step " + step);
			assertClose(reference.params(), graph.params(), 1e-5, "parameters after step " + step);
		}
		assertEquals(frozenWeights, graph.getLayer("frozen").getParam("W"), "frozen weights");
		assertFalse(frozenWeights.equals(graph.getLayer("conv").getParam("W")));
		assertClose(reference.outputSingle(false, x), fast.output(x), 1e-5, "trained prediction");
		assertRanOnOneDnn(graph, true);
	}

	/**
	 * Depthwise convolutions as MobileNet has them (stride 2, padding, no bias) and with a depth
	 * multiplier of 2 and a bias, ReLU6, and a 1x1 depthwise layer frozen with backprop (what
	 * fine-tuning folds a frozen BatchNorm into).
	 */
	@Test
	void depthwiseConvolutionsTrainLikeDl4j() {
		NativeBackend.select();
		final ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(8)
			.updater(new Nesterovs(0.05, 0.9)).weightInit(WeightInit.XAVIER).convolutionMode(
				ConvolutionMode.Truncate).graphBuilder().addInputs("in").addLayer("conv",
					new ConvolutionLayer.Builder(1, 1).nOut(4).hasBias(false).activation(
						Activation.IDENTITY).build(), "in").addLayer("dw", new DepthwiseConvolution2D.Builder(3,
							3).depthMultiplier(1).stride(2, 2).padding(1, 1).hasBias(false).activation(
								Activation.IDENTITY).build(), "conv").addLayer("bn", new BatchNormalization.Builder()
									.build(), "dw").addLayer("relu6", new ActivationLayer.Builder().activation(
										Activation.RELU6).build(), "bn").addLayer("dw2", new DepthwiseConvolution2D.Builder(
											3, 3).depthMultiplier(2).padding(1, 1).activation(Activation.IDENTITY).build(),
												"relu6").addLayer("folded", new FrozenLayerWithBackprop(
													new DepthwiseConvolution2D.Builder(1, 1).nIn(8).depthMultiplier(1).activation(
														Activation.IDENTITY).build()), "dw2").addLayer("gap",
															new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "folded").addLayer(
																"out", new OutputLayer.Builder(LossFunction.MCXENT).nOut(3).activation(
																	Activation.SOFTMAX).build(), "gap").setOutputs("out").setInputTypes(InputType
																		.convolutional(11, 11, 3)).build();
		final ComputationGraph reference = new ComputationGraph(conf.clone());
		reference.init();
		final ComputationGraph graph = new ComputationGraph(conf.clone());
		graph.init(reference.params().dup(), false);
		final FastGraph fast = FastGraph.install(graph);
		assertTrue(FastLayers.installed(graph));

		Nd4j.getRandom().setSeed(4);
		final INDArray x = Nd4j.randn(DataType.FLOAT, 5, 3, 11, 11);
		final INDArray y = labels(5, 3);
		assertClose(reference.outputSingle(false, x), fast.output(x), 1e-5, "first prediction");
		final INDArray folded = graph.getLayer("folded").params().dup();
		final long handoffs = BlockedHandoff.get().taken();
		for (int step = 0; step < 3; step++) {
			reference.fit(new DataSet(x, y));
			fast.fit(x, y);
			assertEquals(reference.score(), graph.score(), 1e-5, "loss at step " + step);
			assertClose(reference.params(), graph.params(), 1e-5, "parameters after step " + step);
		}
		assertEquals(folded, graph.getLayer("folded").params(), "frozen weights");
		assertClose(reference.outputSingle(false, x), fast.output(x), 1e-5, "trained prediction");
		assertTrue(((OneDnnDepthwise) graph.getLayer("dw2")).ranOnOneDnn());
		assertRanOnOneDnn(graph, true);
		// "dw" feeds "bn" alone: its output and the gradient there passed in oneDNN's layout
		assertTrue(((OneDnnDepthwise) graph.getLayer("dw")).singleConsumer);
		assertEquals(2 * 3, BlockedHandoff.get().taken() - handoffs, "handoffs: forward and " +
			"backward, three steps");
	}

	@Test
	void modelFilesStayPlainDl4j() throws IOException {
		final ComputationGraph graph = withHead(fixture("residual"), false);
		final FastGraph fast = FastGraph.install(graph);
		final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
		ModelSerializer.writeModel(graph, bytes, true);
		final ComputationGraph restored = ModelSerializer.restoreComputationGraph(
			new java.io.ByteArrayInputStream(bytes.toByteArray()), true);
		assertFalse(FastLayers.installed(restored), "DL4J alone restores its own layer classes");
		final INDArray x = images(fixture("residual"), 4);
		assertClose(fast.output(x), restored.outputSingle(false, x), 1e-6, "restored prediction");
	}

	/**
	 * A thread that trained and predicted holds oneDNN buffers until it releases them; then all
	 * are freed (ImageJ runs each menu command on a thread of its own: without this each command
	 * left its buffers allocated for the life of Fiji).
	 */
	@Test
	void aThreadGivesBackItsBuffersWhenReleased() throws Exception {
		final Backbone backbone = fixture("residual");
		final FastGraph fast = FastGraph.install(withHead(backbone, false));
		final INDArray x = images(backbone, 8), y = labels(8, 3);
		final long before = ThreadBuffers.live();
		final long[] held = new long[1];
		final java.util.concurrent.atomic.AtomicReference<Throwable> failed =
			new java.util.concurrent.atomic.AtomicReference<>();
		final Thread thread = new Thread(() -> {
			try {
				fast.fit(x, y);
				fast.output(x);
				held[0] = ThreadBuffers.live();
				FastGraph.releaseThreadBuffers();
				FastGraph.releaseThreadBuffers(); // twice, or on a thread with none: nothing happens
			}
			catch (final Throwable e) {
				failed.set(e);
			}
		});
		thread.start();
		thread.join();
		if (failed.get() != null) throw new AssertionError(failed.get());
		assertTrue(held[0] > before, "the thread's calls kept buffers: " + held[0] + " bytes, " +
			before + " before");
		assertEquals(before, ThreadBuffers.live(), "all of them freed");
	}

	@Test
	void offTheCpuBackendGraphsRunDl4jsOwnLayers() throws IOException {
		final ComputationGraph graph = withHead(fixture("residual"), false);
		FastGraph.install(graph, false);
		assertFalse(FastLayers.installed(graph));
	}

	/**
	 * Every convolution without dilation (depthwise too), every max-pooling layer and every
	 * BatchNorm layer that trained ran on oneDNN; with
	 * {@code relu}, some ReLU or ReLU6 layer did too (one after a dilated convolution, which runs
	 * DL4J's code, may get a non-plain array and run DL4J's code as well).
	 */
	static void assertRanOnOneDnn(final ComputationGraph graph, final boolean reluToo) {
		int fast = 0, relu = 0;
		for (Layer layer : graph.getLayers()) {
			if (layer instanceof BaseWrapperLayer wrapper) layer = wrapper.getUnderlying();
			final String what = layer.conf().getLayer().getLayerName() + " on oneDNN";
			if (layer instanceof OneDnnLayers.Convolution conv && conv.layerConf().getDilation()[0] == 1) {
				assertTrue(conv.ranOnOneDnn(), what);
				fast++;
			}
			if (layer instanceof OneDnnDepthwise depthwise) {
				assertTrue(depthwise.ranOnOneDnn(), what);
				fast++;
			}
			if (layer instanceof OneDnnLayers.Pooling pooling && pooling.layerConf()
				.getPoolingType() == org.deeplearning4j.nn.conf.layers.PoolingType.MAX)
			{
				assertTrue(pooling.ranOnOneDnn(), what);
				fast++;
			}
			if (layer instanceof OneDnnLayers.Activation activation && activation.ranOnOneDnn()) relu++;
			if (layer instanceof org.deeplearning4j.nn.layers.normalization.BatchNormalization bn &&
				bn.getHelper() instanceof FastBatchNorm helper && helper.computedLastTrainingPass())
			{
				assertTrue(helper.trainedOnOneDnn(), what);
				fast++;
			}
		}
		assertTrue(fast > 0, "convolutions and pooling on oneDNN");
		if (reluToo) assertTrue(relu > 0, "ReLU on oneDNN");
	}
}
