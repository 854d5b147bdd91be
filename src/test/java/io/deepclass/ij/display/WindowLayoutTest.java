package io.deepclass.ij.display;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Small outputs open at one of ImageJ's zoom levels that makes them readable. */
class WindowLayoutTest {

	@Test
	void smallImagesAreMagnifiedToAReadableSize() {
		assertEquals(12, WindowLayout.magnificationFor(28), "a 28 x 28 saliency map: 336 pixels");
		assertEquals(3, WindowLayout.magnificationFor(96), "a 3x3 kernel stack zoomed to 96 pixels");
		assertEquals(2, WindowLayout.magnificationFor(255));
		assertEquals(1, WindowLayout.magnificationFor(256), "large enough as it is");
		assertEquals(1, WindowLayout.magnificationFor(512));
		assertEquals(32, WindowLayout.magnificationFor(3), "at most ImageJ's largest zoom level");
	}
}
