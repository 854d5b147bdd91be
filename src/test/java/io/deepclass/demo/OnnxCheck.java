package io.deepclass.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import io.deepclass.core.DeepClassException;
import io.deepclass.core.backend.NativeBackend;
import io.deepclass.core.onnx.OnnxImporter;

/**
 * Imports an ONNX network and compares its output with the one the exporting framework wrote:
 * {@code OnnxCheck model.onnx input.bin output.bin shapes.json} (float32 little-endian files).
 * Run by {@code bench/onnx_exactness.sh}.
 */
public final class OnnxCheck {

	/** Launchers print their figures on the console (this is not library code). */
	private static final PrintStream OUT = System.out;

	private OnnxCheck() {}

	public static void main(final String[] args) throws IOException {
		NativeBackend.select();
		final Path model = Path.of(args[0]);
		final JsonObject shapes = JsonParser.parseString(Files.readString(Path.of(args[3])))
			.getAsJsonObject();
		final INDArray input = read(Path.of(args[1]), shape(shapes, "input_shape"));
		final INDArray expected = read(Path.of(args[2]), shape(shapes, "output_shape"));
		final long start = System.nanoTime();
		final ComputationGraph graph;
		try {
			graph = OnnxImporter.importGraph(model);
		}
		catch (final DeepClassException e) {
			OUT.println(model.getFileName() + ": NOT IMPORTED: " + e.getMessage());
			return;
		}
		final double importSeconds = (System.nanoTime() - start) / 1e9;
		final INDArray actual = graph.outputSingle(false, input);
		if (!Arrays.equals(actual.shape(), expected.shape())) {
			OUT.println(model.getFileName() + ": output shape " + Arrays.toString(actual
				.shape()) + ", PyTorch's " + Arrays.toString(expected.shape()) + " -> NOT equal");
			return;
		}
		final double scale = expected.amaxNumber().doubleValue();
		final double difference = actual.sub(expected).amaxNumber().doubleValue();
		OUT.printf(Locale.ROOT, "%s: imported in %.1f s, %,d parameters; largest output " +
			"difference %.2e, output scale %.3f, relative %.2e -> %s%n", model.getFileName(),
			importSeconds, graph.numParams(), difference, scale, difference / scale, difference <= 1e-4 *
				scale ? "within 1e-4" : "NOT within 1e-4");
	}

	private static long[] shape(final JsonObject json, final String key) {
		final var dims = json.getAsJsonArray(key);
		final long[] shape = new long[dims.size()];
		for (int i = 0; i < shape.length; i++)
			shape[i] = dims.get(i).getAsLong();
		return shape;
	}

	private static INDArray read(final Path file, final long[] shape) throws IOException {
		final ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(
			ByteOrder.LITTLE_ENDIAN);
		final float[] values = new float[bytes.remaining() / 4];
		bytes.asFloatBuffer().get(values);
		return Nd4j.create(values, shape, 'c');
	}
}
