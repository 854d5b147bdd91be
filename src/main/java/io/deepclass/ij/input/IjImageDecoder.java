package io.deepclass.ij.input;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;

import ij.ImagePlus;
import ij.io.FileInfo;
import ij.io.FileOpener;
import ij.io.Opener;
import ij.io.TiffDecoder;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.ImageProcessor;
import ij.process.ShortProcessor;

import io.deepclass.core.data.DatasetException;
import io.deepclass.core.data.DecodedImage;
import io.deepclass.core.data.ImageDecoder;
import io.deepclass.core.data.ImageFiles;

/**
 * Decodes image files with ImageJ 1's readers: TIFF (8-, 16-, 32-bit, RGB) through ImageJ's TIFF
 * decoder, PNG, JPEG, GIF and BMP through ImageIO as ImageJ does, any other format ImageJ knows
 * through {@link Opener}. The first slice of a plain stack is taken; an ImageJ hyperstack TIFF
 * with channels gives its first (Z, T) position with all channels (see {@link ImageSamples});
 * RGB gives three channels, gray one channel with its values as stored (16-bit intensities are
 * kept, not scaled).
 * <p>
 * ImageJ's {@code Opener} reports a damaged file with an error that aborts the running macro;
 * a batch import must skip such a file instead, so TIFF and the ImageIO formats are read here in
 * a way that turns every failure into an {@link IOException}.
 */
public final class IjImageDecoder implements ImageDecoder {

	/** The most pixels a plane may hold: Java arrays have at most 2^31 - 1 elements. */
	static final long MAX_PIXELS = Integer.MAX_VALUE;

	static final String TOO_LARGE = "too large to decode";

	private final ImageSamples.Options options;

	/** Every channel of the first position of each file. */
	public IjImageDecoder() {
		this(ImageSamples.Options.ALL);
	}

	/**
	 * @param options the channels to keep and whether a multi-channel TIFF hyperstack's Z planes
	 *          are max-projected (its first time point is taken)
	 */
	public IjImageDecoder(final ImageSamples.Options options) {
		this.options = options;
	}

	@Override
	public DecodedImage decode(final Path file) throws IOException {
		final ImagePlus imp = open(file, false);
		try {
			return ImageSamples.of(imp, options, true).get(0).image();
		}
		catch (final DatasetException e) {
			throw new IOException(e.getMessage(), e);
		}
	}

	/**
	 * The whole image in {@code file}, every plane of a stack or hyperstack, with the same checks
	 * as {@link #decode} (size declared in the header against the memory, damage as an
	 * {@link IOException}); for the cells of an image with its ROI set, whose ROIs may sit on any
	 * plane.
	 */
	public static ImagePlus openWhole(final Path file) throws IOException {
		final ImagePlus imp = open(file, true);
		imp.setTitle(file.getFileName().toString());
		return imp;
	}

	private static ImagePlus open(final Path file, final boolean wholeStack) throws IOException {
		if (!Files.isRegularFile(file)) throw new IOException(Files.exists(file) ? ImageFiles.NOT_REGULAR
			: "vanished or a broken link");
		if (!Files.isReadable(file)) throw new IOException("cannot be read (permissions?)");
		if (Files.size(file) == 0) throw new IOException("empty file");
		final String path = file.toString();
		final ImagePlus imp;
		try {
			imp = switch (new Opener().getFileType(path)) {
				case Opener.TIFF -> tiff(file, wholeStack);
				case Opener.PNG, Opener.JPEG, Opener.GIF, Opener.BMP -> imageIO(file);
				case Opener.UNKNOWN, Opener.TEXT, Opener.JAVA_OR_TEXT, Opener.ROI, Opener.TABLE,
					Opener.RAW, Opener.LUT -> throw new IOException("not an image ImageJ can open");
				default -> new Opener().openImage(path);
			};
		}
		catch (final RuntimeException e) {
			throw new IOException("damaged or unsupported image (" + e.getClass().getSimpleName() +
				(e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e);
		}
		if (imp == null || imp.getProcessor() == null)
			throw new IOException("damaged or unsupported image");
		return imp;
	}

	private static ImagePlus tiff(final Path file, final boolean wholeStack) throws IOException {
		final TiffDecoder decoder = new TiffDecoder(file.getParent().toString() + File.separator, file
			.getFileName().toString());
		final FileInfo[] info = decoder.getTiffInfo();
		if (info == null || info.length == 0) throw new IOException("damaged TIFF (no image found)");
		final FileInfo first = info[0];
		final int channels = hyperstackChannels(first);
		final boolean hyperstack = channels > 1 || info.length == 1 && first.nImages > 1 && first
			.description != null && first.description.contains("slices=");
		final long planes = !hyperstack && !wholeStack ? 1 : info.length > 1 ? info.length : Math
			.max(1, first.nImages);
		checkSize(file, "TIFF", first.width, first.height, first.getBytesPerPixel() * planes,
			first.getBytesPerPixel() == 3 ? 3 : Math.max(1, channels));
		if (hyperstack) {
			// an ImageJ hyperstack: ImageJ's opener sets its channels, slices and frames
			final ImagePlus imp = new Opener().openImage(file.toString());
			if (imp == null) throw new IOException("damaged TIFF hyperstack");
			return imp;
		}
		if (wholeStack && info.length > 1) {
			final ImagePlus stack = new Opener().openTiffStack(info);
			if (stack == null) throw new IOException("damaged TIFF stack");
			return stack;
		}
		if (first.nImages > 1 && !wholeStack) first.nImages = 1;
		final long needed = first.getOffset() + (long) first.width * first.height * first
			.getBytesPerPixel() * Math.max(1, first.nImages) + (long) first.gapBetweenImages * Math.max(
				0, first.nImages - 1);
		if (first.compression <= FileInfo.COMPRESSION_NONE && needed > Files.size(file))
			throw new IOException("damaged TIFF (file shorter than its image data)");
		return new FileOpener(first).openImage();
	}

	/** A reason of ours, passed on as it is rather than wrapped as a reader's failure. */
	private static final class Refusal extends IOException {

		private static final long serialVersionUID = 1L;

		Refusal(final String message) {
			super(message);
		}
	}

	/** The image's type as stored, or null when the reader cannot tell it without decoding. */
	private static ImageTypeSpecifier rawType(final ImageReader reader) {
		try {
			return reader.getRawImageType(0);
		}
		catch (final IOException | RuntimeException e) {
			return null; // e.g. a CMYK JPEG: the size check then assumes 4 bytes and 3 channels
		}
	}

	/**
	 * Refuses an image whose header declares more pixels than may be decoded, before any pixel
	 * is allocated: more than {@value #MAX_PIXELS} pixels a plane (Java arrays, and so ImageJ's
	 * processors, hold at most 2^31 - 1 elements), or more memory than {@link #maxImageBytes()}.
	 *
	 * @param storedBytes bytes a pixel takes as the reader decodes it (all planes read)
	 * @param channels channels kept, each as 32-bit floats
	 */
	static void checkSize(final Path file, final String format, final long width,
		final long height, final long storedBytes, final int channels) throws IOException
	{
		final long pixels = width * height;
		final double bytes = (double) pixels * Math.max(storedBytes, 4L * channels);
		if (width <= 0 || height <= 0) throw new Refusal("damaged " + format + " (declares " +
			width + " x " + height + " pixels)");
		if (pixels > MAX_PIXELS || bytes > maxImageBytes())
			throw new Refusal(TOO_LARGE + " (its " + format + " header declares " + width + " x " +
				height + " pixels, " + gib(bytes) + " to decode; the limit is " + (pixels > MAX_PIXELS
					? MAX_PIXELS + " pixels a plane" : gib(maxImageBytes()) + ", a quarter of the Java " +
						"memory") + "), so it is not decoded; crop or scale it down, or cut it into tiles");
	}

	/**
	 * The most memory one decoded image may take: a quarter of the Java heap, because several
	 * files are decoded at once (one per core, a few batches ahead) and each is held twice while
	 * it is converted (ImageJ's pixels and the float copy).
	 */
	static long maxImageBytes() {
		return Runtime.getRuntime().maxMemory() / 4;
	}

	private static String gib(final double bytes) {
		return String.format(Locale.ROOT, bytes >= 1L << 30 ? "%.1f GiB" : "%.0f MiB",
			bytes >= 1L << 30 ? bytes / (1L << 30) : bytes / (1L << 20));
	}

	/** The "channels=" of an ImageJ TIFF description, 1 when absent. */
	private static int hyperstackChannels(final FileInfo info) {
		if (info.description == null) return 1;
		final Matcher m = Pattern.compile("channels=(\\d+)").matcher(
			info.description);
		return m.find() ? Integer.parseInt(m.group(1)) : 1;
	}

	private static ImagePlus imageIO(final Path file) throws IOException {
		final BufferedImage image;
		try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
			final Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
			if (readers == null || !readers.hasNext())
				throw new Refusal("damaged or unsupported image");
			final ImageReader reader = readers.next();
			try {
				reader.setInput(in, true, true);
				// the header only: refuse a declared size too large before any pixel is allocated
				final ImageTypeSpecifier type = rawType(reader);
				int bits = 32, bands = 3;
				if (type != null) {
					bands = type.getNumBands();
					bits = 0;
					for (int b = 0; b < bands; b++)
						bits += type.getBitsPerBand(b);
				}
				checkSize(file, reader.getFormatName().toUpperCase(Locale.ROOT), reader
					.getWidth(0), reader.getHeight(0), Math.max(4, (bits + 7) / 8), bands >= 3 ? 3 : 1);
				image = reader.read(0);
			}
			finally {
				reader.dispose();
			}
		}
		catch (final Refusal e) {
			throw e;
		}
		catch (final IOException e) {
			throw new IOException("damaged image (" + e.getMessage() + ")", e);
		}
		if (image == null) throw new IOException("damaged or unsupported image");
		final int w = image.getWidth(), h = image.getHeight();
		final ImageProcessor ip = switch (image.getType()) {
			case BufferedImage.TYPE_BYTE_GRAY -> new ByteProcessor(image);
			case BufferedImage.TYPE_USHORT_GRAY -> {
				final short[] pixels = new short[w * h];
				image.getRaster().getDataElements(0, 0, w, h, pixels);
				yield new ShortProcessor(w, h, pixels, null);
			}
			default -> new ColorProcessor(image);
		};
		return new ImagePlus(file.getFileName().toString(), ip);
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
				return new DecodedImage(w, h, 3, pixels, 24);
			}
			final float[] pixels = new float[w * h];
			for (int i = 0; i < pixels.length; i++)
				pixels[i] = ip.getf(i);
			return new DecodedImage(w, h, 1, pixels, ip.getBitDepth());
		}
	}
}
