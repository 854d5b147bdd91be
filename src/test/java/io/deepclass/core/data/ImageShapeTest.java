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
		// any channel count is an image (fluorescence, a backbone's 512 features as 512 x 1 x 1) up
		// to 8192; 0 only marks a size-only target
		assertEquals("28x28 2-channel", new ImageShape(2, 28, 28).toString());
		assertEquals(512, new ImageShape(512, 1, 1).size());
		assertThrows(IllegalArgumentException.class, () -> new ImageShape(8193, 28, 28));
		assertThrows(IllegalArgumentException.class, () -> new ImageShape(-1, 28, 28));
		assertEquals(new ImageShape(4, 8, 9), ImageShape.sizeOnly(8, 9).forChannels(4));
		assertThrows(IllegalArgumentException.class, () -> new ImageShape(1, 0, 28));
	}
}
