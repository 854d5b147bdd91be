package io.deepclass.core.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ArrayEntryTest {

	/** Values in several chunks, the last one partial, each where it belongs. */
	@Test
	void aRowOfSeveralChunksReadsBackValueForValue() throws IOException {
		final long length = 2L * (1 << 20) + 7;
		final INDArray row = Nd4j.linspace(DataType.FLOAT, 1, length, 1).reshape(1, length);
		final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (DataOutputStream out = new DataOutputStream(bytes)) {
			Nd4j.write(row, out);
		}
		final INDArray read = ArrayEntry.read(new ByteArrayInputStream(bytes.toByteArray()), bytes
			.size(), "coefficients.bin");
		assertEquals(row, read);
		assertEquals(length, read.getFloat(length - 1), 0);
		assertEquals((1 << 20) + 1, read.getFloat(1 << 20), 0);
	}
}
