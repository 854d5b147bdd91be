package io.deepclass.ij.input;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;

import ij.CompositeImage;
import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;

import io.deepclass.core.DeepClassException;
import io.deepclass.core.data.Dataset;
import io.deepclass.core.data.DatasetChecks;
import io.deepclass.core.data.DatasetException;
import io.deepclass.core.data.DecodedImage;
import io.deepclass.core.data.ImageShape;
import io.deepclass.core.data.ImportReport;
import io.deepclass.core.data.ImportResult;
import io.deepclass.core.data.LabelledImagesReader.LabelledImage;
import io.deepclass.core.data.LabelledImagesReader;

/**
 * A dataset as an ImageJ stack, the ImageJ way to hold a labelled image set: one slice per image,
 * slice label {@code class/source}, and the class list in the image property
 * {@value #CLASSES_PROPERTY} (a JSON array) so that class order survives. Gray images become
 * 32-bit slices (values as imported), RGB images RGB slices.
 */
public final class DatasetStacks {

	/** Image property holding the class names, in label order, as a JSON array. */
	public static final String CLASSES_PROPERTY = "DeepClass.classes";

	/** Image property holding how Import Dataset made the samples: channels and Z projection. */
	public static final String SELECTION_PROPERTY = "DeepClass.inputSelection";

	/** Records on a dataset stack how its samples were made from the source images. */
	public static void setSelection(final ImagePlus imp, final ImageSamples.Options options) {
		imp.setProp(SELECTION_PROPERTY, GSON.toJson(options));
	}

	/** How a dataset stack's samples were made, or null when it does not say. */
	public static ImageSamples.Options selection(final ImagePlus imp) {
		final String json = imp.getProp(SELECTION_PROPERTY);
		if (json == null || json.isBlank()) return null;
		try {
			return GSON.fromJson(json, ImageSamples.Options.class);
		}
		catch (final JsonParseException e) {
			return null;
		}
	}

	/** Image property holding each slice's bit depth as imported, as a JSON array. */
	public static final String BIT_DEPTHS_PROPERTY = "DeepClass.bitDepths";

	private static final Gson GSON = new Gson();

	private DatasetStacks() {}

	/** A stack showing {@code dataset}; images with unknown class (-1) get the label "?/source". */
	public static ImagePlus toImagePlus(final Dataset dataset, final String title) {
		final ImageShape shape = dataset.shape();
		final ImageStack stack = new ImageStack(shape.width(), shape.height());
		final boolean channelPlanes = shape.channels() > 1 && !isRgb(dataset);
		final int plane = shape.width() * shape.height();
		for (int i = 0; i < dataset.size(); i++) {
			final int label = dataset.label(i);
			final String sliceLabel = (label < 0 ? "?" : dataset.classNames().get(label)) + "/" +
				dataset.source(i);
			final float[] pixels = dataset.image(i);
			if (!channelPlanes) stack.addSlice(sliceLabel, processor(pixels, shape));
			else for (int c = 0; c < shape.channels(); c++)
				stack.addSlice(sliceLabel, new FloatProcessor(shape.width(), shape.height(), Arrays
					.copyOfRange(pixels, c * plane, (c + 1) * plane)));
		}
		ImagePlus imp = new ImagePlus(title, stack);
		if (channelPlanes) {
			// one sample per time point, all its channels: a composite hyperstack
			imp.setDimensions(shape.channels(), 1, dataset.size());
			imp.setOpenAsHyperStack(true);
			final CompositeImage composite = new CompositeImage(imp, CompositeImage.COMPOSITE);
			for (int c = 1; c <= shape.channels(); c++) {
				composite.setC(c);
				composite.resetDisplayRange();
			}
			composite.setC(1);
			imp = composite;
		}
		imp.setProp(CLASSES_PROPERTY, GSON.toJson(dataset.classNames()));
		final int[] depths = new int[dataset.size()];
		for (int i = 0; i < depths.length; i++)
			depths[i] = dataset.bitDepth(i);
		imp.setProp(BIT_DEPTHS_PROPERTY, GSON.toJson(depths));
		if (shape.channels() == 1) imp.resetDisplayRange();
		return imp;
	}

	/** ImageJ's composite colours for channels 1, 2, 3...: red, green, blue, gray, cyan, magenta, yellow. */
	private static final int[][] CHANNEL_COLOURS = { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 }, { 1, 1,
		1 }, { 0, 1, 1 }, { 1, 0, 1 }, { 1, 1, 0 } };

	/**
	 * How one image of {@code dataset} looks: gray and RGB as ImageJ shows them (gray
	 * auto-contrasted), other channel counts merged in ImageJ's composite colours, each channel
	 * auto-contrasted (16-bit fluorescence would otherwise be a white square).
	 */
	public static ImageProcessor display(final Dataset dataset, final int index) {
		final ImageShape shape = dataset.shape();
		final float[] pixels = dataset.image(index);
		if (shape.channels() == 1 || shape.channels() == 3 && isRgb(dataset)) {
			final ImageProcessor ip = processor(pixels, shape);
			ip.resetMinAndMax();
			return ip.convertToRGB();
		}
		final int w = shape.width(), h = shape.height(), plane = w * h;
		final float[] rgb = new float[3 * plane];
		for (int c = 0; c < shape.channels(); c++) {
			float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
			for (int i = c * plane; i < (c + 1) * plane; i++) {
				min = Math.min(min, pixels[i]);
				max = Math.max(max, pixels[i]);
			}
			final float scale = max > min ? 255f / (max - min) : 0;
			final int[] colour = CHANNEL_COLOURS[c % CHANNEL_COLOURS.length];
			for (int i = 0; i < plane; i++) {
				final float v = (pixels[c * plane + i] - min) * scale;
				for (int k = 0; k < 3; k++)
					rgb[k * plane + i] += colour[k] * v;
			}
		}
		return processor(rgb, new ImageShape(3, h, w));
	}

	/** RGB: three channels, each image imported from RGB (or of unknown depth). */
	private static boolean isRgb(final Dataset dataset) {
		if (dataset.shape().channels() != 3) return false;
		for (int i = 0; i < dataset.size(); i++)
			if (dataset.bitDepth(i) != 24 && dataset.bitDepth(i) != 0) return false;
		return true;
	}

	/** The ImageJ processor for channel-planar pixels of one image. */
	public static ImageProcessor processor(final float[] pixels, final ImageShape shape) {
		final int w = shape.width(), h = shape.height(), plane = w * h;
		if (shape.channels() != 3) return new FloatProcessor(w, h, Arrays.copyOf(pixels, plane));
		final int[] rgb = new int[plane];
		for (int i = 0; i < plane; i++)
			rgb[i] = clamp(pixels[i]) << 16 | clamp(pixels[plane + i]) << 8 | clamp(pixels[2 * plane +
				i]);
		return new ColorProcessor(w, h, rgb);
	}

	private static int clamp(final float v) {
		return Math.max(0, Math.min(255, Math.round(v)));
	}

	/**
	 * Reads a labelled stack. A stack made by DeepClass knows its classes (slice labels start
	 * with a class name and '/'); any other stack takes the class from each slice label with
	 * {@code classPattern} (see {@link LabelledImagesReader}).
	 *
	 * @param target shape to convert to, or null to keep the stack's
	 */
	public static ImportResult toDataset(final ImagePlus imp, final String classPattern,
		final ImageShape target)
	{
		return toDataset(imp, classPattern, target, ImageSamples.Options.ALL);
	}

	/**
	 * As above, with a hyperstack's samples made as {@code options} says: one per (Z, T)
	 * position with the chosen channels, the class from the slice label of its first channel.
	 */
	public static ImportResult toDataset(final ImagePlus imp, final String classPattern,
		final ImageShape target, final ImageSamples.Options options)
	{
		final List<String> known = classes(imp);
		final List<LabelledImage> items = new ArrayList<>();
		final List<String> labels = new ArrayList<>();
		final int[] storedDepths = bitDepths(imp);
		final List<ImageSamples.Sample> samples = ImageSamples.of(imp, options, false);
		for (int i = 0; i < samples.size(); i++) {
			final ImageSamples.Sample sample = samples.get(i);
			var decoded = sample.image();
			if (storedDepths != null && storedDepths.length == samples.size()) decoded =
				new DecodedImage(decoded.width(), decoded.height(), decoded
					.channels(), decoded.pixels(), storedDepths[i]);
			items.add(new LabelledImage(decoded, sample.label(), sample.source() + (sample.label() == null
				? "" : " " + sample.label())));
			labels.add(sample.label());
		}
		final String what = "stack '" + imp.getTitle() + "'";
		if (known == null) return LabelledImagesReader.read(items, classPattern, target, what);
		// keep the stored class order: relabel each slice "class" exactly, then read in that order
		final List<LabelledImage> relabelled = new ArrayList<>();
		for (int i = 0; i < items.size(); i++)
			relabelled.add(new LabelledImage(items.get(i).image(), knownClass(known, labels.get(i)),
				items.get(i).source()));
		final ImportResult read = LabelledImagesReader.read(relabelled, "^(.+)$", target, what);
		return reorder(read, known, what);
	}

	/**
	 * How samples are made from {@code image}: a DeepClass dataset stack already holds them (its
	 * channels were chosen on import), any other image as {@code options} says.
	 */
	public static ImageSamples.Options optionsFor(final ImagePlus image,
		final ImageSamples.Options options)
	{
		return image != null && classes(image) != null ? ImageSamples.Options.ALL : options;
	}

	/** The class list stored by {@link #toImagePlus}, or null for other stacks. */
	public static List<String> classes(final ImagePlus imp) {
		final String json = imp.getProp(CLASSES_PROPERTY);
		if (json == null || json.isBlank()) return null;
		try {
			final String[] names = GSON.fromJson(json, String[].class);
			return names == null ? null : List.of(names);
		}
		catch (final JsonParseException e) {
			return null;
		}
	}

	/** The bit depths stored by {@link #toImagePlus}, or null (other stacks, slices added). */
	private static int[] bitDepths(final ImagePlus imp) {
		final String json = imp.getProp(BIT_DEPTHS_PROPERTY);
		if (json == null || json.isBlank()) return null;
		try {
			final int[] depths = GSON.fromJson(json, int[].class);
			return depths;
		}
		catch (final JsonParseException e) {
			return null;
		}
	}

	private static String knownClass(final List<String> known, final String label) {
		if (label == null) return null;
		String best = null;
		for (final String name : known)
			if (label.startsWith(name + "/") && (best == null || name.length() > best.length()))
				best = name;
		return best;
	}

	/** The same images with class indices in {@code order} (classes read in appearance order). */
	private static ImportResult reorder(final ImportResult read, final List<String> order,
		final String what)
	{
		final Dataset d = read.dataset();
		final int[] labels = new int[d.size()];
		final String[] sources = new String[d.size()];
		final int[] depths = new int[d.size()];
		for (int i = 0; i < d.size(); i++) {
			labels[i] = order.indexOf(d.classNames().get(d.label(i)));
			sources[i] = d.source(i);
			depths[i] = d.bitDepth(i);
		}
		final Dataset ordered = new Dataset(d.shape(), order, d.images(), labels, sources, depths);
		final int[] counts = ordered.classCounts();
		DatasetChecks.checkTrainable(order, counts, what);
		return new ImportResult(ordered, new ImportReport(order, counts, read
			.report().skipped(), DatasetChecks.warnings(ordered)));
	}

	/**
	 * A DeepClass dataset stack whose every slice has a known class, as a dataset of images of
	 * {@code shape} (resized to it when {@code resize}) with that truth, so that a classification
	 * can show its confusion matrix. Null for any other stack.
	 *
	 * @throws DeepClassException when its images are not of {@code shape} and not resized
	 */
	public static ImportResult withTruth(final ImagePlus imp, final ImageShape shape,
		final boolean resize)
	{
		if (classes(imp) == null) return null;
		final ImportResult r;
		try {
			r = toDataset(imp, "^(.+)$", resize ? shape : null);
		}
		catch (final DatasetException e) {
			return null; // not every slice labelled: classified as unlabelled images
		}
		if (!r.report().skipped().isEmpty()) return null;
		if (!r.dataset().shape().equals(shape))
			throw new DeepClassException("the model expects " + shape + " images but '" + imp
				.getTitle() + "' holds " + r.dataset().shape() + " images; tick 'resize' or choose a " +
				"matching model.");
		return r;
	}
}
