package io.deepclass.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The one-line messages a user can meet, read from the source: every {@code new
 * DeepClassException(...)} (and its subclasses) and every {@code fail(...)} of the ImageJ bridge,
 * as a template (the string literals, with {@code …} where the code puts a file name, a number
 * or another message). Grouped by area, for docs/troubleshooting.md.
 */
final class ErrorMessages {

	/** The exceptions whose messages reach the user as "Command: message". */
	private static final Pattern THROW = Pattern.compile(
		"new (?:DeepClassException|DatasetException|ModelFormatException|IncompatibleModelException|" +
			"TrainingDivergedException|OnnxException\\.Unsupported|OnnxException\\.Invalid)\\(|" +
			"\\bfail\\((?:\"DeepClass\"|runner\\.title\\(\\)|title), ");

	/** The bridge's own lines for errors that are not DeepClass's messages (memory, bugs). */
	private static final Pattern BRIDGE_LINE = Pattern.compile(
		"\\breturn (?=\"(?:out of memory|unexpected error))");

	/** Area of the troubleshooting page, by the package a message is thrown from (first match). */
	static final Map<String, String> AREAS = new LinkedHashMap<>();
	static {
		AREAS.put("core/onnx/", "ONNX networks and backbones");
		AREAS.put("core/transfer/", "ONNX networks and backbones");
		AREAS.put("core/bundle/", "Model files");
		AREAS.put("core/export/", "Exporting a model");
		AREAS.put("core/data/", "Images and datasets");
		AREAS.put("core/train/", "Training");
		AREAS.put("core/model/", "Training");
		AREAS.put("core/pipeline/", "Training");
		AREAS.put("core/predict/", "Classifying");
		AREAS.put("core/cells/", "Classifying");
		AREAS.put("core/inspect/", "Looking inside");
		AREAS.put("core/backend/", "The system: memory, native code, GPU");
		AREAS.put("core/engine/", "The system: memory, native code, GPU");
		AREAS.put("core/", "The system: memory, native code, GPU");
		AREAS.put("cluster/", "Many images and clusters");
		AREAS.put("cli/", "Many images and clusters");
		AREAS.put("", "Commands, macros and parameters");
	}

	private ErrorMessages() {}

	/** Area -> sorted message templates, from every Java file below {@code sources}. */
	static Map<String, TreeSet<String>> collect(final Path sources) throws IOException {
		final Map<String, TreeSet<String>> byArea = new TreeMap<>();
		final List<Path> files;
		try (Stream<Path> walk = Files.walk(sources)) {
			files = walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
		}
		for (final Path file : files) {
			final String code = Files.readString(file);
			final String relative = sources.relativize(file).toString().replace('\\', '/')
				.replaceFirst("^io/deepclass/", "");
			final String area = area(relative);
			for (final Pattern p : file.endsWith("CommandCalls.java") ? List.of(THROW, BRIDGE_LINE)
				: List.of(THROW))
			{
				final Matcher m = p.matcher(code);
				while (m.find()) {
					final String template = template(code, m.end());
					if (template != null) byArea.computeIfAbsent(area, a -> new TreeSet<>()).add(template);
				}
			}
		}
		return byArea;
	}

	static String area(final String relative) {
		for (final Map.Entry<String, String> e : AREAS.entrySet())
			if (relative.startsWith(e.getKey())) return e.getValue();
		throw new AssertionError("unreachable: '' matches every path");
	}

	/**
	 * The message argument starting at {@code from}: string literals kept, everything else between
	 * them an ellipsis; null when the argument holds no literal (a message passed on as it is).
	 */
	static String template(final String code, final int from) {
		final StringBuilder text = new StringBuilder();
		final StringBuilder other = new StringBuilder();
		boolean literal = false;
		int depth = 0;
		for (int i = from; i < code.length(); i++) {
			final char c = code.charAt(i);
			if (c == '"') {
				if (hasCode(other)) text.append('…');
				other.setLength(0);
				literal = true;
				i++;
				for (; code.charAt(i) != '"'; i++) {
					if (code.charAt(i) == '\\') {
						final char e = code.charAt(++i);
						text.append(e == 'n' ? ' ' : e == 't' ? ' ' : e);
					}
					else text.append(code.charAt(i));
				}
				continue;
			}
			if (c == '\'') { // a char literal: '\'' or 'x'
				final int end = code.indexOf('\'', i + (code.charAt(i + 1) == '\\' ? 3 : 2));
				other.append(code, i, end + 1);
				i = end;
				continue;
			}
			if (c == '(' || c == '[' || c == '{') depth++;
			else if (c == ')' || c == ']' || c == '}') {
				if (depth == 0) break;
				depth--;
			}
			else if (c == ',' && depth == 0) break;
			other.append(c);
		}
		if (!literal) return null;
		if (hasCode(other)) text.append('…');
		final String t = text.toString().replaceAll("\\s+", " ").replaceAll("…(\\s*…)+", "…").trim();
		return t.equals("…") ? null : t;
	}

	/** Whether what stood between two literals was code, not only {@code +} and spaces. */
	private static boolean hasCode(final CharSequence between) {
		return !between.toString().replace("+", "").isBlank();
	}

	/** The generated part of the page: one section per area, one line per message. */
	static String markdown(final Map<String, TreeSet<String>> byArea) {
		final StringBuilder md = new StringBuilder();
		for (final Map.Entry<String, TreeSet<String>> e : byArea.entrySet()) {
			md.append("\n### ").append(e.getKey()).append(" (").append(e.getValue().size()).append(
				")\n\n");
			for (final String message : e.getValue())
				md.append("- ").append(code(message)).append('\n');
		}
		return md.toString();
	}

	private static String code(final String text) {
		final String fence = text.contains("`") ? "``" : "`";
		return fence + (fence.length() > 1 ? " " + text + " " : text) + fence;
	}

	/** The areas in page order. */
	static List<String> areas() {
		return new ArrayList<>(new java.util.LinkedHashSet<>(AREAS.values()));
	}
}
