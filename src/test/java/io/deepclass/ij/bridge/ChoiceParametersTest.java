package io.deepclass.ij.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandService;
import org.scijava.convert.ConvertService;
import org.scijava.module.ModuleItem;

/**
 * The commands' choices are enums; their words are the macro values users type and the recorder
 * writes, so they must stay those of the released String choices. Both ways in convert them:
 * SciJava's ConvertService (scripts, {@code CommandService}) by the word, and the macro bridge.
 */
class ChoiceParametersTest {

	/** Every choice parameter of the released commands, with its words in dialog order. */
	private static final Map<String, List<String>> RELEASED = new TreeMap<>(Map.ofEntries(
		Map.entry("Train Classifier/architecture", List.of("linear", "mlp100", "mlp512", "onecnn",
			"multicnn", "lenet", "bncnn", "custom", "pretrained")),
		Map.entry("Train Classifier/backbone", List.of("file", "resnet18", "mobilenetv2", "vgg16",
			"squeezenet")),
		Map.entry("Train Classifier/strategy", List.of("features", "fine-tune")),
		Map.entry("Classify Cells Interactively/model", List.of("pretrained features",
			"small network from scratch")),
		Map.entry("Classify Cells Interactively/backbone", List.of("file", "resnet18", "mobilenetv2",
			"vgg16", "squeezenet")),
		Map.entry("Train Classifier/batchnorm", List.of("update", "freeze")),
		Map.entry("Train Classifier/optimizer", List.of("sgd", "adam")),
		Map.entry("Train Classifier/normalization", List.of("percentile", "bit depth", "dataset",
			"none")),
		Map.entry("Train Classifier/class_weights", List.of("none", "balanced")),
		Map.entry("Train Classifier/z_projection", List.of("none", "max")),
		Map.entry("Train Classifier/lr_schedule", List.of("constant", "step", "plateau", "cosine")),
		Map.entry("Train Classifier/on_failure", List.of("stop", "warn")),
		Map.entry("Classify Images/input", List.of("slice", "stack", "folder", "list", "rois",
			"rois in folder")),
		Map.entry("Classify Images/saliency", List.of("none", "occlusion", "gradient x input")),
		Map.entry("Import Dataset/source", List.of("folder", "idx", "stack", "rois",
			"rois in folder")),
		Map.entry("Import Dataset/roi_class", List.of("name", "group")),
		Map.entry("Import Dataset/channels", List.of("keep", "gray", "rgb")),
		Map.entry("Import Dataset/z_projection", List.of("none", "max")),
		Map.entry("Visualize Filters/view", List.of("kernels", "feature maps", "fixed filters",
			"saliency")),
		Map.entry("Visualize Filters/kernel", List.of("vertical and horizontal edges",
			"vertical edge", "horizontal edge", "custom")),
		Map.entry("Visualize Filters/method", List.of("occlusion", "gradient x input", "both")),
		Map.entry("Export Model/format", List.of("onnx", "bioimage.io"))));

	@Test
	void choicesAreEnumsListedAndConvertedByTheirReleasedWords() {
		final Map<String, List<String>> found = new TreeMap<>();
		try (Context context = new Context(CommandService.class, ConvertService.class)) {
			final ConvertService convert = context.service(ConvertService.class);
			for (final CommandInfo info : context.service(CommandService.class).getCommands()) {
				if (info.get(DeepClassPlugIn.MENU_KEY) == null) continue;
				for (final ModuleItem<?> item : info.inputs()) {
					final List<?> choices = item.getChoices();
					// a table's title is a name handed on, not a choice a command compares
					if (choices == null || choices.isEmpty() || item.getName().equals("table")) continue;
					assertTrue(item.getType().isEnum(), info.getLabel() + "/" + item.getName() +
						" compares strings; make it an enum");
					found.put(info.getLabel() + "/" + item.getName(), choices.stream().map(Object::toString)
						.toList());
					for (final Object choice : choices)
						assertSame(choice, convert.convert(choice.toString(), item.getType()), item.getName() +
							"=" + choice);
				}
			}
		}
		assertEquals(RELEASED, found);
	}
}
