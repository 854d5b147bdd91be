package io.deepclass.core.onnx;

import static io.deepclass.core.onnx.OnnxGraphs.classifier;
import static io.deepclass.core.onnx.OnnxGraphs.field;
import static io.deepclass.core.onnx.OnnxGraphs.in;
import static io.deepclass.core.onnx.OnnxGraphs.node;
import static io.deepclass.core.onnx.OnnxGraphs.refused;
import static io.deepclass.core.onnx.OnnxGraphs.tensor;
import static io.deepclass.core.onnx.OnnxGraphs.withGraphBytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import onnx.OnnxMl.ModelProto;
import onnx.OnnxMl.StringStringEntryProto;
import onnx.OnnxMl.TensorProto;

/**
 * Issue 23: an ONNX file a user is handed is untrusted. Damaged or hostile files (absurd tensor
 * shapes, data that does not match them, weights in other files, cycles, protobuf bombs, files
 * that are not ONNX at all) are refused in seconds with one line that names the file, the
 * problem and the fix, before anything large is allocated, and nothing is written beside them.
 * Each file is the valid {@link OnnxGraphs#classifier()} with one thing changed.
 */
class OnnxHostileFilesTest {

	@TempDir
	Path dir;

	/** ND4J's start-up (seconds) is not the refusals' time: it happens here, on a valid file. */
	@BeforeAll
	static void theValidClassifierImports(@TempDir final Path d) throws IOException {
		final var imported = OnnxImporter.importNetwork(OnnxGraphs.write(d, "valid.onnx",
			classifier().build().toByteArray()));
		assertArrayEquals(new long[] { 1, 2 }, imported.graph().outputSingle(org.nd4j.linalg.factory.Nd4j
			.rand(1, 3, 8, 8)).shape());
	}

	private Path file(final String name, final ModelProto.Builder model) throws IOException {
		return OnnxGraphs.write(dir, name, model.build().toByteArray());
	}

	private Path withWeight(final String name, final TensorProto weight) throws IOException {
		final ModelProto.Builder m = classifier();
		m.getGraphBuilder().setInitializer(0, weight);
		return file(name, m);
	}

	private static TensorProto.Builder convWeight(final long... dims) {
		return tensor("conv.w", dims).toBuilder();
	}

	@Test
	void absurdDimensionsAreRefusedBeforeAllocation() throws IOException {
		refused(OnnxException.Invalid.class, withWeight("huge.onnx", convWeight(100000, 100000, 100000)
			.build()), 0, "tensor 'conv.w' declares shape [100000, 100000, 100000]", "holds 0");
		refused(OnnxException.Invalid.class, withWeight("negative.onnx", convWeight(4, -3, 3, 3)
			.build()), 0, "negative dimension");
		refused(OnnxException.Invalid.class, withWeight("overflow.onnx", convWeight(1L << 40, 1L << 40,
			1L << 40).build()), 0, "product overflows");
		// 2^32 values: (int) of it is 0, which once gave an empty array of an impossible shape
		refused(OnnxException.Invalid.class, withWeight("intwrap.onnx", convWeight(65536, 65536)
			.build()), 0, "(4294967296 values)");
		final ModelProto.Builder m = classifier();
		m.getGraphBuilder().addNode(node("Constant", "big", in(), "unused").addAttribute(
			onnx.OnnxMl.AttributeProto.newBuilder().setName("value").setType(onnx.OnnxMl.AttributeProto
				.AttributeType.TENSOR).setT(tensor("big", new long[] { 100000, 100000, 100000 }))));
		refused(OnnxException.Invalid.class, file("constant.onnx", m), 0, "tensor 'big' declares");
	}

	private static org.nd4j.shade.protobuf.ByteString raw(final int floats) {
		final ByteBuffer b = ByteBuffer.allocate(4 * floats).order(ByteOrder.LITTLE_ENDIAN);
		for (int i = 0; i < floats; i++)
			b.putFloat(0.01f * i);
		return org.nd4j.shade.protobuf.ByteString.copyFrom(b.array());
	}

	@Test
	void dataThatDoesNotMatchItsShapeIsRefused() throws IOException {
		refused(OnnxException.Invalid.class, withWeight("shortraw.onnx", convWeight(4, 3, 3, 3)
			.setRawData(raw(100)).build()), 0, "(108 values) but holds 400 bytes of raw data");
		refused(OnnxException.Invalid.class, withWeight("longraw.onnx", convWeight(4, 3, 3, 3)
			.setRawData(raw(120)).build()), 0, "holds 480 bytes of raw data");
		refused(OnnxException.Invalid.class, withWeight("floats.onnx", tensor("conv.w", new long[] { 4,
			3, 3, 3 }, new float[107])), 0, "holds 107 listed values");
		refused(OnnxException.Invalid.class, withWeight("both.onnx", tensor("conv.w", new long[] { 4,
			3, 3, 3 }, new float[108]).toBuilder().setRawData(raw(108)).build()), 0,
			"and 108 listed values");
		final ModelProto.Builder m = classifier();
		m.getGraphBuilder().addInitializer(TensorProto.newBuilder().setName("shape").setDataType(
			TensorProto.DataType.INT64_VALUE).addDims(2).addInt64Data(-1));
		refused(OnnxException.Invalid.class, file("int64.onnx", m), 0, "tensor 'shape' declares shape " +
			"[2] (2 values) but holds 1 listed values");
	}

	@Test
	void weightsInAnotherFileAreNeverOpened() throws IOException {
		// the other file exists and holds the right bytes: it is still not read
		Files.write(dir.resolve("weights.bin"), raw(108).toByteArray());
		final TensorProto.Builder w = convWeight(4, 3, 3, 3).setDataLocation(TensorProto.DataLocation
			.EXTERNAL).addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue(
				"../../etc/passwd"));
		refused(OnnxException.Unsupported.class, withWeight("external.onnx", w.build()), 0,
			"tensor 'conv.w' keeps its values in another file ('../../etc/passwd')",
			"save_as_external_data=False");
		refused(OnnxException.Unsupported.class, withWeight("nolocation.onnx", convWeight(4, 3, 3, 3)
			.addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue(
				"weights.bin")).build()), 0, "keeps its values in another file ('weights.bin')");
	}

	@Test
	void cyclesAndValuesFromNowhereAreRefused() throws IOException {
		ModelProto.Builder m = classifier(); // relu reads pool's output, pool relu's: a cycle
		m.getGraphBuilder().getNodeBuilder(1).setInput(0, "p");
		refused(OnnxException.Invalid.class, file("cycle.onnx", m), 0, "node 'relu' (Relu) reads 'p', " +
			"which node 'pool' computes only later: the graph has a cycle");
		m = classifier();
		m.getGraphBuilder().getNodeBuilder(1).setInput(0, "r");
		refused(OnnxException.Invalid.class, file("self.onnx", m), 0, "reads 'r', which node 'relu' " +
			"computes only later");
		m = classifier();
		m.getGraphBuilder().getNodeBuilder(1).setInput(0, "ghost");
		refused(OnnxException.Invalid.class, file("nowhere.onnx", m), 0, "reads 'ghost', which no " +
			"node computes");
		m = classifier();
		m.getGraphBuilder().getNodeBuilder(2).setOutput(0, "r");
		refused(OnnxException.Invalid.class, file("twice.onnx", m), 0, "writes 'r', which another node");
		m = classifier();
		m.getGraphBuilder().getOutputBuilder(0).setName("z");
		refused(OnnxException.Invalid.class, file("nooutput.onnx", m), 0, "output 'z' is computed by " +
			"no node");
	}

	@Test
	void protobufBombsAreRefusedBeforeProtobufBuildsThem() throws IOException {
		// a node whose attribute holds a graph whose node's attribute holds a graph ... 3 x 5000 deep
		byte[] graph = field(2, "leaf".getBytes());
		for (int k = 0; k < 5000; k++)
			graph = field(1, field(5, concat(field(1, "g".getBytes()), field(6, graph))));
		refused(OnnxException.Invalid.class, OnnxGraphs.write(dir, "nested.onnx", withGraphBytes(
			classifier(), graph)), 0, "nested more than 100 levels");
		// 2.1 million empty nodes: 4 MB of file, 150 MB of objects
		final byte[] empty = new byte[2 * 2_100_000];
		for (int k = 0; k < empty.length; k += 2)
			empty[k] = 0x0A; // field 1 (node), length 0
		refused(OnnxException.Invalid.class, OnnxGraphs.write(dir, "wide.onnx", withGraphBytes(
			classifier(), empty)), 0, "more than 2,000,000 protobuf entries");
		// groups, which protobuf skips recursively and ONNX never writes
		final ByteArrayOutputStream groups = new ByteArrayOutputStream();
		for (int k = 0; k < 100_000; k++)
			OnnxGraphs.varint(groups, 99 << 3 | 3);
		refused(OnnxException.Invalid.class, OnnxGraphs.write(dir, "groups.onnx", withGraphBytes(
			classifier(), groups.toByteArray())), 0, "a group or an invalid field type");
	}

	private static byte[] concat(final byte[] a, final byte[] b) {
		final byte[] c = Arrays.copyOf(a, a.length + b.length);
		System.arraycopy(b, 0, c, a.length, b.length);
		return c;
	}

	@Test
	void filesThatAreNotOnnxAreRefused() throws IOException {
		refused(OnnxException.Invalid.class, OnnxGraphs.write(dir, "text.onnx",
			"this is not protobuf at all, just text".getBytes()), 0, "is not an ONNX model");
		final byte[] valid = classifier().build().toByteArray();
		refused(OnnxException.Invalid.class, OnnxGraphs.write(dir, "truncated.onnx", Arrays.copyOf(
			valid, valid.length / 2)), 0, "truncated");
		refused(OnnxException.Invalid.class, OnnxGraphs.write(dir, "empty.onnx", new byte[0]), 0,
			"is empty (0 bytes)");
		refused(OnnxException.Invalid.class, Files.createDirectory(dir.resolve("folder.onnx")), 0,
			"is not a regular file");
		final Path zero = Path.of("/dev/zero");
		if (Files.exists(zero)) refused(OnnxException.Invalid.class, Files.createSymbolicLink(dir
			.resolve("endless.onnx"), zero), 0, "is not a regular file");
	}

	@Test
	void aHugeFileIsRefusedWithoutReadingIt() throws IOException {
		final Path huge = dir.resolve("huge.onnx");
		try (RandomAccessFile f = new RandomAccessFile(huge.toFile(), "rw")) {
			f.setLength(3L << 30); // sparse: no disk, and only its size is looked at
		}
		refused(OnnxException.Invalid.class, huge, 0, "is 3.0 GB; DeepClass reads ONNX networks up to " +
			"1.0 GB (VGG-16");
	}
}
