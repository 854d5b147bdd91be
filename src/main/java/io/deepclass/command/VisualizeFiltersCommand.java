package io.deepclass.command;

import java.awt.Rectangle;
import java.io.File;
import java.util.ArrayList;
import java.util.List;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Attr;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ij.ImagePlus;
import ij.gui.Overlay;
import ij.gui.Roi;
import ij.process.FloatProcessor;

import io.deepclass.core.DeepClassException;
import io.deepclass.core.bundle.ModelBundle;
import io.deepclass.core.data.Dataset;
import io.deepclass.core.inspect.ConvKernels;
import io.deepclass.core.inspect.FixedFilters;
import io.deepclass.core.inspect.NetworkInspector;
import io.deepclass.ij.bridge.DeepClassPlugIn;
import io.deepclass.ij.display.FilterImages;
import io.deepclass.ij.input.ImageInputs;
import io.deepclass.ij.input.ImageSamples;

/**
 * Plugins > DeepClass > Visualize Filters: what a network learned and where it looks.
 * <ul>
 * <li>kernels: every kernel of convolution layer {@code layer}, as a labelled 32-bit stack and
 * a montage (blue negative, white 0, red positive);</li>
 * <li>feature maps: what layer {@code layer} outputs for the current slice (or the selection on
 * it), one slice per channel, and a montage of every convolution layer's maps;</li>
 * <li>fixed filters: the tutorial's edge kernels (or a typed one) applied to the first
 * {@code count} slices of the image, images and responses side by side;</li>
 * <li>saliency: occlusion sensitivity and/or gradient x input for the predicted class, as a
 * translucent heat map over the image and as 32-bit maps.</li>
 * </ul>
 * Macro: {@code run("Visualize Filters", "model_file=/data/model.zip view=kernels layer=1");}
 */
@Plugin(type = Command.class, headless = true, label = "Visualize Filters", attrs = @Attr(name =
	DeepClassPlugIn.MENU_KEY, value = "filters"))
public class VisualizeFiltersCommand implements Command {

	static final String KERNELS = "kernels", FEATURES = "feature maps", FIXED = "fixed filters",
			SALIENCY = "saliency";

	@Parameter(label = "view", choices = { KERNELS, FEATURES, FIXED, SALIENCY })
	private String view = KERNELS;

	@Parameter(label = "model_file", style = "open", required = false,
		description = "not needed for fixed filters")
	private File model_file;

	@Parameter(label = "image", required = false)
	private ImagePlus image;

	@Parameter(label = "layer", min = "1", description = "convolution layer, from 1")
	private int layer = 1;

	@Parameter(label = "kernel", choices = { "vertical and horizontal edges", "vertical edge",
		"horizontal edge", "custom" })
	private String kernel = "vertical and horizontal edges";

	@Parameter(label = "custom_kernel", required = false,
		description = "9 or 25 numbers, row by row, e.g. 1 0 -1 2 0 -2 1 0 -1")
	private String custom_kernel = "";

	@Parameter(label = "count", min = "1", description = "fixed filters: first slices to show")
	private int count = 8;

	@Parameter(label = "method", choices = { "occlusion", "gradient x input", "both" })
	private String method = "occlusion";

	@Parameter(label = "patch_size", min = "0", description = "occlusion square; 0 = automatic")
	private int patch_size = 0;

	@Parameter(label = "opacity", min = "0", max = "100", description = "heat map opacity, %")
	private int opacity = 50;

	@Parameter(type = ItemIO.OUTPUT, label = "kernels")
	private ImagePlus kernels;

	@Parameter(type = ItemIO.OUTPUT, label = "kernel montage")
	private ImagePlus kernelMontage;

	@Parameter(type = ItemIO.OUTPUT, label = "feature maps")
	private ImagePlus featureMaps;

	@Parameter(type = ItemIO.OUTPUT, label = "feature map montage")
	private ImagePlus featureMontage;

	@Parameter(type = ItemIO.OUTPUT, label = "fixed filters")
	private ImagePlus filtered;

	@Parameter(type = ItemIO.OUTPUT, label = "occlusion map")
	private ImagePlus occlusionMap;

	@Parameter(type = ItemIO.OUTPUT, label = "gradient map")
	private ImagePlus gradientMap;

	@Override
	public void run() {
		switch (view) {
			case KERNELS -> {
				final ConvKernels k = new NetworkInspector(model()).kernels(layer);
				// one kernel per window: large; all of them in the montage: small tiles
				final int size = Math.max(k.width(), k.height());
				kernels = FilterImages.kernelStack(k, FilterImages.zoomFor(size, 96));
				kernelMontage = FilterImages.kernelMontage(k, FilterImages.zoomFor(size, 24));
			}
			case FEATURES -> {
				final ModelBundle model = model();
				final NetworkInspector inspector = new NetworkInspector(model);
				final float[] input = oneImage(model);
				final var maps = inspector.featureMaps(input, layer);
				featureMaps = FilterImages.featureStack(maps, FilterImages.zoomFor(Math.max(maps.width(),
					maps.height()), 112));
				featureMontage = FilterImages.featureMontage(inspector.allFeatureMaps(input), 42);
			}
			case FIXED -> filtered = fixedFilters();
			case SALIENCY -> saliency();
			default -> throw new DeepClassException("unknown view '" + view + "': choose kernels, " +
				"feature maps, fixed filters or saliency.");
		}
	}

	private ModelBundle model() {
		if (!CommandSupport.given(model_file))
			throw new DeepClassException("view=" + view + " needs model_file=<a model trained with " +
				"DeepClass>.");
		return CommandSupport.loadModel(model_file);
	}

	private ImagePlus requireImage() {
		if (image == null)
			throw new DeepClassException("view=" + view + " needs an open image; open one first.");
		return image;
	}

	/**
	 * The current slice of the image, or the area selected on it, as the model's input (resized
	 * and converted to the model's size and channels when needed).
	 */
	private float[] oneImage(final ModelBundle model) {
		final ImagePlus imp = requireImage();
		final Roi roi = imp.getRoi();
		final ImageSamples.Options options = CommandSupport.optionsFor(imp, CommandSupport
			.sampleOptions(model.info()));
		final Dataset one = (roi != null && roi.isArea() ? ImageInputs.roiPatches(imp, new Roi[] {
			roi }, model.info().classNames(), 0, model.info().inputShape(), options) : ImageInputs
				.slices(imp, false, model.info().classNames(), model.info().inputShape(), true, options))
					.dataset();
		return one.image(0);
	}

	private ImagePlus fixedFilters() {
		final ImagePlus imp = requireImage();
		final List<float[]> chosen = new ArrayList<>();
		final List<String> names = new ArrayList<>();
		switch (kernel) {
			case "vertical edge" -> add(chosen, names, "vertical edge", FixedFilters.VERTICAL_EDGE);
			case "horizontal edge" -> add(chosen, names, "horizontal edge", FixedFilters
				.HORIZONTAL_EDGE);
			case "custom" -> {
				if (custom_kernel == null || custom_kernel.isBlank())
					throw new DeepClassException("kernel=custom needs custom_kernel=[9 or 25 numbers, " +
						"row by row].");
				add(chosen, names, "custom", FixedFilters.parse(custom_kernel));
			}
			default -> {
				add(chosen, names, "vertical edge", FixedFilters.VERTICAL_EDGE);
				add(chosen, names, "horizontal edge", FixedFilters.HORIZONTAL_EDGE);
			}
		}
		final int n = Math.min(count, imp.getStackSize());
		final List<FloatProcessor> originals = new ArrayList<>();
		final List<float[][]> responses = new ArrayList<>();
		for (int k = 0; k < chosen.size(); k++)
			responses.add(new float[n][]);
		for (int s = 1; s <= n; s++) {
			final FloatProcessor fp = imp.getStack().getProcessor(s).convertToFloatProcessor();
			originals.add(fp);
			for (int k = 0; k < chosen.size(); k++)
				responses.get(k)[s - 1] = FixedFilters.correlate((float[]) fp.getPixels(), fp.getWidth(),
					fp.getHeight(), chosen.get(k));
		}
		return FilterImages.filterMontage(originals, responses, names);
	}

	private static void add(final List<float[]> kernels, final List<String> names,
		final String name, final float[] kernel)
	{
		kernels.add(kernel);
		final String[] rows = FixedFilters.format(kernel).split(" / ");
		names.add(name + "\n" + String.join("\n", rows));
	}

	private void saliency() {
		final ModelBundle model = model();
		final NetworkInspector inspector = new NetworkInspector(model);
		final ImagePlus imp = requireImage();
		final float[] input = oneImage(model);
		final float[] p = inspector.probabilities(input);
		int target = 0;
		for (int i = 1; i < p.length; i++)
			if (p[i] > p[target]) target = i;
		final String name = model.info().classNames().get(target);
		final int w = model.info().inputShape().width(), h = model.info().inputShape().height();
		final Roi roi = imp.getRoi();
		final Rectangle bounds = roi != null && roi.isArea() ? roi.getBounds()
			: new Rectangle(0, 0, imp.getWidth(), imp.getHeight());
		final int slice = imp.getStackSize() > 1 ? imp.getCurrentSlice() : 0;
		Overlay overlay = imp.getOverlay();
		if (overlay == null) overlay = new Overlay();
		final String suffix = " for " + name + " (" + Math.round(100 * p[target]) + "%)";
		float[] shown = null;
		if (!"gradient x input".equals(method)) {
			final float[] map = inspector.occlusion(input, target, patch_size, 0);
			occlusionMap = FilterImages.saliencyImage("DeepClass Occlusion" + suffix, map, w, h);
			shown = map;
		}
		if (!"occlusion".equals(method)) {
			final float[] map = inspector.gradientTimesInput(input, target);
			gradientMap = FilterImages.saliencyImage("DeepClass Gradient x Input" + suffix, map, w, h);
			if (shown == null) shown = map;
		}
		overlay.add(FilterImages.heatMap(shown, w, h, bounds, slice, opacity / 100.0));
		imp.setOverlay(overlay);
	}
}
