package io.deepclass.core.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * {@link Npy} against files numpy wrote ({@code np.save}, numpy 1.24, by
 * {@code src/test/resources/io/deepclass/core/export/make_npy_fixtures.py}, committed so the
 * tests need no numpy), and the package's SHA-256 against the one Python's hashlib computed.
 */
class NpyNumpyFixturesTest {

	private static final String DIR = "/io/deepclass/core/export/";

	/** The fixtures' shapes; value i (C order) is i / 8 - 1, as the script made them. */
	private static final Map<String, long[]> SHAPES = new LinkedHashMap<>();
	static {
		SHAPES.put("vector", new long[] { 3 });
		SHAPES.put("matrix", new long[] { 2, 3 });
		SHAPES.put("nchw", new long[] { 1, 2, 3, 4 });
	}

	static byte[] fixture(final String file) throws IOException {
		try (InputStream in = NpyNumpyFixturesTest.class.getResourceAsStream(DIR + file)) {
			assertTrue(in != null, "fixture " + file);
			return in.readAllBytes();
		}
	}

	/** SHA-256 as lowercase hex, computed here, not by the code under test. */
	static String sha256(final byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
		}
		catch (final NoSuchAlgorithmException e) {
			throw new IllegalStateException(e);
		}
	}

	private static float[] counting(final int n) {
		final float[] v = new float[n];
		for (int i = 0; i < n; i++)
			v[i] = i / 8f - 1;
		return v;
	}

	@Test
	void readsWhatNumpyWrote() throws IOException {
		for (final Map.Entry<String, long[]> e : SHAPES.entrySet()) {
			final Npy.Array a = Npy.read(fixture(e.getKey() + ".npy"));
			assertArrayEquals(e.getValue(), a.shape(), e.getKey());
			final int n = (int) Arrays.stream(e.getValue()).reduce(1, (x, y) -> x * y);
			assertArrayEquals(counting(n), a.values(), e.getKey());
		}
		final float[] specials = Npy.read(fixture("specials.npy")).values();
		assertEquals(5, specials.length);
		assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(specials[0]), "-0.0");
		assertEquals(Float.MIN_VALUE, specials[1]);
		assertEquals(Float.MAX_VALUE, specials[2]);
		assertEquals(1f / 3, specials[3]);
		assertEquals(Float.NEGATIVE_INFINITY, specials[4]);
	}

	/**
	 * What DeepClass writes is what numpy writes: the same header dictionary (numpy also pads
	 * it to a multiple of 64 bytes, with room to grow the first axis, so the spaces may differ)
	 * and the same data bytes; here even the same file.
	 */
	@Test
	void writesWhatNumpyWrites() throws IOException {
		for (final Map.Entry<String, long[]> e : SHAPES.entrySet()) {
			final int n = (int) Arrays.stream(e.getValue()).reduce(1, (x, y) -> x * y);
			final byte[] ours = Npy.write(new Npy.Array(e.getValue(), counting(n)));
			final byte[] numpys = fixture(e.getKey() + ".npy");
			assertArrayEquals(Arrays.copyOf(numpys, 8), Arrays.copyOf(ours, 8), "magic and version");
			assertEquals(0, (10 + headerLength(ours)) % 64, "data aligned to 64 bytes");
			assertEquals(header(numpys).trim(), header(ours).trim(), e.getKey() + " header");
			assertTrue(header(ours).endsWith("\n"));
			assertArrayEquals(Arrays.copyOfRange(numpys, 10 + headerLength(numpys), numpys.length),
				Arrays.copyOfRange(ours, 10 + headerLength(ours), ours.length), e.getKey() + " data");
			assertEquals(sha256(numpys), sha256(ours), e.getKey() + ": the very file numpy writes");
		}
	}

	private static int headerLength(final byte[] npy) {
		return Short.toUnsignedInt(ByteBuffer.wrap(npy, 8, 2).order(ByteOrder.LITTLE_ENDIAN)
			.getShort());
	}

	private static String header(final byte[] npy) {
		return new String(npy, 10, headerLength(npy), StandardCharsets.US_ASCII);
	}

	/** The package's hashing gives what hashlib gave for the committed files. */
	@Test
	void packageHashesAreTheSha256PythonComputed() throws IOException {
		final String sums = new String(fixture("npy_fixtures.sha256"), StandardCharsets.US_ASCII);
		int checked = 0;
		for (final String line : sums.split("\n")) {
			if (line.isBlank()) continue;
			final String[] f = line.split("  ", 2);
			assertEquals(f[0], BioImageIoPackage.sha256(fixture(f[1])), f[1]);
			assertEquals(f[0], sha256(fixture(f[1])), f[1]);
			checked++;
		}
		assertEquals(4, checked);
	}
}
