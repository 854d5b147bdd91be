package io.deepclass.ij.bridge;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.scijava.module.ModuleItem;

/**
 * The text of a DeepClass dialog's Help button: each field (its macro key) with its description,
 * under the dialog's sections, and the user guide page that says more. Replaces the block of
 * text that stood under the fields.
 */
final class DialogHelp {

	private DialogHelp() {}

	/** HTML for GenericDialog.addHelp; {@code docs}: the guide page, e.g. training.md, or null. */
	static String html(final String title, final String docs, final List<ModuleItem<?>> items) {
		final Map<String, List<ModuleItem<?>>> sections = new LinkedHashMap<>();
		sections.put("", new ArrayList<>());
		for (final String group : DialogGroups.groups(items))
			sections.put(group, new ArrayList<>());
		for (final ModuleItem<?> item : items) {
			final String group = DialogGroups.group(item);
			sections.computeIfAbsent(group == null ? "" : group, g -> new ArrayList<>()).add(item);
		}
		final StringBuilder b = new StringBuilder("<html><h3>").append(escape(title)).append(
			"</h3><p>Each field's name is its key in a macro (the Macro Recorder writes them).");
		if (sections.size() > 1) b.append(" The buttons show one group of fields at a time; " +
			"\"(changed)\" marks a group with a value other than the default.");
		b.append("</p>");
		sections.forEach((group, list) -> {
			if (!group.isEmpty()) b.append("<h4>").append(escape(group)).append("</h4>");
			b.append("<ul>");
			for (final ModuleItem<?> item : list) {
				b.append("<li><b>").append(escape(item.getName())).append("</b>");
				final String d = item.getDescription();
				if (d != null && !d.isBlank()) b.append(": ").append(escape(d));
				b.append("</li>");
			}
			b.append("</ul>");
		});
		if (docs != null) b.append("<p>More in the user guide: <b>docs/").append(escape(docs))
			.append("</b> (on DeepClass's project page and in its source).</p>");
		return b.append("</html>").toString();
	}

	private static String escape(final String text) {
		return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
	}
}
