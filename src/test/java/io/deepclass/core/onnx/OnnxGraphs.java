package io.deepclass.core.onnx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import onnx.OnnxMl;
import onnx.OnnxMl.AttributeProto;
import onnx.OnnxMl.AttributeProto.AttributeType;
import onnx.OnnxMl.GraphProto;
import onnx.OnnxMl.ModelProto;
import onnx.OnnxMl.NodeProto;
import onnx.OnnxMl.TensorProto;
import onnx.OnnxMl.TensorShapeProto;
import onnx.OnnxMl.TypeProto;
import onnx.OnnxMl.ValueInfoProto;

/**
 * Small ONNX graphs built in code with ONNX's own protobuf classes, for tests that change one
 * thing in an otherwise valid file: {@link #classifier()} is Conv (4 filters 3x3, pads 1) + Relu +
 * GlobalAveragePool + Flatten + Gemm (2 classes) on a 1 x 3 x 8 x 8 input.
 */
final class OnnxGraphs {

	private OnnxGraphs() {}

	static ValueInfoProto value(final String name, final long... dims) {
		final TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
		for (final long d : dims)
			shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
		return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
			TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape)))
			.build();
	}

	/** A FLOAT tensor with its values as float_data. */
	static TensorProto tensor(final String name, final long[] dims, final float... values) {
		final TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(
			TensorProto.DataType.FLOAT_VALUE);
		for (final long d : dims)
			t.addDims(d);
		for (final float v : values)
			t.addFloatData(v);
		return t.build();
	}

	/** Seeded values in [-1, 1). */
	static float[] random(final long seed, final int n) {
		final Random r = new Random(seed);
		final float[] v = new float[n];
		for (int i = 0; i < n; i++)
			v[i] = 2 * r.nextFloat() - 1;
		return v;
	}

	static NodeProto.Builder node(final String op, final String name, final String[] inputs,
		final String... outputs)
	{
		final NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(name);
		for (final String in : inputs)
			n.addInput(in);
		for (final String out : outputs)
			n.addOutput(out);
		return n;
	}

	static String[] in(final String... names) {
		return names;
	}

	static AttributeProto ints(final String name, final long... values) {
		final AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(
			AttributeType.INTS);
		for (final long v : values)
			a.addInts(v);
		return a.build();
	}

	static AttributeProto integer(final String name, final long value) {
		return AttributeProto.newBuilder().setName(name).setType(AttributeType.INT).setI(value)
			.build();
	}

	static AttributeProto real(final String name, final float value) {
		return AttributeProto.newBuilder().setName(name).setType(AttributeType.FLOAT).setF(value)
			.build();
	}

	/** A model of {@code graph} at opset 13. */
	static ModelProto.Builder model(final GraphProto.Builder graph) {
		return ModelProto.newBuilder().setIrVersion(7).setProducerName("test").addOpsetImport(
			OnnxMl.OperatorSetIdProto.newBuilder().setVersion(13)).setGraph(graph);
	}

	/** The valid classifier, as a graph to change. */
	static GraphProto.Builder classifierGraph() {
		return GraphProto.newBuilder().setName("classifier").addInput(value("x", 1, 3, 8, 8))
			.addOutput(value("y", 1, 2)).addInitializer(tensor("conv.w", new long[] { 4, 3, 3, 3 },
				random(1, 108))).addInitializer(tensor("conv.b", new long[] { 4 }, random(2, 4)))
			.addInitializer(tensor("fc.w", new long[] { 2, 4 }, random(3, 8))).addInitializer(tensor(
				"fc.b", new long[] { 2 }, random(4, 2))).addNode(node("Conv", "conv", in("x", "conv.w",
					"conv.b"), "c").addAttribute(ints("kernel_shape", 3, 3)).addAttribute(ints("pads", 1, 1,
						1, 1)).addAttribute(ints("strides", 1, 1))).addNode(node("Relu", "relu", in("c"), "r"))
			.addNode(node("GlobalAveragePool", "pool", in("r"), "p")).addNode(node("Flatten", "flat",
				in("p"), "f")).addNode(node("Gemm", "fc", in("f", "fc.w", "fc.b"), "y").addAttribute(
					integer("transB", 1)));
	}

	static ModelProto.Builder classifier() {
		return model(classifierGraph());
	}

	static Path write(final Path dir, final String name, final byte[] bytes) throws IOException {
		final Path file = dir.resolve(name);
		Files.write(file, bytes);
		return file;
	}

	/** A length-delimited protobuf field: tag, length, payload. */
	static byte[] field(final int number, final byte[] payload) {
		final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(payload.length + 10);
		varint(out, number << 3 | 2);
		varint(out, payload.length);
		out.writeBytes(payload);
		return out.toByteArray();
	}

	static void varint(final java.io.ByteArrayOutputStream out, final long value) {
		long v = value;
		while ((v & ~0x7FL) != 0) {
			out.write((int) (v & 0x7F) | 0x80);
			v >>>= 7;
		}
		out.write((int) v);
	}

	/** The model with {@code extra} bytes appended inside its graph message. */
	static byte[] withGraphBytes(final ModelProto.Builder model, final byte[] extra) {
		final byte[] graph = model.getGraph().toByteArray();
		final byte[] all = java.util.Arrays.copyOf(graph, graph.length + extra.length);
		System.arraycopy(extra, 0, all, graph.length, extra.length);
		final byte[] rest = model.clone().clearGraph().build().toByteArray();
		final byte[] g = field(7, all);
		final byte[] bytes = java.util.Arrays.copyOf(rest, rest.length + g.length);
		System.arraycopy(g, 0, bytes, rest.length, g.length);
		return bytes;
	}

	/**
	 * Imports {@code file} at input size {@code size} and checks the refusal: of {@code type},
	 * within a few seconds, one line naming the file and each fragment, no file left beside it.
	 * Prints the case, the time and the message.
	 */
	static <T extends OnnxException> String refused(final Class<T> type, final Path file,
		final int size, final String... fragments) throws IOException
	{
		final java.util.List<Path> before = list(file.getParent());
		final long start = System.nanoTime();
		final T e = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(LIMIT, () -> org.junit
			.jupiter.api.Assertions.assertThrows(type, () -> OnnxImporter.importNetwork(file, size)));
		final long ms = (System.nanoTime() - start) / 1_000_000;
		final String m = e.getMessage();
		System.out.printf("hostile %s: %d ms: %s%n", file.getFileName(), ms, m);
		org.junit.jupiter.api.Assertions.assertTrue(m.startsWith("'" + file.getFileName() + "'"), m);
		for (final String f : fragments)
			org.junit.jupiter.api.Assertions.assertTrue(m.contains(f), "wants '" + f + "': " + m);
		org.junit.jupiter.api.Assertions.assertTrue(m.length() <= 1200 && m.chars().noneMatch(
			Character::isISOControl), m);
		org.junit.jupiter.api.Assertions.assertEquals(before, list(file.getParent()));
		return m;
	}

	/** How long a refusal may take: seconds, on a machine shared with other builds. */
	static final java.time.Duration LIMIT = java.time.Duration.ofSeconds(5);

	private static java.util.List<Path> list(final Path dir) throws IOException {
		try (var files = Files.list(dir)) {
			return files.sorted().toList();
		}
	}
}
