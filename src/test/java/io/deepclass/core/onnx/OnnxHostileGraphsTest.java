package io.deepclass.core.onnx;

import static io.deepclass.core.onnx.OnnxGraphs.classifier;
import static io.deepclass.core.onnx.OnnxGraphs.classifierGraph;
import static io.deepclass.core.onnx.OnnxGraphs.in;
import static io.deepclass.core.onnx.OnnxGraphs.integer;
import static io.deepclass.core.onnx.OnnxGraphs.ints;
import static io.deepclass.core.onnx.OnnxGraphs.model;
import static io.deepclass.core.onnx.OnnxGraphs.node;
import static io.deepclass.core.onnx.OnnxGraphs.refused;
import static io.deepclass.core.onnx.OnnxGraphs.tensor;
import static io.deepclass.core.onnx.OnnxGraphs.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import onnx.OnnxMl.GraphProto;
import onnx.OnnxMl.ModelProto;
import onnx.OnnxMl.NodeProto;

/**
 * Issue 23, continued: valid-looking ONNX graphs whose attributes, declared sizes, arities or
 * names would make DL4J allocate huge weights or activations, fail deep inside a mapper, or put
 * terminal control characters into messages. Each is refused in seconds, before allocation,
 * with one line naming the file, the node and the problem.
 */
class OnnxHostileGraphsTest {

	@TempDir
	Path dir;

	@BeforeAll
	static void warmUp(@TempDir final Path d) throws IOException {
		OnnxImporter.importNetwork(OnnxGraphs.write(d, "valid.onnx", classifier().build()
			.toByteArray()));
	}

	private Path file(final String name, final ModelProto.Builder model) throws IOException {
		return OnnxGraphs.write(dir, name, model.build().toByteArray());
	}

	/** The classifier with a MaxPool between Relu and the global pooling, with these attributes. */
	private Path pooled(final String name, final onnx.OnnxMl.AttributeProto... attributes)
		throws IOException
	{
		final GraphProto.Builder g = classifierGraph();
		g.getNodeBuilder(2).setInput(0, "m");
		final NodeProto.Builder pool = node("MaxPool", "maxpool", in("r"), "m");
		for (final var a : attributes)
			pool.addAttribute(a);
		g.addNode(2, pool);
		return file(name, model(g));
	}

	private Path conv(final String name, final onnx.OnnxMl.AttributeProto a) throws IOException {
		final ModelProto.Builder m = classifier();
		final NodeProto.Builder conv = m.getGraphBuilder().getNodeBuilder(0);
		for (int k = 0; k < conv.getAttributeCount(); k++)
			if (conv.getAttribute(k).getName().equals(a.getName())) conv.removeAttribute(k);
		conv.addAttribute(a);
		return file(name, m);
	}

	@Test
	void absurdWindowsAreRefusedBeforeDl4jSeesThem() throws IOException {
		refused(OnnxException.Invalid.class, conv("kernel.onnx", ints("kernel_shape", 100000, 100000)),
			0, "node 'conv' (Conv): its kernel_shape [100000, 100000] is not its weight's 3 x 3");
		refused(OnnxException.Unsupported.class, pooled("poolkernel.onnx", ints("kernel_shape",
			100000, 100000)), 0, "node 'maxpool' (MaxPool): kernel_shape [100000, 100000]; DeepClass " +
				"maps kernel_shape from 1 to 1024");
		refused(OnnxException.Unsupported.class, conv("strides.onnx", ints("strides", 0, 0)), 0,
			"strides [0, 0]");
		refused(OnnxException.Unsupported.class, conv("pads.onnx", ints("pads", -5, -5, -5, -5)), 0,
			"pads [-5, -5, -5, -5]");
		refused(OnnxException.Unsupported.class, conv("dilations.onnx", ints("dilations", 1, 0)), 0,
			"dilations [1, 0]");
		refused(OnnxException.Invalid.class, conv("group.onnx", integer("group", 0)), 0,
			"it has group=0 for 4 filters");
		refused(OnnxException.Invalid.class, pooled("nokernel.onnx"), 0, "its kernel_shape is []");
		refused(OnnxException.Unsupported.class, conv("autopad.onnx", onnx.OnnxMl.AttributeProto
			.newBuilder().setName("auto_pad").setS(org.nd4j.shade.protobuf.ByteString.copyFromUtf8(
				"SAME_UPPER")).build()), 0, "auto_pad=SAME_UPPER");
	}

	@Test
	void hugeDeclaredInputsAreRefusedBeforeAllocation() throws IOException {
		ModelProto.Builder m = classifier();
		m.getGraphBuilder().setInput(0, value("x", 1, 3, 1_000_000, 1_000_000));
		refused(OnnxException.Unsupported.class, file("input.onnx", m), 0, "its input is 3 x 1000000 " +
			"x 1000000");
		m = classifier();
		m.getGraphBuilder().setInput(0, value("x", 1, 3, -8, 8));
		refused(OnnxException.Invalid.class, file("negativeinput.onnx", m), 0, "declares a size of -8");
		refused(OnnxException.Unsupported.class, file("inputsize.onnx", classifier()), 1_000_000,
			"choose a smaller input_size");
		// within the side limit, but one image's activations would be 4 x 8192 x 8192 per layer
		m = classifier();
		m.getGraphBuilder().setInput(0, value("x", 1, 3, 8192, 8192));
		refused(OnnxException.Unsupported.class, file("activations.onnx", m), 0, "activation values");
		// without global pooling the dense layer's input is 4 x 8000 x 8000: a 2 GB weight matrix
		m = classifier();
		m.getGraphBuilder().setInput(0, value("x", 1, 3, 8000, 8000)).removeNode(2).getNodeBuilder(2)
			.setInput(0, "r");
		refused(OnnxException.Unsupported.class, file("dense.onnx", m), 0, "the weights of 'fc' have " +
			"10 values, DL4J's layer for its input 512000002");
	}

	@Test
	void missingInputsAndWrongWeightShapesAreNamed() throws IOException {
		ModelProto.Builder m = classifier();
		m.getGraphBuilder().getNodeBuilder(0).clearInput().addInput("x");
		refused(OnnxException.Invalid.class, file("convinputs.onnx", m), 0, "node 'conv' (Conv): it " +
			"has 1 inputs; Conv needs 2");
		m = classifier();
		m.getGraphBuilder().getNodeBuilder(4).clearInput().addInput("f");
		refused(OnnxException.Invalid.class, file("gemminputs.onnx", m), 0, "Gemm needs 2");
		m = classifier();
		m.getGraphBuilder().getNodeBuilder(1).clearOutput();
		refused(OnnxException.Invalid.class, file("nooutput.onnx", m), 0, "node 'relu' (Relu) has no " +
			"output");
		m = classifier();
		m.getGraphBuilder().setInitializer(0, tensor("conv.w", new long[] { 4, 27 }, new float[108]));
		refused(OnnxException.Invalid.class, file("rank.onnx", m), 0, "its weight 'conv.w' has shape " +
			"[4, 27]; Conv takes 4 dimensions there");
		m = classifier();
		m.getGraphBuilder().setInitializer(3, tensor("fc.b", new long[] { 3 }, 1, 2, 3));
		refused(OnnxException.Invalid.class, file("bias.onnx", m), 0, "its bias has 3 values for 2 " +
			"outputs");
	}

	@Test
	void namesFromTheFileCannotBreakTheMessage() throws IOException {
		final String evil = "evil\n\u001b[31mred\u202Eright-to-left" + "x".repeat(10_000);
		ModelProto.Builder m = classifier();
		m.getGraphBuilder().getNodeBuilder(1).setName(evil).setOpType("Evil\r\nOp");
		final String line = refused(OnnxException.Unsupported.class, file("names.onnx", m), 0,
			"uses ONNX operators DeepClass does not import: Evil Op (node 'evil ?[31mred?right-to-left");
		assertEquals(-1, line.indexOf("x".repeat(81)), line);
		m = classifier();
		for (int k = 0; k < 500; k++)
			m.getGraphBuilder().addNode(node("Op" + k, "n" + k, in("x"), "o" + k));
		refused(OnnxException.Unsupported.class, file("many.onnx", m), 0, "and 480 more. Supported: ");
		m = classifier();
		m.getGraphBuilder().getNodeBuilder(2).setInput(0, "r20000");
		for (int k = 0; k < 20_000; k++)
			m.getGraphBuilder().addNode(2 + k, node("Relu", "r", in(k == 0 ? "r" : "r" + k), "r" + (k +
				1)));
		refused(OnnxException.Unsupported.class, file("nodes.onnx", m), 0, "has 20005 nodes; " +
			"DeepClass imports networks of up to 20000");
	}

	/** Thousands of nodes of one name once took cubic time to be given DL4J names. */
	@Test
	void thousandsOfNodesOfOneNameImportInSeconds() throws IOException {
		final ModelProto.Builder m = classifier();
		m.getGraphBuilder().getNodeBuilder(2).setInput(0, "r3000");
		for (int k = 0; k < 3000; k++)
			m.getGraphBuilder().addNode(2 + k, node("Relu", "relu", in(k == 0 ? "r" : "r" + k), "r" + (k +
				1)));
		final Path file = file("samename.onnx", m);
		final long start = System.nanoTime();
		assertTimeoutPreemptively(java.time.Duration.ofSeconds(20), () -> OnnxImporter.importNetwork(
			file));
		System.out.printf("hostile samename.onnx (3005 nodes named 'relu'): imported in %d ms%n",
			(System.nanoTime() - start) / 1_000_000);
	}

	/** A cut_at that is not there lists the last nodes, not all of a file's thousands. */
	@Test
	void aMissingCutNodeListsOnlyTheLastNodes() throws IOException {
		final ModelProto.Builder m = classifier();
		m.getGraphBuilder().getNodeBuilder(2).setInput(0, "r3000");
		for (int k = 0; k < 3000; k++)
			m.getGraphBuilder().addNode(2 + k, node("Relu", "relu" + k, in(k == 0 ? "r" : "r" + k), "r" +
				(k + 1)));
		final Path file = file("cut.onnx", m);
		final var e = org.junit.jupiter.api.Assertions.assertThrows(io.deepclass.core
			.DeepClassException.class, () -> io.deepclass.core.transfer.Backbone.load(file, "nowhere"));
		System.out.printf("hostile cut.onnx: %s%n", e.getMessage());
		org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("has no node 'nowhere' " +
			"to cut at; its last 30 of ") && e.getMessage().contains("relu2999, pool, fc") && e
				.getMessage().length() < 600, e.getMessage());
	}
}
