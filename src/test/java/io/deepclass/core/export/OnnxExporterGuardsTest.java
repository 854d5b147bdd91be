package io.deepclass.core.export;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

import io.deepclass.core.DeepClassException;
import io.deepclass.core.TestData;
import io.deepclass.core.bundle.ModelBundle;
import io.deepclass.core.data.Dataset;
import io.deepclass.core.model.Network;
import io.deepclass.core.predict.Classifier;
import io.deepclass.core.train.TrainingSettings;

/**
 * What the exporter cannot write exactly it refuses by name, rather than writing a valid but
 * different graph; sums and products of more than two tensors (ONNX's Add and Mul take two) are
 * written as Sum and chained Mul, exactly.
 */
class OnnxExporterGuardsTest {

	@TempDir
	Path dir;

	private static final Dataset DATA = TestData.stripes(20, 12, 1);

	/** A trained model's description on {@code network} (same input and classes). */
	private static ModelBundle with(final org.deeplearning4j.nn.api.Model network) {
		final ModelBundle trained = TestData.model("cnn:4,dense=8", DATA, null, TrainingSettings
			.defaults().withEpochs(1));
		return new ModelBundle(Network.of(network), trained.info());
	}

	private static MultiLayerNetwork sequential(final org.deeplearning4j.nn.conf.layers.Layer first) {
		final MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1)
			.list().layer(first).layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build()).layer(
				new OutputLayer.Builder(LossFunction.MCXENT).nOut(2).activation(Activation.SOFTMAX).build())
			.setInputType(InputType.convolutional(12, 12, 1)).build());
		net.init();
		return net;
	}

	@Test
	void transposedConvolutionsAndReluVariantsAreRefusedByName() {
		final DeepClassException deconvolution = assertThrows(DeepClassException.class,
			() -> OnnxExporter.export(with(sequential(new Deconvolution2D.Builder(3, 3).nOut(4).build()))));
		assertTrue(deconvolution.getMessage().contains("Deconvolution2D"), deconvolution.getMessage());
		final DeepClassException relu = assertThrows(DeepClassException.class, () -> OnnxExporter
			.export(with(sequential(new ActivationLayer.Builder().activation(new ActivationReLU(6.0, 0.0,
				0.0)).build()))));
		assertTrue(relu.getMessage().contains("ReLU with a maximum"), relu.getMessage());
	}

	@Test
	void sumsAndProductsOfThreeTensorsExportExactly() throws Exception {
		for (final ElementWiseVertex.Op op : new ElementWiseVertex.Op[] { ElementWiseVertex.Op.Add,
			ElementWiseVertex.Op.Product })
		{
			final var b = new NeuralNetConfiguration.Builder().seed(2).graphBuilder().addInputs("in")
				.setInputTypes(InputType.convolutional(12, 12, 1));
			for (final String c : new String[] { "a", "b", "c" })
				b.addLayer(c, new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.TANH).build(),
					"in");
			final ComputationGraph graph = new ComputationGraph(b.addVertex("sum", new ElementWiseVertex(
				op), "a", "b", "c").addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(),
					"sum").addLayer("out", new OutputLayer.Builder(LossFunction.MCXENT).nOut(2).activation(
						Activation.SOFTMAX).build(), "pool").setOutputs("out").build());
			graph.init();
			final ModelBundle model = with(graph);
			final Path file = dir.resolve(op + ".onnx");
			OnnxExporter.write(model, file);
			final double difference = OnnxExporterTest.largestDifference(new Classifier(model).classify(
				DATA).probabilities(), OnnxExporterTest.run(file, OnnxExporterTest.perImage(model, DATA),
					DATA.shape(), DATA.size()));
			assertTrue(difference <= 1e-5, op + ": " + difference);
		}
	}
}
