package io.deepclass.core.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;

import org.junit.jupiter.api.Test;

import onnx.OnnxMl;

/** Reading an ONNX file costs one copy of it: the weights stay views of the bytes read. */
class OnnxFileTest {

	@Test
	void rawWeightsAreViewsOfTheFilesBytesNotCopies() throws IOException {
		final byte[] bytes;
		try (InputStream in = getClass().getResourceAsStream("residual.onnx")) {
			bytes = in.readAllBytes();
		}
		final OnnxMl.ModelProto model = OnnxFile.parse("residual.onnx", bytes);
		OnnxMl.TensorProto largest = null;
		for (final OnnxMl.TensorProto t : model.getGraph().getInitializerList())
			if (largest == null || t.getRawData().size() > largest.getRawData().size()) largest = t;
		assertTrue(largest != null && largest.getRawData().size() >= 16, "a tensor with raw data");
		// find the tensor's bytes in the file and change one: a view sees it, a copy would not
		final byte[] raw = largest.getRawData().toByteArray();
		final int at = indexOf(bytes, raw);
		assertTrue(at >= 0, "the raw data is in the file");
		final byte before = largest.getRawData().byteAt(3);
		bytes[at + 3]++;
		assertNotEquals(before, largest.getRawData().byteAt(3), "the weights alias the file's bytes");
		assertEquals((byte) (before + 1), largest.getRawData().byteAt(3));
	}

	private static int indexOf(final byte[] haystack, final byte[] needle) {
		outer: for (int i = 0; i + needle.length <= haystack.length; i++) {
			for (int j = 0; j < needle.length; j++)
				if (haystack[i + j] != needle[j]) continue outer;
			return i;
		}
		return -1;
	}
}
