package io.deepclass.ij;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;

import io.deepclass.core.data.Dataset;
import io.deepclass.core.data.ImageShape;
import io.deepclass.core.data.ImportResult;
import io.deepclass.core.data.LabelledImagesReader;
import io.deepclass.core.data.LabelledImagesReader.LabelledImage;

/**
 * A dataset as an ImageJ stack, the ImageJ way to hold a labelled image set: one slice per image,
 * slice label {@code class/source}, and the class list in the image property
 * {@value #CLASSES_PROPERTY} (a JSON array) so that class order survives. Gray images become
 * 32-bit slices (values as imported), RGB images RGB slices.
 */
public final class DatasetStacks {

	/** Image property holding the class names, in label order, as a JSON array. */
	public static final String CLASSES_PROPERTY = "DeepClass.classes";

	/** Image property holding each slice's bit depth as imported, as a JSON array. */
	public static final String BIT_DEPTHS_PROPERTY = "DeepClass.bitDepths";

	private static final Gson GSON = new Gson();

	private DatasetStacks() {}

	/** A stack showing {@code dataset}; images with unknown class (-1) get the label "?/source". */
	public static ImagePlus toImagePlus(final Dataset dataset, final String title) {
		final ImageShape shape = dataset.shape();
		final ImageStack stack = new ImageStack(shape.width(), shape.height());
		for (int i = 0; i < dataset.size(); i++) {
			final int label = dataset.label(i);
			stack.addSlice((label < 0 ? "?" : dataset.classNames().get(label)) + "/" + dataset.source(
				i), processor(dataset.image(i), shape));
		}
		final ImagePlus imp = new ImagePlus(title, stack);
		imp.setProp(CLASSES_PROPERTY, GSON.toJson(dataset.classNames()));
		final int[] depths = new int[dataset.size()];
		for (int i = 0; i < depths.length; i++)
			depths[i] = dataset.bitDepth(i);
		imp.setProp(BIT_DEPTHS_PROPERTY, GSON.toJson(depths));
		if (shape.channels() == 1) imp.resetDisplayRange();
		return imp;
	}

	/** The ImageJ processor for channel-planar pixels of one image. */
	public static ImageProcessor processor(final float[] pixels, final ImageShape shape) {
		final int w = shape.width(), h = shape.height(), plane = w * h;
		if (shape.channels() == 1) return new FloatProcessor(w, h, Arrays.copyOf(pixels, plane));
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
		final List<String> known = classes(imp);
		final ImageStack stack = imp.getStack();
		final List<LabelledImage> items = new ArrayList<>();
		final List<String> labels = new ArrayList<>();
		final int[] storedDepths = bitDepths(imp);
		for (int s = 1; s <= stack.getSize(); s++) {
			final String label = stack.getSliceLabel(s);
			final String source = imp.getTitle() + ":" + s + (label == null ? "" : " " + label);
			var decoded = IjImageDecoder.ImagePlusConverter.decoded(stack.getProcessor(s));
			if (storedDepths != null) decoded = new io.deepclass.core.data.DecodedImage(decoded.width(),
				decoded.height(), decoded.channels(), decoded.pixels(), storedDepths[s - 1]);
			items.add(new LabelledImage(decoded, label, source));
			labels.add(label);
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
			return depths != null && depths.length == imp.getStackSize() ? depths : null;
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
		io.deepclass.core.data.DatasetChecks.checkTrainable(order, counts, what);
		return new ImportResult(ordered, new io.deepclass.core.data.ImportReport(order, counts, read
			.report().skipped(), io.deepclass.core.data.DatasetChecks.warnings(ordered)));
	}
}
