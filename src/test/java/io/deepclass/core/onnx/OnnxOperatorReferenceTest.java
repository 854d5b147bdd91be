package io.deepclass.core.onnx;

import static io.deepclass.core.onnx.OnnxGraphs.in;
import static io.deepclass.core.onnx.OnnxGraphs.model;
import static io.deepclass.core.onnx.OnnxGraphs.node;
import static io.deepclass.core.onnx.OnnxGraphs.random;
import static io.deepclass.core.onnx.OnnxGraphs.tensor;
import static io.deepclass.core.onnx.OnnxGraphs.value;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import onnx.OnnxMl.GraphProto;
import onnx.OnnxMl.ModelProto;

/**
 * Issue 24: README lists LeakyRelu, GlobalMaxPool and MatMul among the ONNX operators imported;
 * each is imported here from a small graph built in code and its DL4J output compared with ONNX
 * Runtime's for the same file and a seeded input with negative values.
 */
class OnnxOperatorReferenceTest {

	@TempDir
	Path dir;

	/** DL4J's and ONNX Runtime's outputs for {@code model} on a seeded input of {@code shape}. */
	private float[][] outputs(final String name, final ModelProto model, final long... shape)
		throws Exception
	{
		final Path file = OnnxGraphs.write(dir, name, model.toByteArray());
		final float[] x = random(7, (int) (shape[0] * shape[1] * shape[2] * shape[3]));
		final INDArray actual = OnnxImporter.importGraph(file).outputSingle(false, Nd4j.create(x, shape,
			'c'));
		final OrtEnvironment env = OrtEnvironment.getEnvironment();
		try (OrtSession session = env.createSession(model.toByteArray(), new OrtSession.SessionOptions());
			OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), shape);
			OrtSession.Result result = session.run(Map.of("x", tensor)))
		{
			final OnnxTensor y = (OnnxTensor) result.get(0);
			assertArrayEquals(y.getInfo().getShape(), actual.shape(), name + ": output shape");
			final FloatBuffer b = y.getFloatBuffer();
			final float[] expected = new float[b.remaining()];
			b.get(expected);
			return new float[][] { expected, actual.dup('c').data().asFloat() };
		}
	}

	private static void assertClose(final String what, final float[][] outputs,
		final double tolerance)
	{
		double max = 0;
		for (int i = 0; i < outputs[0].length; i++)
			max = Math.max(max, Math.abs(outputs[0][i] - outputs[1][i]));
		System.out.printf(Locale.ROOT, "ONNX %s against ONNX Runtime: largest difference %.2e%n",
			what, max);
		assertTrue(max <= tolerance, what + ": largest difference " + max + " > " + tolerance);
	}

	private static ModelProto single(final String op, final long[] out,
		final onnx.OnnxMl.AttributeProto... attributes)
	{
		final var n = node(op, "op", in("x"), "y");
		for (final var a : attributes)
			n.addAttribute(a);
		return model(GraphProto.newBuilder().setName(op).addInput(value("x", 1, 3, 5, 5)).addOutput(
			value("y", out)).addNode(n)).build();
	}

	@Test
	void leakyReluWithItsAlphaAndTheDefault() throws Exception {
		assertClose("LeakyRelu alpha=0.3", outputs("leaky.onnx", single("LeakyRelu", new long[] { 1,
			3, 5, 5 }, OnnxGraphs.real("alpha", 0.3f)), 1, 3, 5, 5), 1e-6);
		assertClose("LeakyRelu (default alpha 0.01)", outputs("leakydefault.onnx", single("LeakyRelu",
			new long[] { 1, 3, 5, 5 }), 1, 3, 5, 5), 1e-6);
	}

	@Test
	void globalMaxPool() throws Exception {
		assertClose("GlobalMaxPool", outputs("globalmax.onnx", single("GlobalMaxPool", new long[] { 1,
			3, 1, 1 }), 1, 3, 5, 5), 1e-7);
	}

	/** A square weight, so that a transposed one has the right shape and only wrong values. */
	@Test
	void matMulWithAStoredWeight() throws Exception {
		final ModelProto m = model(GraphProto.newBuilder().setName("matmul").addInput(value("x", 1, 3,
			2, 2)).addOutput(value("y", 1, 12)).addInitializer(tensor("w", new long[] { 12, 12 }, random(
				11, 144))).addNode(node("Flatten", "flat", in("x"), "f")).addNode(node("MatMul", "matmul",
					in("f", "w"), "y"))).build();
		assertClose("MatMul", outputs("matmul.onnx", m, 1, 3, 2, 2), 1e-5);
	}
}
