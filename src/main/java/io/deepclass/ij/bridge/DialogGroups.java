package io.deepclass.ij.bridge;

import java.awt.Button;
import java.awt.Checkbox;
import java.awt.Choice;
import java.awt.Component;
import java.awt.FlowLayout;
import java.awt.GraphicsConfiguration;
import java.awt.GridBagConstraints;
import java.awt.GridBagLayout;
import java.awt.Insets;
import java.awt.Panel;
import java.awt.Rectangle;
import java.awt.Toolkit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.scijava.module.ModuleItem;

import ij.gui.GenericDialog;

/**
 * How a DeepClass dialog shows a command's parameters: first what most users set, the rest in
 * groups that open on demand (one at a time, so the dialog fits a 1280 x 720 screen), and some
 * fields only when they apply. Declared where the parameter is, as SciJava parameter attributes:
 * {@code @Parameter(label = "seed", attrs = @Attr(name = GROUP, value = OPTIMISATION))},
 * {@code @Attr(name = SHOWN_WHEN, value = "architecture=pretrained")} (a choice or checkbox
 * parameter, {@code =}, its values separated by {@code |}).
 * <p>
 * Hidden fields stay in the dialog and are read, remembered and recorded in parameter order, as
 * before: only what is shown changes, never a macro key or a recorded line.
 */
public final class DialogGroups {

	/** Parameter attribute: the group a parameter is shown in (none: always shown). */
	public static final String GROUP = "group";

	/** Parameter attribute: shown only when another parameter has one of these values. */
	public static final String SHOWN_WHEN = "shown_when";

	public static final String DATA = "Data preparation";

	public static final String OPTIMISATION = "Optimisation";

	public static final String TRANSFER = "Transfer";

	public static final String ADVANCED = "Advanced";

	/** Plugin attribute: the user guide page of a command, e.g. {@code training.md}. */
	public static final String DOCS = "deepclass.docs";

	/** The order groups are offered in; other groups follow in the order of their first field. */
	private static final List<String> ORDER = List.of(DATA, OPTIMISATION, TRANSFER, ADVANCED);

	private final GenericDialog gd;

	private final Map<ModuleItem<?>, List<Component>> rows = new LinkedHashMap<>();

	private final Map<String, Component> inputs = new LinkedHashMap<>();

	private final Map<String, Button> toggles = new LinkedHashMap<>();

	private final Map<String, Boolean> changed = new LinkedHashMap<>();

	private String open;

	DialogGroups(final GenericDialog gd) {
		this.gd = gd;
	}

	/** The group of {@code item}, or null when it is always shown. */
	static String group(final ModuleItem<?> item) {
		final String group = item.get(GROUP);
		return group == null || group.isBlank() ? null : group;
	}

	/**
	 * Records the dialog's components from index {@code first} on as {@code item}'s row;
	 * {@code differs}: its value is not the default (its group's button says so).
	 */
	void added(final ModuleItem<?> item, final int first, final boolean differs) {
		final List<Component> row = new ArrayList<>(Arrays.asList(gd.getComponents()).subList(first,
			gd.getComponentCount()));
		rows.put(item, row);
		for (final Component c : row)
			if (c instanceof Choice || c instanceof Checkbox) inputs.put(item.getName(), c);
		final String group = group(item);
		if (group != null) changed.merge(group, differs, Boolean::logicalOr);
	}

	/** The groups of {@code items} in the order they are offered. */
	static List<String> groups(final List<ModuleItem<?>> items) {
		final List<String> groups = new ArrayList<>();
		for (final ModuleItem<?> item : items)
			if (group(item) != null && !groups.contains(group(item))) groups.add(group(item));
		groups.sort((a, b) -> Integer.compare(rank(a), rank(b)));
		return groups;
	}

	private static int rank(final String group) {
		final int i = ORDER.indexOf(group);
		return i < 0 ? ORDER.size() : i;
	}

	/** Adds a button per group, shows the always-shown rows first, then the groups, collapsed. */
	void finish() {
		final List<String> groups = groups(new ArrayList<>(rows.keySet()));
		if (!groups.isEmpty()) {
			final Panel panel = new Panel(new FlowLayout(FlowLayout.LEFT, 4, 0));
			for (final String g : groups) {
				final Button b = new Button();
				b.addActionListener(e -> {
					open = g.equals(open) ? null : g;
					update();
				});
				toggles.put(g, b);
				panel.add(b);
			}
			gd.addPanel(panel, GridBagConstraints.WEST, new Insets(12, 0, 4, 0));
			reorder(panel, groups);
		}
		for (final ModuleItem<?> item : rows.keySet()) {
			final String when = item.get(SHOWN_WHEN);
			if (when == null) continue;
			final Component input = inputs.get(when.substring(0, when.indexOf('=')));
			if (input instanceof Choice c) c.addItemListener(e -> update());
			else if (input instanceof Checkbox c) c.addItemListener(e -> update());
		}
		apply();
	}

	/** Rows by position: the always-shown ones, the group buttons, then each group's rows. */
	private void reorder(final Panel buttons, final List<String> groups) {
		final GridBagLayout layout = (GridBagLayout) gd.getLayout();
		final List<List<Component>> order = new ArrayList<>();
		rows.forEach((item, row) -> {
			if (group(item) == null) order.add(row);
		});
		order.add(List.of(buttons));
		for (final String g : groups)
			rows.forEach((item, row) -> {
				if (g.equals(group(item))) order.add(row);
			});
		int y = Integer.MAX_VALUE;
		for (final List<Component> row : order)
			for (final Component c : row)
				y = Math.min(y, layout.getConstraints(c).gridy);
		for (final List<Component> row : order) {
			for (final Component c : row) {
				final GridBagConstraints k = layout.getConstraints(c);
				k.gridy = y;
				layout.setConstraints(c, k);
			}
			y++;
		}
	}

	/** Shows what applies and the open group, re-sizes the dialog and keeps it on the screen. */
	private void update() {
		apply();
		gd.pack();
		final GraphicsConfiguration screen = gd.getGraphicsConfiguration();
		if (screen == null) return;
		final Insets taken = Toolkit.getDefaultToolkit().getScreenInsets(screen);
		final Rectangle s = screen.getBounds();
		final int bottom = s.y + s.height - taken.bottom;
		final Rectangle r = gd.getBounds();
		if (r.y + r.height > bottom) gd.setLocation(r.x, Math.max(s.y + taken.top, bottom -
			r.height));
	}

	private void apply() {
		final Map<String, Boolean> applies = new LinkedHashMap<>();
		rows.forEach((item, row) -> {
			final boolean applicable = applies(item);
			final String group = group(item);
			if (group != null && applicable) applies.put(group, true);
			final boolean shown = applicable && (group == null || group.equals(open));
			for (final Component c : row)
				c.setVisible(shown);
		});
		if (open != null && !applies.containsKey(open)) open = null;
		toggles.forEach((g, b) -> {
			b.setVisible(applies.containsKey(g));
			b.setLabel((g.equals(open) ? "- " : "+ ") + g + (changed.get(g) ? " (changed)" : ""));
		});
	}

	/** Whether {@code item}'s {@link #SHOWN_WHEN} condition holds (true without one). */
	private boolean applies(final ModuleItem<?> item) {
		final String when = item.get(SHOWN_WHEN);
		if (when == null) return true;
		final int eq = when.indexOf('=');
		final Component input = inputs.get(when.substring(0, eq));
		final String value = input instanceof Choice c ? c.getSelectedItem() : input instanceof
			Checkbox c ? Boolean.toString(c.getState()) : null;
		return value == null || Arrays.asList(when.substring(eq + 1).split("\\|")).contains(value);
	}
}
