package io.deepclass.command;

import static io.deepclass.ij.bridge.DialogGroups.*;

import java.io.File;

import org.scijava.plugin.Attr;
import org.scijava.plugin.Parameter;

import ij.ImagePlus;

import io.deepclass.command.Choices.Kernel;
import io.deepclass.command.Choices.SaliencyMethod;
import io.deepclass.command.Choices.View;

/**
 * Visualize Filters' inputs, in the order of its dialog, its macro keys and the Macro
 * Recorder's line (SciJava lists a superclass's parameters first; {@link
 * VisualizeFiltersCommand} adds only its outputs).
 */
abstract class VisualizeFiltersParameters {

	/** The views that use a model, and those that look at an image. */
	static final String MODEL = "view=kernels|feature maps|saliency", IMAGE =
		"view=feature maps|fixed filters|saliency";

	@Parameter(label = "view")
	View view = View.KERNELS;

	@Parameter(label = "model_file", attrs = @Attr(name = SHOWN_WHEN, value = MODEL), style = "open",
		required = false, description = "not needed for fixed filters")
	File model_file;

	@Parameter(label = "image", attrs = @Attr(name = SHOWN_WHEN, value = IMAGE), required = false)
	ImagePlus image;

	@Parameter(label = "layer", attrs = @Attr(name = SHOWN_WHEN, value = "view=kernels|feature maps"),
		min = "1", description = "convolution layer, from 1")
	int layer = 1;

	@Parameter(label = "kernel", attrs = @Attr(name = SHOWN_WHEN, value = "view=fixed filters"))
	Kernel kernel = Kernel.VERTICAL_AND_HORIZONTAL_EDGES;

	@Parameter(label = "custom_kernel", attrs = @Attr(name = SHOWN_WHEN, value = "view=fixed filters"),
		required = false, description = "9 or 25 numbers, row by row, e.g. 1 0 -1 2 0 -2 1 0 -1")
	String custom_kernel = "";

	@Parameter(label = "count", attrs = @Attr(name = SHOWN_WHEN, value = "view=fixed filters"),
		min = "1", description = "fixed filters: first slices to show")
	int count = 8;

	@Parameter(label = "method", attrs = @Attr(name = SHOWN_WHEN, value = "view=saliency"))
	SaliencyMethod method = SaliencyMethod.OCCLUSION;

	@Parameter(label = "patch_size", attrs = @Attr(name = SHOWN_WHEN, value = "view=saliency"),
		min = "0", description = "occlusion square; 0 = automatic")
	int patch_size = 0;

	@Parameter(label = "opacity", attrs = @Attr(name = SHOWN_WHEN, value = "view=saliency"),
		min = "0", max = "100", description = "heat map opacity, %")
	int opacity = 50;
}
