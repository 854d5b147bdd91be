package io.deepclass.core.onnx;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.protobuf.InvalidProtocolBufferException;

import onnx.OnnxMl;

/**
 * A parsed ONNX model: its nodes in order, its weights (initializers and Constant nodes) as
 * float arrays by name, its one image input with channels, height and width, and its one output.
 */
final class OnnxModel {

	final List<OnnxMl.NodeProto> nodes;

	final Map<String, INDArray> tensors = new HashMap<>();

	final String input, output;

	/** The output's declared number of dimensions (0 when not declared). */
	final int outputRank;

	final long channels;

	long height, width;

	final long opset;

	/** The file's metadata properties (key: value). */
	final java.util.Map<String, String> metadata = new java.util.LinkedHashMap<>();

	private OnnxModel(final OnnxMl.ModelProto model, final String file) {
		for (final OnnxMl.StringStringEntryProto p : model.getMetadataPropsList())
			metadata.put(p.getKey(), p.getValue());
		final OnnxMl.GraphProto graph = model.getGraph();
		long version = 0;
		for (final OnnxMl.OperatorSetIdProto set : model.getOpsetImportList())
			if (set.getDomain().isEmpty() || set.getDomain().equals("ai.onnx")) version = set
				.getVersion();
		opset = version;
		if (opset < 7 || opset > 17) throw new OnnxException.Unsupported("'" + file + "' uses ONNX " +
			"opset " + opset + "; DeepClass imports opsets 7 to 17. Export it again with " +
			"opset_version=13 (torch.onnx.export).");
		for (final OnnxMl.TensorProto t : graph.getInitializerList())
			tensors.put(t.getName(), array(t, file));
		for (final OnnxMl.NodeProto node : graph.getNodeList())
			if (node.getOpType().equals("Constant")) for (final OnnxMl.AttributeProto a : node
				.getAttributeList())
				if (a.getName().equals("value")) tensors.put(node.getOutput(0), array(a.getT(), file));
		nodes = graph.getNodeList().stream().filter(n -> !n.getOpType().equals("Constant")).toList();
		final List<OnnxMl.ValueInfoProto> inputs = graph.getInputList().stream().filter(i -> !tensors
			.containsKey(i.getName())).toList();
		if (inputs.size() != 1 || graph.getOutputCount() != 1)
			throw new OnnxException.Unsupported("'" + file + "' has " + inputs.size() + " inputs and " +
				graph.getOutputCount() + " outputs; DeepClass imports classification networks with one " +
				"image input and one output.");
		input = inputs.get(0).getName();
		output = graph.getOutput(0).getName();
		outputRank = graph.getOutput(0).getType().getTensorType().getShape().getDimCount();
		final OnnxMl.TensorShapeProto shape = inputs.get(0).getType().getTensorType().getShape();
		if (shape.getDimCount() != 4)
			throw new OnnxException.Unsupported("'" + file + "': its input '" + input + "' has " + shape
				.getDimCount() + " dimensions; DeepClass imports image networks with N x C x H x W input.");
		channels = shape.getDim(1).getDimValue();
		height = shape.getDim(2).getDimValue();
		width = shape.getDim(3).getDimValue();
		if (channels < 1 || height < 1 || width < 1)
			throw new OnnxException.Unsupported("'" + file + "': its input size is not fixed (" + shape
				.getDim(1).getDimParam() + shape.getDim(2).getDimParam() + "); export it with a fixed C x " +
				"H x W (only the batch size may vary).");
	}

	/** This model taking square inputs of {@code size} pixels (0: as declared). */
	OnnxModel withSize(final int size) {
		if (size < 0) throw new OnnxException.Unsupported("an input size must be positive, not " +
			size + ".");
		if (size > 0) {
			height = size;
			width = size;
		}
		return this;
	}

	static OnnxModel read(final Path file) throws IOException {
		final OnnxMl.ModelProto model;
		try {
			model = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(file));
		}
		catch (final InvalidProtocolBufferException e) {
			throw new OnnxException.Invalid("'" + file.getFileName() + "' is not an ONNX model (" + e
				.getMessage() + ").", e);
		}
		if (!model.hasGraph() || model.getGraph().getNodeCount() == 0)
			throw new OnnxException.Invalid("'" + file.getFileName() + "' is not an ONNX model: it has " +
				"no graph.", null);
		return new OnnxModel(model, file.getFileName().toString());
	}

	/** The tensor's values as a float array of its shape. */
	private static INDArray array(final OnnxMl.TensorProto t, final String file) {
		final long[] shape = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
		final int n = (int) java.util.Arrays.stream(shape).reduce(1, (a, b) -> a * b);
		final float[] values = new float[n];
		switch (t.getDataType()) {
			case 1 -> { // FLOAT
				if (!t.getRawData().isEmpty()) t.getRawData().asReadOnlyByteBuffer().order(
					ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
				else for (int i = 0; i < n; i++)
					values[i] = t.getFloatData(i);
			}
			case 7 -> { // INT64
				if (!t.getRawData().isEmpty()) {
					final ByteBuffer b = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
					for (int i = 0; i < n; i++)
						values[i] = b.getLong();
				}
				else for (int i = 0; i < n; i++)
					values[i] = t.getInt64Data(i);
			}
			default -> throw new OnnxException.Unsupported("'" + file + "': tensor '" + t.getName() +
				"' has ONNX data type " + t.getDataType() + "; DeepClass reads FLOAT and INT64 weights.");
		}
		return shape.length == 0 ? Nd4j.scalar(DataType.FLOAT, values[0]) : Nd4j.create(values, shape,
			'c');
	}
}
