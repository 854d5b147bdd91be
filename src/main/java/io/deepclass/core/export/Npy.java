package io.deepclass.core.export;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * float32 arrays in NumPy's {@code .npy} format (version 1.0, little-endian, C order), as
 * bioimage.io test tensors are: written for packages, read back to check them.
 */
public final class Npy {

	private static final byte[] MAGIC = { (byte) 0x93, 'N', 'U', 'M', 'P', 'Y' };

	private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([0-9,\\s]*)\\)");

	/** A float32 array and its shape. */
	public record Array(long[] shape, float[] values) {

		public Array {
			if (Arrays.stream(shape).reduce(1, (a, b) -> a * b) != values.length)
				throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " does not hold " +
					values.length + " values");
		}
	}

	private Npy() {}

	public static byte[] write(final Array array) {
		final StringBuilder shape = new StringBuilder();
		for (final long d : array.shape())
			shape.append(d).append(", ");
		if (array.shape().length > 1) shape.setLength(shape.length() - 2); // (1, 2) but (3,)
		final String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + shape.toString()
			.trim() + "), }";
		// magic, version, header length, header: together a multiple of 64, ending in '\n'
		final int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
		final int padding = (64 - unpadded % 64) % 64;
		final String header = dict + " ".repeat(padding) + "\n";
		final ByteBuffer bytes = ByteBuffer.allocate(MAGIC.length + 4 + header.length() + 4 * array
			.values().length).order(ByteOrder.LITTLE_ENDIAN);
		bytes.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length()).put(header
			.getBytes(StandardCharsets.US_ASCII));
		for (final float v : array.values())
			bytes.putFloat(v);
		return bytes.array();
	}

	/** Reads a version 1 or 2 {@code .npy} file of little-endian float32 in C order. */
	public static Array read(final byte[] file) {
		final ByteBuffer in = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
		if (file.length < 10 || !Arrays.equals(Arrays.copyOf(file, MAGIC.length), MAGIC))
			throw new IllegalArgumentException("not a .npy file (no \\x93NUMPY magic)");
		final int major = file[6];
		in.position(8);
		final int length = major == 1 ? Short.toUnsignedInt(in.getShort()) : in.getInt();
		if (length < 0 || in.position() + length > file.length)
			throw new IllegalArgumentException(".npy header of " + length + " bytes is cut off");
		final String header = new String(file, in.position(), length, StandardCharsets.US_ASCII);
		in.position(in.position() + length);
		if (!header.contains("'descr': '<f4'") || !header.contains("'fortran_order': False"))
			throw new IllegalArgumentException("not little-endian float32 in C order: " + header.trim());
		final Matcher m = SHAPE.matcher(header);
		if (!m.find()) throw new IllegalArgumentException("no shape in .npy header: " + header.trim());
		final long[] shape = Arrays.stream(m.group(1).split(",")).map(String::trim).filter(s -> !s
			.isEmpty()).mapToLong(Long::parseLong).toArray();
		final long count = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
		if (count * 4 != in.remaining())
			throw new IllegalArgumentException(".npy of shape " + Arrays.toString(shape) + " has " + in
				.remaining() + " bytes of data, not " + count * 4);
		final float[] values = new float[(int) count];
		in.asFloatBuffer().get(values);
		return new Array(shape, values);
	}
}
