package io.deepclass.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ImageShapeTest {

	@Test
	void equalWhenChannelsHeightAndWidthAreEqual() {
		final ImageShape shape = new ImageShape(3, 28, 32);
		assertEquals(new ImageShape(3, 28, 32), shape);
		assertEquals(new ImageShape(3, 28, 32).hashCode(), shape.hashCode());
		assertNotEquals(new ImageShape(1, 28, 32), shape);
		assertNotEquals(new ImageShape(3, 32, 28), shape, "height and width swapped");
		assertNotEquals(new ImageShape(3, 28, 33), shape);
		assertNotEquals(shape, null);
		assertNotEquals(shape, "32x28 RGB");
		assertEquals("32x28 RGB", shape.toString());
	}

	@Test
	void rejectsUnsupportedChannelsAndEmptyImages() {
		// any channel count from 1 to 64 is an image (fluorescence); 0 only marks a size-only target
		assertEquals("28x28 2-channel", new ImageShape(2, 28, 28).toString());
		assertThrows(IllegalArgumentException.class, () -> new ImageShape(65, 28, 28));
		assertThrows(IllegalArgumentException.class, () -> new ImageShape(-1, 28, 28));
		assertEquals(new ImageShape(4, 8, 9), ImageShape.sizeOnly(8, 9).forChannels(4));
		assertThrows(IllegalArgumentException.class, () -> new ImageShape(1, 0, 28));
	}
}
