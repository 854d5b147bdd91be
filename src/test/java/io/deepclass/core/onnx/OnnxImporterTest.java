package io.deepclass.core.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * Imported ONNX networks compute what PyTorch computed when it wrote them: the fixtures in
 * src/test/resources/io/deepclass/core/onnx were exported by make_fixtures.py there (Conv with
 * strides, padding, dilation and depthwise groups, BatchNormalization, Relu, Clip as ReLU6,
 * MaxPool, AveragePool, GlobalAveragePool, Add, Concat, Flatten, Gemm, Softmax; grouped
 * convolution, HardSwish, ceil-mode MaxPool, HardSigmoid and Mul of squeeze-and-excitation, SiLU,
 * a convolution classifier ending in Flatten),
 * each with an input and PyTorch's output for it.
 */
class OnnxImporterTest {

	@TempDir
	Path dir;

	private Path fixture(final String name) throws IOException {
		final Path file = dir.resolve(name);
		try (InputStream in = getClass().getResourceAsStream(name)) {
			Files.copy(in, file);
		}
		return file;
	}

	private static INDArray array(final JsonObject json, final String key, final String shapeKey) {
		final var values = json.getAsJsonArray(key);
		final float[] data = new float[values.size()];
		for (int i = 0; i < data.length; i++)
			data[i] = values.get(i).getAsFloat();
		final var dims = json.getAsJsonArray(shapeKey);
		final long[] shape = new long[dims.size()];
		for (int i = 0; i < shape.length; i++)
			shape[i] = dims.get(i).getAsLong();
		return Nd4j.create(data, shape, 'c');
	}

	@ParameterizedTest
	@ValueSource(strings = { "residual", "mobile", "excite", "convhead" })
	void importedNetworksComputeWhatPyTorchComputed(final String name) throws IOException {
		final ComputationGraph graph = OnnxImporter.importGraph(fixture(name + ".onnx"));
		final JsonObject reference;
		try (InputStream in = getClass().getResourceAsStream(name + ".json")) {
			reference = JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8))
				.getAsJsonObject();
		}
		final INDArray input = array(reference, "input", "input_shape");
		final INDArray expected = array(reference, "output", "output_shape");
		final INDArray actual = graph.outputSingle(false, input);
		assertEquals(java.util.Arrays.toString(expected.shape()), java.util.Arrays.toString(actual
			.shape()));
		final double scale = Math.max(1e-3, expected.amaxNumber().doubleValue());
		final double difference = actual.sub(expected).amaxNumber().doubleValue();
		System.out.printf("ONNX %s: largest difference %.2e of output scale %.3f%n", name,
			difference, scale);
		assertTrue(difference <= 1e-4 * scale, name + ": largest difference " + difference +
			" against output scale " + scale);
	}

	@Test
	void aBrokenFileAndAnUnsupportedOperatorAreNamed() throws IOException {
		final Path broken = dir.resolve("broken.onnx");
		Files.writeString(broken, "this is not protobuf at all, just text");
		final OnnxException e = assertThrows(OnnxException.class, () -> OnnxImporter.importGraph(
			broken));
		assertTrue(e.getMessage().contains("'broken.onnx' is not an ONNX model"), e.getMessage());
		final OnnxException.Unsupported u = assertThrows(OnnxException.Unsupported.class,
			() -> OnnxImporter.importGraph(fixture("unsupported.onnx")));
		assertTrue(u.getMessage().startsWith("'unsupported.onnx' uses ONNX operators DeepClass does " +
			"not import: Resize (node '") && u.getMessage().contains("ReduceMean (node '") && u
				.getMessage().contains("Supported: Add, AveragePool, BatchNormalization, Clip, Concat, " +
					"Conv,"), u.getMessage());
	}

	/** A one-node model: MaxPool with ceil_mode=1 straight on the (possibly negative) input. */
	private Path ceilPoolOnInput() throws IOException {
		final var dim = (java.util.function.LongFunction<onnx.OnnxMl.TensorShapeProto.Dimension>) v ->
			onnx.OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(v).build();
		final var type = onnx.OnnxMl.TypeProto.newBuilder().setTensorType(onnx.OnnxMl.TypeProto.Tensor
			.newBuilder().setElemType(onnx.OnnxMl.TensorProto.DataType.FLOAT_VALUE).setShape(
				onnx.OnnxMl.TensorShapeProto.newBuilder().addDim(dim.apply(1)).addDim(dim.apply(1))
					.addDim(dim.apply(5)).addDim(dim.apply(5))));
		final var ints = (java.util.function.BiFunction<String, Long, onnx.OnnxMl.AttributeProto>) (
			name, v) -> onnx.OnnxMl.AttributeProto.newBuilder().setName(name).setType(
				onnx.OnnxMl.AttributeProto.AttributeType.INTS).addInts(v).addInts(v).build();
		final var graph = onnx.OnnxMl.GraphProto.newBuilder().setName("g").addInput(
			onnx.OnnxMl.ValueInfoProto.newBuilder().setName("x").setType(type)).addOutput(
				onnx.OnnxMl.ValueInfoProto.newBuilder().setName("y").setType(type)).addNode(
					onnx.OnnxMl.NodeProto.newBuilder().setName("pool").setOpType("MaxPool").addInput("x")
						.addOutput("y").addAttribute(ints.apply("kernel_shape", 2L)).addAttribute(ints.apply(
							"strides", 2L)).addAttribute(onnx.OnnxMl.AttributeProto.newBuilder().setName(
								"ceil_mode").setType(onnx.OnnxMl.AttributeProto.AttributeType.INT).setI(1)));
		final Path file = dir.resolve("ceil.onnx");
		Files.write(file, onnx.OnnxMl.ModelProto.newBuilder().setIrVersion(7).addOpsetImport(
			onnx.OnnxMl.OperatorSetIdProto.newBuilder().setVersion(13)).setGraph(graph).build()
			.toByteArray());
		return file;
	}

	@Test
	void ceilModePoolingOfAnInputThatMayBeNegativeIsRefused() throws IOException {
		final OnnxException.Unsupported u = assertThrows(OnnxException.Unsupported.class,
			() -> OnnxImporter.importGraph(ceilPoolOnInput()));
		assertTrue(u.getMessage().contains("node 'pool' (MaxPool): ceil_mode=1 on an input that may " +
			"be negative"), u.getMessage());
	}
}
