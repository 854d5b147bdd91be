package io.deepclass.command;

import static io.deepclass.ij.bridge.DialogGroups.DOCS;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Attr;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ij.ImagePlus;
import ij.gui.Roi;

import io.deepclass.command.Choices.SaliencyMethod;
import io.deepclass.core.DeepClassException;
import io.deepclass.core.bundle.ModelBundle;
import io.deepclass.core.bundle.ModelInfo;
import io.deepclass.core.data.Dataset;
import io.deepclass.core.inspect.ConvKernels;
import io.deepclass.core.inspect.NetworkInspector;
import io.deepclass.ij.bridge.DeepClassPlugIn;
import io.deepclass.ij.display.FilterImages;
import io.deepclass.ij.input.DatasetStacks;
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
@Plugin(type = Command.class, headless = true, label = "Visualize Filters", attrs = {@Attr(name =
	DeepClassPlugIn.MENU_KEY, value = "filters"), @Attr(name = DOCS, value = "looking-inside.md")})
public class VisualizeFiltersCommand extends VisualizeFiltersParameters implements Command {

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
				// one kernel per window: large; all of them in the montage: as large as fits
				kernels = FilterImages.kernelStack(k, FilterImages.zoomFor(Math.max(k.width(), k
					.height()), 96));
				kernelMontage = FilterImages.kernelMontage(k);
			}
			case FEATURE_MAPS -> {
				final ModelBundle model = model();
				final NetworkInspector inspector = new NetworkInspector(model);
				final float[] input = oneImage(model);
				final var maps = inspector.featureMaps(input, layer);
				featureMaps = FilterImages.featureStack(maps, FilterImages.zoomFor(Math.max(maps.width(),
					maps.height()), 112));
				featureMontage = FilterImages.featureMontage(inspector.allFeatureMaps(input), 42);
			}
			case FIXED_FILTERS -> filtered = FilterImages.fixedFilters(requireImage(), count, kernel
				.filters(custom_kernel));
			case SALIENCY -> saliency();
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
		final ModelInfo info = model.info();
		final Dataset one = (roi != null && roi.isArea() ? ImageInputs.roiPatches(imp, new Roi[] {
			roi }, info.classNames(), 0, info.inputShape(), DatasetStacks.optionsFor(imp, ImageSamples
				.Options.of(info))) : ImageInputs.slicesForModel(imp, false, info, true).result())
					.dataset();
		return one.image(0);
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
		final String suffix = " for " + model.info().classNames().get(target) + " (" + Math.round(100 *
			p[target]) + "%)";
		final int w = model.info().inputShape().width(), h = model.info().inputShape().height();
		float[] shown = null;
		if (method != SaliencyMethod.GRADIENT_X_INPUT) {
			shown = inspector.occlusion(input, target, patch_size, 0);
			occlusionMap = FilterImages.saliencyImage("DeepClass Occlusion" + suffix, shown, w, h);
		}
		if (method != SaliencyMethod.OCCLUSION) {
			final float[] map = inspector.gradientTimesInput(input, target);
			gradientMap = FilterImages.saliencyImage("DeepClass Gradient x Input" + suffix, map, w, h);
			if (shown == null) shown = map;
		}
		final Roi roi = imp.getRoi();
		FilterImages.addHeatMap(imp, shown, model.info().inputShape(), roi != null && roi.isArea()
			? roi : null, 0, imp.getStackSize() > 1 ? imp.getCurrentSlice() : 0, opacity / 100.0);
	}
}
