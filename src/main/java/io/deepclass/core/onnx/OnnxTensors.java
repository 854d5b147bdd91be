package io.deepclass.core.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import onnx.OnnxMl;

/**
 * A stored ONNX tensor (an initializer or a Constant's value) as a float array of its shape.
 * Its declared shape is believed only when the values the file holds match it, so that no
 * allocation exceeds what the file itself contains; values kept in other files (ONNX's external
 * data) are refused, never opened.
 */
final class OnnxTensors {

	private static final int FLOAT = OnnxMl.TensorProto.DataType.FLOAT_VALUE;

	private static final int INT64 = OnnxMl.TensorProto.DataType.INT64_VALUE;

	/** ND4J's arrays have at most 32 dimensions; a network's weights have up to 5. */
	private static final int MAX_RANK = 8;

	private OnnxTensors() {}

	static INDArray array(final OnnxMl.TensorProto t, final String file) {
		final String where = "'" + file + "': tensor '" + OnnxChecks.name(t.getName()) + "' ";
		if (t.getDataLocation() == OnnxMl.TensorProto.DataLocation.EXTERNAL || t
			.getExternalDataCount() > 0)
		{
			String location = "";
			for (final OnnxMl.StringStringEntryProto e : t.getExternalDataList())
				if (e.getKey().equals("location")) location = " ('" + OnnxChecks.name(e.getValue()) + "')";
			throw new OnnxException.Unsupported(where + "keeps its values in another file" + location +
				"; DeepClass reads only networks whose weights are inside the .onnx file and never opens " +
				"others: save it as one file (onnx.save_model(model, path, save_as_external_data=False)).");
		}
		if (t.hasSegment()) throw new OnnxException.Unsupported(where + "is a segment of a larger " +
			"tensor; DeepClass reads whole tensors: export the network again.");
		final int type = t.getDataType();
		if (type != FLOAT && type != INT64) throw new OnnxException.Unsupported(where + "has ONNX " +
			"data type " + type + "; DeepClass reads FLOAT and INT64 weights.");
		final long[] shape = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
		if (shape.length > MAX_RANK) throw invalid(where + "has " + shape.length + " dimensions");
		long n = 1;
		for (final long d : shape) {
			if (d < 0) throw invalid(where + "declares a negative dimension " + Arrays.toString(shape));
			try {
				n = Math.multiplyExact(n, d);
			}
			catch (final ArithmeticException e) {
				throw invalid(where + "declares dimensions " + Arrays.toString(shape) + " whose " +
					"product overflows");
			}
		}
		final int width = type == FLOAT ? 4 : 8;
		final long raw = t.getRawData().size();
		final long typed = type == FLOAT ? t.getFloatDataCount() : t.getInt64DataCount();
		final long held = raw > 0 ? raw : typed;
		if (n > Integer.MAX_VALUE - 8 || raw > 0 && typed > 0 || held != (raw > 0 ? n * width : n))
			throw invalid(where + "declares shape " + Arrays.toString(shape) + " (" + n + " values) but " +
				"holds " + (raw > 0 ? raw + " bytes of raw data" : typed + " listed values") + (raw > 0 &&
					typed > 0 ? " and " + typed + " listed values" : ""));
		if (raw > 0 && type == FLOAT && shape.length > 0 && Nd4j.getEnvironment().isCPU()) {
			// the file's little-endian floats straight into the array's native memory: no Java copy
			// of the weights in between (resnet18: 45 MB, about a tenth of a second)
			final INDArray array = Nd4j.createUninitialized(DataType.FLOAT, shape, 'c');
			array.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer().put(t.getRawData()
				.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer());
			return array;
		}
		final float[] values = new float[(int) n];
		if (raw > 0) {
			final ByteBuffer b = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
			if (type == FLOAT) b.asFloatBuffer().get(values);
			else for (int i = 0; i < n; i++)
				values[i] = b.getLong();
		}
		else if (type == FLOAT) for (int i = 0; i < n; i++)
			values[i] = t.getFloatData(i);
		else for (int i = 0; i < n; i++)
			values[i] = t.getInt64Data(i);
		return shape.length == 0 ? Nd4j.scalar(DataType.FLOAT, values[0]) : Nd4j.create(values, shape,
			'c');
	}

	private static OnnxException.Invalid invalid(final String what) {
		return new OnnxException.Invalid(what + "; the file is damaged: export or get it again.");
	}
}
