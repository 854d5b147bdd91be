package io.deepclass.core.export;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.Set;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.protobuf.ByteString;

import onnx.OnnxMl;

/**
 * Builds an ONNX graph node by node: unique tensor names, float initializers, attributes. The
 * protobuf classes are ND4J's ({@code onnx.OnnxMl}), so no new dependency.
 */
final class OnnxWriter {

	final OnnxMl.GraphProto.Builder graph = OnnxMl.GraphProto.newBuilder();

	private final Set<String> names = new HashSet<>();

	private int counter;

	/** A fresh tensor name from a readable base. */
	String name(final String base) {
		String name = base.replaceAll("[^A-Za-z0-9_./-]", "_");
		while (!names.add(name))
			name = base + "_" + ++counter;
		return name;
	}

	/** A float initializer of the array's values in C order and shape. */
	String weight(final String base, final INDArray values) {
		return weight(base, values.dup('c').data().asFloat(), values.shape());
	}

	String weight(final String base, final float[] values, final long... shape) {
		final String name = name(base);
		final ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
		bytes.asFloatBuffer().put(values);
		final OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name)
			.setDataType(OnnxMl.TensorProto.DataType.FLOAT_VALUE).setRawData(ByteString.copyFrom(bytes
				.array()));
		for (final long d : shape)
			t.addDims(d);
		graph.addInitializer(t);
		return name;
	}

	/** An int64 initializer (shapes, axes, slice bounds). */
	String longs(final String base, final long... values) {
		final String name = name(base);
		final OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name)
			.setDataType(OnnxMl.TensorProto.DataType.INT64_VALUE).addDims(values.length);
		for (final long v : values)
			t.addInt64Data(v);
		graph.addInitializer(t);
		return name;
	}

	/** Adds a node; returns its one output's name. */
	String node(final String op, final String base, final OnnxMl.AttributeProto[] attributes,
		final String... inputs)
	{
		final String out = name(base);
		final OnnxMl.NodeProto.Builder n = OnnxMl.NodeProto.newBuilder().setOpType(op).setName(out)
			.addOutput(out);
		for (final String in : inputs)
			n.addInput(in);
		for (final OnnxMl.AttributeProto a : attributes)
			n.addAttribute(a);
		graph.addNode(n);
		return out;
	}

	String node(final String op, final String base, final String... inputs) {
		return node(op, base, new OnnxMl.AttributeProto[0], inputs);
	}

	static OnnxMl.AttributeProto ints(final String name, final long... values) {
		final OnnxMl.AttributeProto.Builder a = OnnxMl.AttributeProto.newBuilder().setName(name)
			.setType(OnnxMl.AttributeProto.AttributeType.INTS);
		for (final long v : values)
			a.addInts(v);
		return a.build();
	}

	static OnnxMl.AttributeProto integer(final String name, final long value) {
		return OnnxMl.AttributeProto.newBuilder().setName(name).setType(
			OnnxMl.AttributeProto.AttributeType.INT).setI(value).build();
	}

	static OnnxMl.AttributeProto real(final String name, final double value) {
		return OnnxMl.AttributeProto.newBuilder().setName(name).setType(
			OnnxMl.AttributeProto.AttributeType.FLOAT).setF((float) value).build();
	}

	/** A float tensor value: N (named, any size) x the given dimensions. */
	static OnnxMl.ValueInfoProto tensor(final String name, final long... dims) {
		final OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder().addDim(
			OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("N"));
		for (final long d : dims)
			shape.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
		return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
			.setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(
				OnnxMl.TensorProto.DataType.FLOAT_VALUE).setShape(shape))).build();
	}
}
