package io.deepclass.ij.input;

import java.awt.Rectangle;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ColorProcessor;
import ij.process.ImageProcessor;

import io.deepclass.core.bundle.ModelInfo;
import io.deepclass.core.data.DatasetException;
import io.deepclass.core.data.DecodedImage;

/**
 * The samples of an open image as microscopy data lays them out: a plain stack gives one sample
 * per slice; a hyperstack (channels, Z, time) one sample per (Z, T) position holding all its
 * channels, or with Z max-projected, one per time point. Channels can be chosen and reordered
 * (1-based, as ImageJ counts them). RGB slices are 3 channels.
 */
public final class ImageSamples {

	/**
	 * Which channels to keep, in which order (1-based; null: all), and whether a hyperstack's Z
	 * planes are max-projected.
	 */
	public record Options(int[] channels, boolean zMaxProjection) {

		/** Every channel, every Z plane its own sample. */
		public static final Options ALL = new Options(null, false);

		/** The channel choice and Z projection a model was trained with, to apply them again. */
		public static Options of(final ModelInfo info) {
			return new Options(info.input().selectedChannels(), info.input().zMaxProjection());
		}

		/** From the commands' {@code select_channels} ("1,3") and {@code z_projection} ("max"). */
		public static Options parse(final String selectChannels, final String zProjection) {
			return new Options(DecodedImage.parseChannels(selectChannels), "max".equalsIgnoreCase(
				zProjection == null ? "" : zProjection.trim()));
		}
	}

	/** One sample: its pixels, the slice label of its first plane, and where it came from. */
	public record Sample(DecodedImage image, String label, String source) {}

	private ImageSamples() {}

	/**
	 * @param channels channels to keep, in this order (null: all)
	 * @param zMaxProjection whether a hyperstack's Z planes are max-projected into one sample
	 * @param currentOnly only the sample at the image's current position
	 */
	public static List<Sample> of(final ImagePlus imp, final Options options,
		final boolean currentOnly)
	{
		final int[] channels = options.channels();
		final boolean zMaxProjection = options.zMaxProjection();
		final List<Sample> samples = new ArrayList<>();
		final ImageStack stack = imp.getStack();
		if (!isMultiDimensional(imp)) {
			final int first = currentOnly ? imp.getCurrentSlice() : 1;
			final int last = currentOnly ? imp.getCurrentSlice() : stack.getSize();
			for (int s = first; s <= last; s++)
				samples.add(new Sample(select(IjImageDecoder.ImagePlusConverter.decoded(stack
					.getProcessor(s)), channels), stack.getSliceLabel(s), ImageInputs.source(imp, s)));
			return samples;
		}
		final int nc = imp.getNChannels(), nz = imp.getNSlices(), nt = imp.getNFrames();
		if (imp.getBitDepth() == 24 && nc > 1)
			throw new DatasetException("image '" + imp.getTitle() + "' is an RGB hyperstack with " +
				"channels; split it into channels (Image > Color > Split Channels, then Merge " +
				"Channels as a composite) first.");
		final boolean project = zMaxProjection && nz > 1;
		final int z0 = currentOnly && !project ? imp.getSlice() : 1;
		final int z1 = currentOnly && !project ? imp.getSlice() : project ? 1 : nz;
		final int t0 = currentOnly ? imp.getFrame() : 1;
		final int t1 = currentOnly ? imp.getFrame() : nt;
		final int w = imp.getWidth(), h = imp.getHeight(), plane = w * h;
		for (int t = t0; t <= t1; t++)
			for (int z = z0; z <= z1; z++) {
				final float[] pixels = new float[nc * plane];
				for (int c = 1; c <= nc; c++) {
					final int zFrom = project ? 1 : z, zTo = project ? nz : z;
					for (int zz = zFrom; zz <= zTo; zz++) {
						final ImageProcessor ip = stack.getProcessor(imp.getStackIndex(c, zz, t));
						final int base = (c - 1) * plane;
						for (int i = 0; i < plane; i++) {
							final float v = ip.getf(i);
							if (zz == zFrom || v > pixels[base + i]) pixels[base + i] = v;
						}
					}
				}
				final int index = imp.getStackIndex(1, z, t);
				final String where = (nz > 1 && !project ? ":z" + z : "") + (nt > 1 ? ":t" + t : "");
				samples.add(new Sample(select(new DecodedImage(w, h, nc, pixels, imp.getBitDepth()),
					channels), stack.getSliceLabel(index), imp.getTitle() + (where.isEmpty() ? "" : where)));
			}
		return samples;
	}

	/**
	 * The stack index (1-based) of the first plane of each sample {@link #of} gives, in the same
	 * order: where its class and confidence are drawn.
	 */
	public static int[] stackIndices(final ImagePlus imp, final Options options,
		final boolean currentOnly)
	{
		if (!isMultiDimensional(imp)) return currentOnly ? new int[] { imp.getCurrentSlice() }
			: IntStream.rangeClosed(1, imp.getStackSize()).toArray();
		final boolean project = options.zMaxProjection() && imp.getNSlices() > 1;
		final int z0 = currentOnly && !project ? imp.getSlice() : 1;
		final int z1 = currentOnly && !project ? imp.getSlice() : project ? 1 : imp.getNSlices();
		final int t0 = currentOnly ? imp.getFrame() : 1, t1 = currentOnly ? imp.getFrame() : imp
			.getNFrames();
		final int[] indices = new int[(z1 - z0 + 1) * (t1 - t0 + 1)];
		int k = 0;
		for (int t = t0; t <= t1; t++)
			for (int z = z0; z <= z1; z++)
				indices[k++] = imp.getStackIndex(1, z, t);
		return indices;
	}

	/** Whether the image has channels, or Z and time (a hyperstack), rather than plain slices. */
	public static boolean isMultiDimensional(final ImagePlus imp) {
		return imp.getNChannels() > 1 || imp.isHyperStack();
	}

	private static DecodedImage select(final DecodedImage image, final int[] channels) {
		return channels == null ? image : image.selectChannels(channels);
	}

	/** The pixels of a patch of every channel at a stack position, read straight from the planes. */
	static DecodedImage patch(final ImagePlus imp, final int z, final int t,
		final Rectangle r, final int[] channels)
	{
		final int nc = isMultiDimensional(imp) ? imp.getNChannels() : 1;
		final ImageStack stack = imp.getStack();
		final boolean rgb = imp.getBitDepth() == 24;
		final int outChannels = rgb ? 3 : nc;
		final int plane = r.width * r.height;
		final float[] pixels = new float[outChannels * plane];
		for (int c = 1; c <= nc; c++) {
			final ImageProcessor ip = stack.getProcessor(isMultiDimensional(imp) ? imp.getStackIndex(c,
				z, t) : z);
			final int iw = ip.getWidth(), ih = ip.getHeight();
			for (int y = 0; y < r.height; y++) {
				final int sy = Math.max(0, Math.min(ih - 1, r.y + y));
				for (int x = 0; x < r.width; x++) {
					final int sx = Math.max(0, Math.min(iw - 1, r.x + x));
					final int o = y * r.width + x;
					if (rgb) {
						final int v = ((ColorProcessor) ip).getPixel(sx, sy);
						pixels[o] = (v >> 16) & 0xff;
						pixels[plane + o] = (v >> 8) & 0xff;
						pixels[2 * plane + o] = v & 0xff;
					}
					else pixels[(c - 1) * plane + o] = ip.getf(sx, sy);
				}
			}
		}
		return select(new DecodedImage(r.width, r.height, outChannels, pixels, imp.getBitDepth()),
			channels);
	}
}
