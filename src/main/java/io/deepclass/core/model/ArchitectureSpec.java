package io.deepclass.core.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.deepclass.core.DeepClassException;

/**
 * Names a network architecture: one of the reference ladder ({@code linear}, {@code mlp100},
 * {@code mlp512}, {@code onecnn}, {@code multicnn}, {@code lenet}, {@code bncnn}) or a
 * configurable one:
 * <ul>
 * <li>{@code mlp:256-128} - ReLU hidden layers of the given sizes; option {@code dropout=0.2};</li>
 * <li>{@code cnn:32-64-128} - one block per number: 3x3 convolution with that many filters,
 * BatchNorm, ReLU, 2x2 max-pool; then a dense layer; options {@code dense=128},
 * {@code dropout=0.4}, {@code kernel=3}, {@code bn=true}.</li>
 * </ul>
 * Options follow the sizes after commas: {@code cnn:32-64,dense=256,dropout=0.5}. The text form
 * is what model files and macros store.
 */
public record ArchitectureSpec(String family, List<Integer> sizes, Map<String, String> options) {

	/** The reference architectures, as the PyTorch peer defines them. */
	public static final List<String> REFERENCE = List.of("linear", "mlp100", "mlp512", "onecnn",
		"multicnn", "lenet", "bncnn");

	/** Families that take sizes and options. */
	public static final List<String> CONFIGURABLE = List.of("mlp", "cnn");

	private static final Map<String, List<String>> OPTIONS = Map.of("mlp", List.of("dropout"),
		"cnn", List.of("dense", "dropout", "kernel", "bn"));

	public ArchitectureSpec {
		sizes = List.copyOf(sizes);
		options = Map.copyOf(options);
	}

	/** Parses the text form; throws a {@link DeepClassException} naming the valid forms. */
	public static ArchitectureSpec parse(final String text) {
		final String trimmed = text == null ? "" : text.trim().toLowerCase();
		if (REFERENCE.contains(trimmed)) return new ArchitectureSpec(trimmed, List.of(), Map.of());
		final int colon = trimmed.indexOf(':');
		final String family = colon < 0 ? trimmed : trimmed.substring(0, colon);
		if (!CONFIGURABLE.contains(family) || colon < 0) throw unknown(text);
		final String[] parts = trimmed.substring(colon + 1).split(",");
		final List<Integer> sizes = new ArrayList<>();
		try {
			for (final String size : parts[0].split("-"))
				if (!size.isBlank()) sizes.add(Integer.parseInt(size.trim()));
		}
		catch (final NumberFormatException e) {
			throw unknown(text);
		}
		if (sizes.isEmpty() || sizes.stream().anyMatch(s -> s < 1)) throw unknown(text);
		final Map<String, String> options = new LinkedHashMap<>();
		for (int i = 1; i < parts.length; i++) {
			final String[] kv = parts[i].split("=", 2);
			final String key = kv[0].trim();
			if (kv.length != 2 || !OPTIONS.get(family).contains(key))
				throw new DeepClassException("architecture '" + text + "': unknown option '" + parts[i] +
					"'; " + family + " takes " + String.join(", ", OPTIONS.get(family)) + " (e.g. " +
					family + ":64-32," + OPTIONS.get(family).get(0) + "=...).");
			options.put(key, kv[1].trim());
		}
		return new ArchitectureSpec(family, sizes, options);
	}

	private static DeepClassException unknown(final String text) {
		return new DeepClassException("unknown architecture '" + text + "'. Choose one of " + String
			.join(", ", REFERENCE) + ", or a configurable mlp:<sizes> (e.g. mlp:256-128) or " +
			"cnn:<filters> (e.g. cnn:32-64-128,dense=256).");
	}

	public String option(final String key, final String fallback) {
		return options.getOrDefault(key, fallback);
	}

	/** The text form, parseable by {@link #parse}. */
	@Override
	public String toString() {
		if (sizes.isEmpty()) return family;
		final StringBuilder text = new StringBuilder(family).append(':');
		for (int i = 0; i < sizes.size(); i++)
			text.append(i == 0 ? "" : "-").append(sizes.get(i));
		options.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> text.append(',')
			.append(e.getKey()).append('=').append(e.getValue()));
		return text.toString();
	}
}
