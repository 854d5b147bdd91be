package io.deepclass.ij;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import ij.ImagePlus;
import ij.io.Opener;
import ij.process.ColorProcessor;
import ij.process.ImageProcessor;

import io.deepclass.core.data.DecodedImage;
import io.deepclass.core.data.ImageDecoder;

/**
 * Decodes image files with ImageJ 1's {@link Opener}: whatever ImageJ opens (TIFF, PNG, JPEG,
 * GIF, BMP, ...; 8-, 16-, 32-bit and RGB). The first slice of a stack is taken; an RGB image
 * gives three channels, anything else one channel with its values as stored (so 16-bit
 * intensities are kept, not scaled to 8 bits). Nothing is shown on screen.
 */
public final class IjImageDecoder implements ImageDecoder {

	@Override
	public DecodedImage decode(final Path file) throws IOException {
		if (!Files.isReadable(file)) throw new IOException("cannot be read (permissions?)");
		if (Files.size(file) == 0) throw new IOException("empty file");
		final Opener opener = new Opener();
		opener.setSilentMode(true);
		final ImagePlus imp = opener.openImage(file.toString());
		if (imp == null || imp.getProcessor() == null)
			throw new IOException("not an image ImageJ can open (corrupt or unsupported format)");
		return ImagePlusConverter.decoded(imp.getProcessor());
	}

	/** Conversions between ImageJ processors and core pixel arrays. */
	public static final class ImagePlusConverter {

		private ImagePlusConverter() {}

		/** The pixels of one processor: 3 channels for RGB, else 1 channel of raw values. */
		public static DecodedImage decoded(final ImageProcessor ip) {
			final int w = ip.getWidth();
			final int h = ip.getHeight();
			if (ip instanceof ColorProcessor cp) {
				final int plane = w * h;
				final float[] pixels = new float[3 * plane];
				final int[] rgb = (int[]) cp.getPixels();
				for (int i = 0; i < plane; i++) {
					pixels[i] = (rgb[i] >> 16) & 0xff;
					pixels[plane + i] = (rgb[i] >> 8) & 0xff;
					pixels[2 * plane + i] = rgb[i] & 0xff;
				}
				return new DecodedImage(w, h, 3, pixels);
			}
			final float[] pixels = new float[w * h];
			for (int i = 0; i < pixels.length; i++)
				pixels[i] = ip.getf(i);
			return new DecodedImage(w, h, 1, pixels);
		}
	}
}
