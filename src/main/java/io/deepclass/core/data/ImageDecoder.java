package io.deepclass.core.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Turns an image file into pixels. The core does not decode files itself (that needs ImageJ or
 * AWT); the ImageJ glue provides the implementation built on {@code ij.io.Opener}.
 */
@FunctionalInterface
public interface ImageDecoder {

	/**
	 * @return the image's pixels
	 * @throws IOException when the file cannot be read or is not an image; the message says why
	 */
	DecodedImage decode(Path file) throws IOException;
}
