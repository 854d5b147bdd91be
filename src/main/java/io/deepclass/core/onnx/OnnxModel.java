package io.deepclass.core.onnx;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.nd4j.linalg.api.ndarray.INDArray;

import io.deepclass.core.backend.NativeBackend;

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

	/** The file's name, for messages. */
	final String file;

	/** The file's metadata properties (key: value). */
	final Map<String, String> metadata = new LinkedHashMap<>();

	private OnnxModel(final OnnxMl.ModelProto model, final String file) {
		this.file = file;
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
		if (graph.getNodeCount() > OnnxChecks.MAX_NODES) throw new OnnxException.Unsupported("'" +
			file + "' has " + graph.getNodeCount() + " nodes; DeepClass imports networks of up to " +
			OnnxChecks.MAX_NODES + " (DenseNet-201 has a few thousand).");
		for (final OnnxMl.TensorProto t : graph.getInitializerList())
			tensors.put(t.getName(), OnnxTensors.array(t, file));
		for (final OnnxMl.NodeProto node : graph.getNodeList())
			if (node.getOpType().equals("Constant") && node.getOutputCount() > 0) for (
				final OnnxMl.AttributeProto a : node.getAttributeList())
				if (a.getName().equals("value")) tensors.put(node.getOutput(0), OnnxTensors.array(a.getT(),
					file));
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
			throw new OnnxException.Unsupported("'" + file + "': its input '" + OnnxChecks.name(input) +
				"' has " + shape.getDimCount() + " dimensions; DeepClass imports image networks with N x " +
				"C x H x W input.");
		for (final OnnxMl.TensorShapeProto.Dimension d : shape.getDimList().subList(1, 4))
			if (d.hasDimValue() && d.getDimValue() < 1) throw new OnnxException.Invalid("'" + file +
				"': its input declares a size of " + d.getDimValue() + "; sizes are positive, the file " +
				"is damaged: export it again.");
		channels = shape.getDim(1).getDimValue();
		height = shape.getDim(2).getDimValue();
		width = shape.getDim(3).getDimValue();
		if (channels < 1 || height < 1 || width < 1)
			throw new OnnxException.Unsupported("'" + file + "': its input size is not fixed (" +
				OnnxChecks.name(shape.getDim(1).getDimParam() + shape.getDim(2).getDimParam()) + "); " +
				"export it with a fixed C x H x W (only the batch size may vary).");
		OnnxChecks.input(file, channels, height, width, "export it at the size it was trained for " +
			"(for example 3 x 224 x 224)");
	}

	/** This model taking square inputs of {@code size} pixels (0: as declared). */
	OnnxModel withSize(final int size) {
		if (size < 0) throw new OnnxException.Unsupported("an input size must be positive, not " +
			size + ".");
		if (size > 0) {
			OnnxChecks.input(file, channels, size, size, "choose a smaller input_size");
			height = size;
			width = size;
		}
		return this;
	}

	/**
	 * Reads and checks {@code file}, then turns its weights into ND4J arrays: the file is read
	 * while {@link io.deepclass.core.backend.NativeStart} may still be loading ND4J, which {@link NativeBackend#select}
	 * waits for.
	 */
	static OnnxModel read(final Path file) throws IOException {
		final OnnxMl.ModelProto model = OnnxFile.read(file);
		if (!model.hasGraph() || model.getGraph().getNodeCount() == 0)
			throw new OnnxException.Invalid("'" + file.getFileName() + "' is not an ONNX model: it has " +
				"no graph.", null);
		NativeBackend.select();
		return new OnnxModel(model, file.getFileName().toString());
	}
}
