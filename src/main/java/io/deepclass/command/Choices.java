package io.deepclass.command;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import io.deepclass.core.DeepClassException;
import io.deepclass.core.inspect.FixedFilters;
import io.deepclass.core.model.ArchitectureSpec;

/**
 * The commands' choices that are not core concepts (those are core enums: {@code Optimizer},
 * {@code LearningRateSchedule.Kind}, {@code Normalization.Method},
 * {@code TransferTraining.Strategy}). SciJava lists an enum parameter's constants as its choices
 * and converts the text a script passes by name or by {@code toString()}; the ImageJ 1.x bridge
 * shows and records the {@code toString()}: each constant's lower-case word, the macro value
 * ({@code architecture=bncnn}, {@code saliency=[gradient x input]}).
 */
public final class Choices {

	private Choices() {}

	/** The macro word of a constant: its name in lower case, underscores as spaces. */
	static String word(final Enum<?> constant) {
		return constant.name().toLowerCase(Locale.ROOT).replace('_', ' ');
	}

	/** Train Classifier's network: a reference architecture, a custom one, or a pretrained one. */
	public enum Architecture {
		LINEAR, MLP100, MLP512, ONECNN, MULTICNN, LENET, BNCNN, CUSTOM, PRETRAINED;

		/** The network to build; a pretrained backbone's head is linear. */
		ArchitectureSpec spec(final String custom) {
			return ArchitectureSpec.parse(this == PRETRAINED ? "linear" : this == CUSTOM ? custom
				: toString());
		}

		@Override
		public String toString() {
			return word(this);
		}
	}

	/** A backbone of the ONNX Model Zoo, or a file. */
	public enum Backbone {
		FILE, RESNET18, MOBILENETV2, VGG16, SQUEEZENET;

		@Override
		public String toString() {
			return word(this);
		}
	}

	/** Fine-tuning: the backbone's BatchNorm statistics updated or kept. */
	public enum BatchNorm {
		UPDATE, FREEZE;

		@Override
		public String toString() {
			return word(this);
		}
	}

	/** Whether the loss weighs classes by their size. */
	public enum ClassWeights {
		NONE, BALANCED;

		@Override
		public String toString() {
			return word(this);
		}
	}

	/** What Train Classifier does with a model that learned nothing. */
	public enum OnFailure {
		STOP, WARN;

		@Override
		public String toString() {
			return word(this);
		}
	}

	/** A hyperstack's Z planes as they are, or max-projected. */
	public enum ZProjection {
		NONE, MAX;

		@Override
		public String toString() {
			return word(this);
		}
	}

	/** What Classify Images classifies. */
	public enum Input {
		SLICE, STACK, FOLDER, LIST, ROIS,
		/** Every image of a folder with its ROI set beside it (cells1.tif + cells1.zip). */
		ROIS_IN_FOLDER;

		@Override
		public String toString() {
			return word(this);
		}
	}

	/** Classify Images' heat map of where the network looks. */
	public enum Saliency {
		NONE, OCCLUSION, GRADIENT_X_INPUT;

		@Override
		public String toString() {
			return word(this);
		}
	}

	/** Where Import Dataset takes labelled images from. */
	public enum Source {
		FOLDER, IDX, STACK, ROIS,
		/** The labelled ROIs of every image of a folder with its ROI set (cells1.tif + cells1.zip). */
		ROIS_IN_FOLDER;

		@Override
		public String toString() {
			return word(this);
		}
	}

	/** Where a ROI's class is written. */
	public enum RoiClass {
		NAME, GROUP;

		@Override
		public String toString() {
			return word(this);
		}
	}

	/** The channels images are converted to (with a width and height). */
	public enum Channels {
		KEEP, GRAY, RGB;

		@Override
		public String toString() {
			return word(this);
		}
	}

	/** What Visualize Filters shows. */
	public enum View {
		KERNELS, FEATURE_MAPS, FIXED_FILTERS, SALIENCY;

		@Override
		public String toString() {
			return word(this);
		}
	}

	/** Visualize Filters' fixed kernels. */
	public enum Kernel {
		VERTICAL_AND_HORIZONTAL_EDGES, VERTICAL_EDGE, HORIZONTAL_EDGE, CUSTOM;

		/** The kernels this choice stands for, by name; {@code custom}: the custom one's numbers. */
		public Map<String, float[]> filters(final String custom) {
			final Map<String, float[]> chosen = new LinkedHashMap<>();
			if (this == VERTICAL_EDGE || this == VERTICAL_AND_HORIZONTAL_EDGES) chosen.put(
				"vertical edge", FixedFilters.VERTICAL_EDGE);
			if (this == HORIZONTAL_EDGE || this == VERTICAL_AND_HORIZONTAL_EDGES) chosen.put(
				"horizontal edge", FixedFilters.HORIZONTAL_EDGE);
			if (this == CUSTOM) {
				if (custom == null || custom.isBlank())
					throw new DeepClassException("kernel=custom needs custom_kernel=[9 or 25 numbers, " +
						"row by row].");
				chosen.put("custom", FixedFilters.parse(custom));
			}
			return chosen;
		}

		@Override
		public String toString() {
			return word(this);
		}
	}

	/** Visualize Filters' saliency methods. */
	public enum SaliencyMethod {
		OCCLUSION, GRADIENT_X_INPUT, BOTH;

		@Override
		public String toString() {
			return word(this);
		}
	}

	/** Export Model's file formats. */
	public enum Format {
		ONNX, BIOIMAGE_IO;

		@Override
		public String toString() {
			return this == ONNX ? "onnx" : "bioimage.io";
		}
	}

	/** Classify Cells Interactively's model: a backbone's features, or a small network. */
	public enum CellModel {
		PRETRAINED_FEATURES, SMALL_NETWORK_FROM_SCRATCH;

		@Override
		public String toString() {
			return word(this);
		}
	}
}
