package io.deepclass.command;

import org.scijava.command.Command;

/**
 * The DeepClass menu: key (the argument plugins.config passes to the ImageJ bridge), menu label
 * (what macros pass to {@code run()}), and the command that runs.
 */
public enum MenuEntry {
	IMPORT("import", "Import Dataset", ImportDatasetCommand.class),
	TRAIN("train", "Train Classifier", TrainClassifierCommand.class),
	CLASSIFY("classify", "Classify Images", ClassifyImagesCommand.class),
	EVALUATE("evaluate", "Evaluate Classifier", EvaluateClassifierCommand.class),
	VISUALIZE("filters", "Visualize Filters", VisualizeFiltersCommand.class),
	EXPORT("export", "Export Model", ExportModelCommand.class),
	TABLE("table", "Get DeepClass Table", GetTableCommand.class),
	SYSTEM_CHECK("check", "DeepClass System Check", SystemCheckCommand.class);

	public final String key;

	public final String label;

	public final Class<? extends Command> command;

	MenuEntry(final String key, final String label, final Class<? extends Command> command) {
		this.key = key;
		this.label = label;
		this.command = command;
	}

	public static MenuEntry byKey(final String key) {
		for (final MenuEntry e : values())
			if (e.key.equals(key)) return e;
		return null;
	}
}
