package io.deepclass.ij.display;

import java.awt.Color;
import java.awt.Font;
import java.awt.Rectangle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.ImageRoi;
import ij.gui.Overlay;
import ij.gui.Roi;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import ij.process.LUT;

import io.deepclass.core.bundle.ModelBundle;
import io.deepclass.core.data.Dataset;
import io.deepclass.core.data.ImageShape;
import io.deepclass.core.inspect.ConvKernels;
import io.deepclass.core.inspect.FeatureMaps;
import io.deepclass.core.inspect.FixedFilters;
import io.deepclass.core.inspect.NetworkInspector;
import io.deepclass.core.predict.Predictions;
import io.deepclass.ij.input.ImageInputs;

/**
 * Images of what a network holds and sees: kernels on a diverging lookup table (blue negative,
 * white zero, red positive; each kernel scaled to its own largest magnitude), feature maps on
 * grays (each scaled to its own range), and saliency maps as translucent heat-map overlays.
 * Small things are enlarged with nearest-neighbour zoom, so every weight stays one square.
 */
public final class FilterImages {

	private static final Color GAP = new Color(128, 128, 128);

	/** Height of the band above a kernel montage naming the layer and its colour scale. */
	public static final int LEGEND = 36;

	private FilterImages() {}

	/** Blue-white-red for {@code v} in [-1, 1]. */
	static int diverging(final double v) {
		final double t = Math.max(-1, Math.min(1, v));
		final int other = (int) Math.round(255 * (1 - Math.abs(t)));
		return t >= 0 ? (255 << 16) | (other << 8) | other : (other << 16) | (other << 8) | 255;
	}

	/** The diverging lookup table, for 32-bit images displayed from -1 to 1. */
	static LUT divergingLut() {
		final byte[] r = new byte[256], g = new byte[256], b = new byte[256];
		for (int i = 0; i < 256; i++) {
			final int rgb = diverging(i / 127.5 - 1);
			r[i] = (byte) (rgb >> 16);
			g[i] = (byte) (rgb >> 8);
			b[i] = (byte) rgb;
		}
		return new LUT(r, g, b);
	}

	/** Zoom that makes a {@code size}-pixel thing at least {@code target} pixels (at least 1). */
	public static int zoomFor(final int size, final int target) {
		return Math.max(1, (int) Math.ceil(target / (double) Math.max(1, size)));
	}

	/**
	 * Every kernel of a layer as one slice of a 32-bit stack, scaled to [-1, 1] by its own
	 * largest magnitude, enlarged {@code zoom} times; slice labels give layer, filter, channel and
	 * the kernel's true range.
	 */
	public static ImagePlus kernelStack(final ConvKernels k, final int zoom) {
		final ImageStack stack = new ImageStack(k.width() * zoom, k.height() * zoom);
		for (int f = 0; f < k.filters(); f++)
			for (int c = 0; c < k.channels(); c++) {
				final float[] kernel = k.kernel(f, c);
				float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
				for (final float v : kernel) {
					min = Math.min(min, v);
					max = Math.max(max, v);
				}
				final float scale = Math.max(Math.abs(min), Math.abs(max));
				final FloatProcessor fp = new FloatProcessor(k.width(), k.height());
				for (int i = 0; i < kernel.length; i++)
					fp.setf(i, scale == 0 ? 0 : kernel[i] / scale);
				fp.setInterpolationMethod(ImageProcessor.NONE);
				stack.addSlice(String.format(Locale.ROOT,
					"conv%d filter %d channel %d (%.3g to %.3g)", k.number(), f + 1, c + 1, min, max), fp
						.resize(k.width() * zoom, k.height() * zoom));
			}
		final ImagePlus imp = new ImagePlus("DeepClass Kernels conv" + k.number(), stack);
		imp.getProcessor().setLut(divergingLut());
		imp.setDisplayRange(-1, 1);
		imp.setProperty("Info", k.layer() + ": " + k.filters() + " filters x " + k.channels() +
			" channels of " + k.height() + "x" + k.width() + "\nblue negative, white 0, red " +
			"positive; each kernel scaled to its own largest magnitude");
		return imp;
	}

	/** About how wide (pixels) a kernel montage's grid may grow before its tiles shrink. */
	static final int MONTAGE_GRID = 640;

	/**
	 * All kernels of a layer in one RGB picture: one row per filter and one column per input
	 * channel, or, with one input channel, the filters in a near-square grid. Tiles are as large as
	 * fits a grid about {@link #MONTAGE_GRID} pixels wide (16 to 64 pixels a kernel): 16 3x3
	 * kernels get 66 pixels each, 16 filters x 32 channels 21.
	 */
	public static ImagePlus kernelMontage(final ConvKernels k) {
		final int columns = k.channels() > 1 ? k.channels() : (int) Math.ceil(Math.sqrt(k.filters()));
		final int rows = (k.filters() * k.channels() + columns - 1) / columns;
		final int tile = Math.max(16, Math.min(64, MONTAGE_GRID / Math.max(columns, rows)));
		final ImagePlus stack = kernelStack(k, zoomFor(Math.max(k.width(), k.height()), tile));
		// gaps that separate the kernels even where neighbours share a colour: 1 px on small
		// tiles, 4 px on the 66-pixel tiles of a first layer's 3x3 kernels
		final int gap = Math.max(1, stack.getWidth() / 16);
		final ColorProcessor tiles = grid(stack.getStack(), columns, rows, true, gap);
		// a legend band: which layer, and what the colours mean
		final String scale = "+  (each kernel to its own max)";
		final ColorProcessor measure = new ColorProcessor(1, 1);
		measure.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
		final ColorProcessor montage = new ColorProcessor(Math.max(tiles.getWidth(), 2 + 14 + 80 + 3 +
			measure.getStringWidth(scale) + 6), tiles.getHeight() + LEGEND);
		montage.setColor(Color.black);
		montage.fill();
		montage.setAntialiasedText(true);
		montage.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
		montage.setColor(Color.white);
		montage.drawString("conv" + k.number() + ": " + k.filters() + " filters x " + k.channels() +
			" ch, " + k.height() + "x" + k.width(), 2, 14);
		final int bar = 80;
		for (int i = 0; i < bar; i++) {
			montage.setColor(new Color(diverging(2.0 * i / (bar - 1) - 1)));
			montage.drawLine(2 + 14 + i, 20, 2 + 14 + i, 30);
		}
		montage.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
		montage.setColor(Color.white);
		montage.drawString("-", 4, 31);
		montage.drawString(scale, 2 + 14 + bar + 3, 31);
		montage.insert(tiles, 0, LEGEND);
		return new ImagePlus("DeepClass Kernel Montage conv" + k.number() + " (" + k.filters() +
			" filters x " + k.channels() + " channels)", montage);
	}

	/** One 32-bit slice per channel of a layer's output, enlarged {@code zoom} times. */
	public static ImagePlus featureStack(final FeatureMaps m, final int zoom) {
		final ImageStack stack = new ImageStack(m.width() * zoom, m.height() * zoom);
		for (int c = 0; c < m.channels(); c++) {
			final FloatProcessor fp = new FloatProcessor(m.width(), m.height(), m.map(c));
			fp.setInterpolationMethod(ImageProcessor.NONE);
			stack.addSlice("conv" + m.number() + " channel " + (c + 1), fp.resize(m.width() * zoom, m
				.height() * zoom));
		}
		final ImagePlus imp = new ImagePlus("DeepClass Feature Maps conv" + m.number(), stack);
		imp.setProperty("Info", m.layer() + ": " + m.channels() + " maps of " + m.height() + "x" + m
			.width());
		imp.resetDisplayRange();
		return imp;
	}

	/**
	 * The feature maps of every convolution block side by side, each block a near-square grid of
	 * its channels (each scaled to its own range), all tiles {@code tile} pixels, with the block's
	 * name above it.
	 */
	public static ImagePlus featureMontage(final List<FeatureMaps> blocks, final int tile) {
		final ColorProcessor[] panels = new ColorProcessor[blocks.size()];
		int width = 0, height = 0;
		for (int b = 0; b < blocks.size(); b++) {
			final FeatureMaps m = blocks.get(b);
			final ImageStack stack = new ImageStack(tile, tile);
			for (int c = 0; c < m.channels(); c++) {
				final FloatProcessor fp = new FloatProcessor(m.width(), m.height(), m.map(c));
				fp.setInterpolationMethod(ImageProcessor.NONE);
				stack.addSlice(fp.resize(tile, tile));
			}
			final int columns = (int) Math.ceil(Math.sqrt(m.channels()));
			panels[b] = grid(stack, columns, (m.channels() + columns - 1) / columns, false, 1);
			width += panels[b].getWidth() + 12;
			height = Math.max(height, panels[b].getHeight());
		}
		final ColorProcessor montage = new ColorProcessor(Math.max(300, width), height + 22 + 18);
		montage.setColor(Color.black);
		montage.fill();
		montage.setColor(Color.white);
		montage.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
		montage.setAntialiasedText(true);
		int x = 0;
		for (int b = 0; b < panels.length; b++) {
			montage.drawString("conv" + blocks.get(b).number() + ": " + blocks.get(b).channels() +
				" maps " + blocks.get(b).height() + "x" + blocks.get(b).width(), x + 2, 17);
			montage.insert(panels[b], x, 22);
			x += panels[b].getWidth() + 12;
		}
		montage.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
		montage.drawString("each map scaled to its own range: black low, white high", 2, height +
			22 + 14);
		return new ImagePlus("DeepClass Feature Map Montage", montage);
	}

	/**
	 * The tutorial's picture: each image (top row, grays) and its response to each kernel (one
	 * row per kernel, diverging colours, each scaled to its own largest magnitude), with the
	 * kernels written at the left.
	 */
	public static ImagePlus filterMontage(final List<FloatProcessor> images,
		final List<float[][]> responses, final List<String> kernelNames)
	{
		final int w = images.get(0).getWidth(), h = images.get(0).getHeight();
		final int zoom = zoomFor(Math.max(w, h), 84);
		final int tw = w * zoom, th = h * zoom, label = 150;
		final ColorProcessor montage = new ColorProcessor(label + images.size() * (tw + 2), (1 +
			kernelNames.size()) * (th + 2));
		montage.setColor(Color.black);
		montage.fill();
		montage.setColor(Color.white);
		montage.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
		montage.setAntialiasedText(true);
		montage.drawString("image", 4, th / 2 + 6);
		for (int k = 0; k < kernelNames.size(); k++) {
			final String[] lines = kernelNames.get(k).split("\n");
			for (int l = 0; l < lines.length; l++)
				montage.drawString(lines[l], 4, (k + 1) * (th + 2) + 16 + l * 15);
		}
		for (int i = 0; i < images.size(); i++) {
			final int x = label + i * (tw + 2);
			final FloatProcessor original = (FloatProcessor) images.get(i).duplicate();
			original.resetMinAndMax();
			original.setInterpolationMethod(ImageProcessor.NONE);
			montage.insert(original.resize(tw, th).convertToRGB(), x, 0);
			for (int k = 0; k < kernelNames.size(); k++)
				montage.insert(divergingTile(responses.get(k)[i], w, h, tw, th), x, (k + 1) * (th + 2));
		}
		return new ImagePlus("DeepClass Fixed Filters", montage);
	}

	/** A signed map as an RGB tile: diverging colours scaled to its own largest magnitude. */
	static ColorProcessor divergingTile(final float[] values, final int w, final int h,
		final int tw, final int th)
	{
		float scale = 0;
		for (final float v : values)
			scale = Math.max(scale, Math.abs(v));
		final ColorProcessor cp = new ColorProcessor(w, h);
		for (int i = 0; i < values.length; i++)
			cp.set(i, diverging(scale == 0 ? 0 : values[i] / scale));
		cp.setInterpolationMethod(ImageProcessor.NONE);
		return (ColorProcessor) cp.resize(tw, th);
	}

	/**
	 * A saliency map as a translucent heat map over {@code bounds} of an image (on slice
	 * {@code slice} of a stack, 0 for all): transparent below 15 % of its maximum (and where it
	 * is negative), then red to yellow up to its maximum.
	 */
	public static ImageRoi heatMap(final float[] map, final int w, final int h,
		final Rectangle bounds, final int slice, final double opacity)
	{
		float max = 0;
		for (final float v : map)
			max = Math.max(max, v);
		final ColorProcessor cp = new ColorProcessor(w, h);
		for (int i = 0; i < map.length; i++) {
			final double t = max <= 0 ? 0 : Math.max(0, map[i]) / max;
			cp.set(i, t < 0.15 ? 0 : (255 << 16) | ((int) Math.round(255 * t) << 8));
		}
		cp.setInterpolationMethod(ImageProcessor.NONE);
		final ImageRoi roi = new ImageRoi(bounds.x, bounds.y, cp.resize(bounds.width, bounds.height));
		roi.setZeroTransparent(true);
		roi.setOpacity(opacity);
		roi.setName("saliency");
		if (slice > 0) roi.setPosition(slice);
		return roi;
	}

	/** A saliency map as a 32-bit image with its values, on a diverging table. */
	public static ImagePlus saliencyImage(final String title, final float[] map, final int w,
		final int h)
	{
		final FloatProcessor fp = new FloatProcessor(w, h, map.clone());
		float scale = 0;
		for (final float v : map)
			scale = Math.max(scale, Math.abs(v));
		fp.setLut(divergingLut());
		fp.setMinAndMax(-Math.max(scale, 1e-12), Math.max(scale, 1e-12));
		return new ImagePlus(title, fp);
	}

	/** Tiles of a stack in a grid with {@code gap}-pixel gray gaps, each slice coloured as {@code signed}. */
	private static ColorProcessor grid(final ImageStack stack, final int columns, final int rows,
		final boolean signed, final int gap)
	{
		final int tw = stack.getWidth(), th = stack.getHeight();
		final ColorProcessor montage = new ColorProcessor(columns * (tw + gap) + gap, rows * (th +
			gap) + gap);
		montage.setColor(GAP);
		montage.fill();
		for (int i = 0; i < stack.getSize(); i++) {
			final ImageProcessor tile = stack.getProcessor(i + 1);
			final ColorProcessor rgb;
			if (signed) {
				rgb = new ColorProcessor(tw, th);
				for (int p = 0; p < tw * th; p++)
					rgb.set(p, diverging(tile.getf(p)));
			}
			else {
				tile.resetMinAndMax();
				rgb = (ColorProcessor) tile.convertToRGB();
			}
			montage.insert(rgb, gap + (i % columns) * (tw + gap), gap + (i / columns) * (th + gap));
		}
		return montage;
	}

	/**
	 * A heat map of where the network looked for each classified item (occlusion, or gradient x
	 * input), over its ROI or its slice of {@code image}, added to the image's overlay.
	 */
	public static void saliencyOverlay(final ModelBundle model,
		final Dataset data, final Predictions predictions,
		final ImagePlus image, final Roi[] rois, final int[] slices, final int patchSize,
		final boolean occlusion)
	{
		final NetworkInspector inspector = new NetworkInspector(model);
		for (int i = 0; i < predictions.size(); i++) {
			final int target = predictions.predicted()[i];
			final float[] map = occlusion ? inspector.occlusion(data.image(i), target, 0, 0) : inspector
				.gradientTimesInput(data.image(i), target);
			addHeatMap(image, map, model.info().inputShape(), rois != null ? rois[i] : null, patchSize,
				rois != null ? rois[i].getPosition() : image.getStackSize() > 1 ? slices[i] : 0, 0.5);
			IJ.showProgress(i + 1, predictions.size());
		}
	}

	/**
	 * The one saliency overlay: {@code map} (an image of the model's input {@code shape}) as a
	 * translucent {@link #heatMap} over where {@code roi} was cut from the image (patches of
	 * {@code patchSize}, see {@link ImageInputs#patchBounds}; null: the whole image), on
	 * {@code slice} (0: every slice), added to the image's overlay.
	 */
	public static void addHeatMap(final ImagePlus image, final float[] map, final ImageShape shape,
		final Roi roi, final int patchSize, final int slice, final double opacity)
	{
		final Rectangle bounds = roi != null ? ImageInputs.patchBounds(roi, patchSize)
			: new Rectangle(0, 0, image.getWidth(), image.getHeight());
		final Overlay overlay = image.getOverlay() != null ? image.getOverlay() : new Overlay();
		overlay.add(heatMap(map, shape.width(), shape.height(), bounds, slice, opacity));
		image.setOverlay(overlay);
	}

	/**
	 * The first {@code count} slices of {@code imp} and their responses to each of
	 * {@code kernels} (3x3 or 5x5, row by row), as {@link #filterMontage} shows them; each kernel
	 * named by its name and its rows.
	 */
	public static ImagePlus fixedFilters(final ImagePlus imp, final int count,
		final Map<String, float[]> kernels)
	{
		final int n = Math.min(count, imp.getStackSize());
		final List<FloatProcessor> originals = new ArrayList<>();
		final List<float[][]> responses = new ArrayList<>();
		final List<String> names = new ArrayList<>();
		for (final Map.Entry<String, float[]> kernel : kernels.entrySet()) {
			responses.add(new float[n][]);
			names.add(kernel.getKey() + "\n" + String.join("\n", FixedFilters.format(kernel
				.getValue()).split(" / ")));
		}
		for (int s = 1; s <= n; s++) {
			final FloatProcessor fp = imp.getStack().getProcessor(s).convertToFloatProcessor();
			originals.add(fp);
			int k = 0;
			for (final float[] kernel : kernels.values())
				responses.get(k++)[s - 1] = FixedFilters.correlate((float[]) fp.getPixels(), fp
					.getWidth(), fp.getHeight(), kernel);
		}
		return filterMontage(originals, responses, names);
	}
}
