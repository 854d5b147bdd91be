package io.deepclass.core.bundle;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UTFDataFormatException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Set;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reads a row of float values stored in ND4J's binary array format (what {@code Nd4j.write}
 * writes: the shape information and then the values, each as a data buffer with a header), as
 * DL4J stores a network's parameters and optimiser state. Unlike {@code Nd4j.read}, which
 * allocates whatever the headers declare, every number is checked against the bytes really
 * there and the memory available before anything is allocated, and only what DeepClass writes
 * is read: one row of 32-bit floats.
 */
final class ArrayEntry {

	/** Values copied per step: large enough to be fast, small enough to cost nothing. */
	private static final int CHUNK = 1 << 20;

	/** Allocation modes that store a buffer's length as a long, as ND4J writes since 1.0.0-beta. */
	private static final Set<String> MODES = Set.of("LONG_SHAPE",
		"MIXED_DATA_TYPES");

	private ArrayEntry() {}

	/**
	 * The row in {@code in}, which holds exactly {@code bytes} bytes.
	 *
	 * @param name the entry's name, for messages
	 * @throws IllegalArgumentException saying what is wrong, when the bytes are not such a row
	 */
	static INDArray read(final InputStream in, final long bytes, final String name)
		throws IOException
	{
		final DataInputStream data = new DataInputStream(in);
		try {
			final long shapeLength = header(data, "LONG", name);
			// rank, shape, strides, extras, element-wise stride, order
			if (shapeLength != 2 * 2 + 4 && shapeLength != 2 * 1 + 4) throw wrong(name,
				"its shape has " + shapeLength + " fields, not those of a row of values");
			final long[] shapeInfo = new long[(int) shapeLength];
			for (int i = 0; i < shapeInfo.length; i++)
				shapeInfo[i] = data.readLong();
			final int rank = (int) shapeInfo[0];
			if (shapeLength != 2 * rank + 4) throw wrong(name, "its shape is inconsistent");
			final long[] shape = Arrays.copyOfRange(shapeInfo, 1, 1 + rank);
			if (rank == 2 && shape[0] != 1 || Arrays.stream(shape).anyMatch(d -> d < 0)) throw wrong(
				name, "it is not one row of values (shape " + Arrays.toString(shape) + ")");
			final long length = shape[rank - 1];
			final long valuesLength = header(data, "FLOAT", name);
			if (valuesLength != length) throw wrong(name, "its shape holds " + length +
				" values but its data " + valuesLength);
			final long valueBytes = Float.BYTES * length;
			if (valueBytes > bytes) throw wrong(name, "it declares " + length + " values (" +
				valueBytes + " bytes) but holds " + bytes + " bytes");
			checkMemory(valueBytes, name);
			final INDArray row = Nd4j.createUninitialized(DataType.FLOAT, shape, 'c');
			// straight into the array's memory, a chunk at a time (through ND4J's assign of a
			// chunk array, the 45 MB of a ResNet-18 took 0.43 s to read)
			final FloatPointer target = new FloatPointer(row.data().addressPointer());
			final byte[] chunk = new byte[(int) Math.min(CHUNK, length) * Float.BYTES];
			final float[] values = new float[(int) Math.min(CHUNK, length)];
			for (long done = 0; done < length;) {
				final int n = (int) Math.min(values.length, length - done);
				data.readFully(chunk, 0, n * Float.BYTES);
				ByteBuffer.wrap(chunk, 0, n * Float.BYTES).asFloatBuffer().get(values, 0, n);
				target.position(done).put(values, 0, n);
				done += n;
			}
			if (data.read() >= 0) throw wrong(name, "it holds more bytes than its values");
			return row;
		}
		catch (final EOFException e) {
			throw wrong(name, "it ends early");
		}
		catch (final UTFDataFormatException e) {
			throw wrong(name, "its header is not ND4J's");
		}
	}

	/** Reads a data buffer's header, checks its mode and type, and returns its length. */
	private static long header(final DataInputStream data, final String type, final String name)
		throws IOException
	{
		final String mode = data.readUTF();
		if (!MODES.contains(mode)) throw wrong(name, "its header is not ND4J's (allocation mode '" +
			ConfigurationJson.printable(mode) + "')");
		final long length = data.readLong();
		final String actual = data.readUTF();
		if (!type.equals(actual)) throw wrong(name, "it holds " + ConfigurationJson.printable(
			actual) + " values where DeepClass writes " + type);
		if (length < 0) throw wrong(name, "it declares a negative length");
		return length;
	}

	/** Refuses an array larger than the native memory ND4J may still take. */
	private static void checkMemory(final long bytes, final String name) {
		final long free = Pointer.maxBytes() - Pointer.totalBytes();
		if (bytes > free) throw new TooLarge("its " + name + " needs " + mb(bytes) + " MB, more " +
			"than the " + mb(Math.max(0, free)) + " MB of memory DeepClass may still use here");
	}

	private static long mb(final long bytes) {
		return (bytes + (1 << 20) - 1) >> 20;
	}

	/** A model that would need more memory than this machine gives: not damage, but too large here. */
	static final class TooLarge extends IllegalArgumentException {

		private static final long serialVersionUID = 1L;

		TooLarge(final String message) {
			super(message);
		}
	}

	private static IllegalArgumentException wrong(final String name, final String what) {
		return new IllegalArgumentException("its " + name + " is not a row of parameters: " + what);
	}
}
