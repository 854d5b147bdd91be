package io.deepclass.ij.cells;

import java.awt.BorderLayout;
import java.awt.Color;
import java.awt.Component;
import java.awt.Dimension;
import java.awt.GridLayout;
import java.awt.event.KeyAdapter;
import java.awt.event.KeyEvent;
import java.awt.event.MouseAdapter;
import java.awt.event.MouseEvent;
import java.awt.event.WindowAdapter;
import java.awt.event.WindowEvent;
import java.io.File;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import javax.swing.BorderFactory;
import javax.swing.Box;
import javax.swing.BoxLayout;
import javax.swing.DefaultListCellRenderer;
import javax.swing.DefaultListModel;
import javax.swing.Icon;
import javax.swing.JButton;
import javax.swing.JCheckBox;
import javax.swing.JColorChooser;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JList;
import javax.swing.JOptionPane;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.ListSelectionModel;
import javax.swing.SwingUtilities;

import ij.IJ;
import ij.gui.ImageCanvas;
import ij.gui.Roi;
import ij.io.SaveDialog;
import ij.plugin.frame.RoiManager;

import io.deepclass.core.DeepClassException;
import io.deepclass.core.cells.CellLoop;
import io.deepclass.core.cells.CellRound;

/**
 * The window of Classify Cells Interactively: the classes (colour, name, labelled and predicted
 * counts; add, rename, colour), "label the selected cells" by button or by the keys 1-9 (0 takes
 * the label away) on the image or here, Train (and retrain on every label), next uncertain and
 * next random cell, the cross-validated accuracy, and save model / save labelled ROIs / apply to
 * a folder. Cells are selected in the ROI Manager or by clicking them on the image. Training runs
 * on one worker thread, never on the event thread.
 */
public final class CellPanel extends JFrame {

	private final CellSession session;

	private final RoiManager manager;

	private final DefaultListModel<Integer> classes = new DefaultListModel<>();

	private final JList<Integer> classList = new JList<>(classes);

	private final JPanel labelButtons = new JPanel(new GridLayout(0, 2, 4, 4));

	private final JCheckBox live = new JCheckBox("Retrain on every label", true);

	/** The cells "Next uncertain" offered (their labels make the accuracy line run low). */
	private final Set<Integer> uncertainPicks = ConcurrentHashMap.newKeySet();

	private final JLabel status = new JLabel(" "), accuracy = new JLabel(" "), timing = new JLabel(
		" ");

	private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
		final Thread t = new Thread(r, "DeepClass cells");
		t.setDaemon(true);
		return t;
	});

	private File savedModel;

	private final KeyAdapter numberKeys = new KeyAdapter() {

		@Override
		public void keyPressed(final KeyEvent e) {
			final char c = e.getKeyChar();
			if (c >= '0' && c <= '9') {
				final int index = c == '0' ? -1 : c - '1';
				if (index < session.classNames().size()) {
					labelSelected(index);
					e.consume();
				}
			}
		}
	};

	public CellPanel(final CellSession session, final RoiManager manager, final String model) {
		super("DeepClass Cells: " + session.image().getTitle());
		this.session = session;
		this.manager = manager;
		setDefaultCloseOperation(DISPOSE_ON_CLOSE);
		final JPanel content = new JPanel();
		content.setLayout(new BoxLayout(content, BoxLayout.Y_AXIS));
		content.setBorder(BorderFactory.createEmptyBorder(8, 8, 8, 8));
		content.add(left(new JLabel("<html>Model: " + model + "<br>" + session.rois().length +
			" cells</html>")));

		classList.setSelectionMode(ListSelectionModel.SINGLE_SELECTION);
		classList.setCellRenderer(new ClassRenderer());
		classList.setVisibleRowCount(6);
		final JPanel classBox = titled("Classes", new BorderLayout(4, 4));
		classBox.add(new JScrollPane(classList), BorderLayout.CENTER);
		final JPanel classEdit = new JPanel(new GridLayout(1, 3, 4, 4));
		classEdit.add(button("Add", e -> addClass()));
		classEdit.add(button("Rename", e -> renameClass()));
		classEdit.add(button("Colour", e -> recolourClass()));
		classBox.add(classEdit, BorderLayout.SOUTH);
		content.add(classBox);

		final JPanel labelBox = titled("Label the selected cells (keys 1-9, 0 = none)",
			new BorderLayout(4, 4));
		labelBox.add(labelButtons, BorderLayout.CENTER);
		content.add(labelBox);

		final JPanel train = titled("Train", new GridLayout(0, 2, 4, 4));
		train.add(button("Train", e -> retrain()));
		train.add(live);
		train.add(button("Next uncertain", e -> {
			final int cell = session.loop().nextUncertain();
			if (cell >= 0) uncertainPicks.add(cell);
			select(cell);
		}));
		train.add(button("Next random", e -> select(session.loop().nextRandom())));
		content.add(train);
		content.add(left(accuracy));
		content.add(left(timing));

		final JPanel keep = titled("Keep", new GridLayout(0, 1, 4, 4));
		keep.add(button("Save model...", e -> saveModel()));
		keep.add(button("Save labelled ROIs...", e -> saveRois()));
		keep.add(button("Apply model to a folder...", e -> applyToFolder()));
		content.add(keep);
		content.add(Box.createVerticalStrut(4));
		content.add(left(status));

		add(content);
		refreshClasses();
		addKeyListener(numberKeys);
		for (final Component c : content.getComponents())
			c.addKeyListener(numberKeys);
		final ImageCanvas canvas = session.image().getCanvas();
		final MouseAdapter click = new MouseAdapter() {

			@Override
			public void mouseReleased(final MouseEvent e) {
				final int x = canvas.offScreenX(e.getX()), y = canvas.offScreenY(e.getY());
				for (int i = 0; i < session.rois().length; i++)
					if (session.rois()[i].contains(x, y)) {
						select(i);
						return;
					}
			}
		};
		if (canvas != null) {
			canvas.addKeyListener(numberKeys);
			canvas.addMouseListener(click);
		}
		addWindowListener(new WindowAdapter() {

			@Override
			public void windowClosed(final WindowEvent e) {
				if (canvas != null) {
					canvas.removeKeyListener(numberKeys);
					canvas.removeMouseListener(click);
				}
				worker.shutdownNow();
			}
		});
		session.redraw();
		pack();
		setMinimumSize(new Dimension(330, getHeight()));
	}

	/** The cells selected in the ROI Manager (or the image's own selection, matched by bounds). */
	int[] selectedCells() {
		if (manager != null) {
			final int[] selected = manager.getSelectedIndexes();
			if (selected.length > 0) return selected;
		}
		final Roi current = session.image().getRoi();
		if (current == null) return new int[0];
		for (int i = 0; i < session.rois().length; i++)
			if (session.rois()[i].getBounds().equals(current.getBounds())) return new int[] { i };
		return new int[0];
	}

	/** Selects cell {@code index} in the ROI Manager and on the image (at its Z/T position). */
	/**
	 * The accuracy line. Cells labelled from "Next uncertain" are the ones the model found hard, so
	 * cross-validation on them runs low (measured: 54 % against a true 83 % after 90 such labels,
	 * bench/active_learning.sh): when they are a third of the labels or more, the line says so.
	 */
	static String accuracyText(final CellLoop.CrossValidation cv, final int uncertainLabels) {
		if (cv == null) return "Accuracy: label 2 or more cells in 2 classes for an estimate";
		final String line = String.format(Locale.ROOT, "Accuracy: %.0f %% (%d-fold CV on %d " +
			"labels; 95 %%: %.0f-%.0f %%)", 100 * cv.accuracy(), cv.folds(), cv.total(), 100 * cv
				.interval().low(), 100 * cv.interval().high());
		return 3 * uncertainLabels >= cv.total() ? "<html>" + line + "<br>likely higher: " +
			uncertainLabels + " of the labels are cells Next uncertain found hard</html>" : line;
	}

	void select(final int index) {
		if (index < 0) {
			status.setText(session.loop().last() == null ? "Train first." : "Every cell is labelled.");
			return;
		}
		if (manager != null) manager.select(session.image(), index);
		else session.image().setRoi((Roi) session.rois()[index].clone());
		final CellRound round = session.loop().last();
		status.setText("Cell " + (index + 1) + (round == null || round.size() <= index ? "" : ": " +
			round.classNames().get(round.predicted()[index]) + String.format(Locale.ROOT,
				" (%.0f %%, margin %.2f)", 100 * round.confidence()[index], round.margin()[index])));
	}

	void labelSelected(final int classIndex) {
		final int[] cells = selectedCells();
		if (cells.length == 0) {
			status.setText("Select cells first (ROI Manager, or click one on the image).");
			return;
		}
		session.label(cells, classIndex);
		refreshClasses();
		status.setText((classIndex < 0 ? "Unlabelled " : "Labelled ") + cells.length + " cell" + (
			cells.length == 1 ? "" : "s") + (classIndex < 0 ? "" : " as " + session.classNames().get(
				classIndex)));
		if (live.isSelected() && trainable()) retrain();
		else session.redraw();
	}

	private boolean trainable() {
		final int[] counts = session.labelCounts();
		return Arrays.stream(counts).filter(c -> c > 0).count() >= 2;
	}

	/** Retrains and recolours on the worker, then cross-validates; the panel updates after each. */
	void retrain() {
		worker.submit(() -> {
			try {
				final CellRound round = session.retrain();
				final double seconds = session.lastSeconds();
				SwingUtilities.invokeLater(() -> {
					refreshClasses();
					timing.setText(String.format(Locale.ROOT, "Retrain + recolour: %.2f s (%d labels)",
						seconds, round.labelled()));
					accuracy.setText("Accuracy: estimating...");
				});
				final CellLoop.CrossValidation cv = session.loop().crossValidate();
				final long hard = Arrays.stream(session.loop().labelled()).filter(
					uncertainPicks::contains).count();
				SwingUtilities.invokeLater(() -> accuracy.setText(accuracyText(cv, (int) hard)));
			}
			catch (final DeepClassException e) {
				SwingUtilities.invokeLater(() -> status.setText(e.getMessage()));
			}
			catch (final RuntimeException e) {
				IJ.log("DeepClass internal error in Classify Cells Interactively: " + e);
				SwingUtilities.invokeLater(() -> status.setText("Error: " + e + " (see the Log)."));
			}
		});
	}

	/** Runs after every task queued so far (for tests and for saving after training). */
	public void awaitWorker() throws InterruptedException, java.util.concurrent.ExecutionException {
		worker.submit(() -> {}).get();
	}

	private void addClass() {
		final String name = JOptionPane.showInputDialog(this, "Name of the new class:", "class " + (
			session.classNames().size() + 1));
		if (name == null) return;
		try {
			session.addClass(name);
			refreshClasses();
		}
		catch (final DeepClassException e) {
			status.setText(e.getMessage());
		}
	}

	private void renameClass() {
		final int c = chosenClass("rename");
		if (c < 0) return;
		final String name = JOptionPane.showInputDialog(this, "New name:", session.classNames().get(c));
		if (name == null) return;
		try {
			session.renameClass(c, name);
			refreshClasses();
		}
		catch (final DeepClassException e) {
			status.setText(e.getMessage());
		}
	}

	/** The class selected in the list, or -1 after asking for one ("Choose the class to ..."). */
	private int chosenClass(final String action) {
		final int c = classList.getSelectedIndex();
		if (c < 0) status.setText("Choose the class to " + action + " in the list.");
		return c;
	}

	private void recolourClass() {
		final int c = chosenClass("colour");
		if (c < 0) return;
		final Color color = JColorChooser.showDialog(this, "Colour of " + session.classNames().get(c),
			session.color(c));
		if (color == null) return;
		session.setColor(c, color);
		refreshClasses();
	}

	/** Saves the model where the user says; Classify Images, Evaluate and Export take the file. */
	void saveModel(final File file) {
		worker.submit(() -> {
			try {
				session.saveModel(file.toPath());
				savedModel = file;
				SwingUtilities.invokeLater(() -> status.setText("Saved the model to " + file.getName()));
			}
			catch (final DeepClassException | java.io.IOException e) {
				SwingUtilities.invokeLater(() -> status.setText("Not saved: " + e.getMessage()));
			}
		});
	}

	private void saveModel() {
		final SaveDialog sd = new SaveDialog("Save DeepClass model", "cells-model", ".zip");
		if (sd.getFileName() != null) saveModel(new File(sd.getDirectory(), sd.getFileName()));
	}

	/** Writes the ROIs with their labels as a ROI set the ROI Manager opens. */
	void saveRois(final File file) {
		try {
			session.saveRois(file.toPath());
			status.setText("Saved " + session.rois().length + " ROIs with their labels to " + file
				.getName());
		}
		catch (final java.io.IOException e) {
			status.setText("Not saved: " + e.getMessage());
		}
	}

	private void saveRois() {
		final SaveDialog sd = new SaveDialog("Save labelled ROIs", session.image().getShortTitle() +
			"-cells", ".zip");
		if (sd.getFileName() != null) saveRois(new File(sd.getDirectory(), sd.getFileName()));
	}

	private void applyToFolder() {
		if (savedModel == null) {
			status.setText("Save the model first; it is what classifies the folder.");
			return;
		}
		final String folder = new ij.io.DirectoryChooser("Folder of cell images to classify")
			.getDirectory();
		if (folder == null) return;
		final SaveDialog sd = new SaveDialog("Results CSV", "cells-classified", ".csv");
		if (sd.getFileName() == null) return;
		final String command = "model_file=[" + savedModel + "] input=folder folder=[" + folder +
			"] resize save_csv=[" + new File(sd.getDirectory(), sd.getFileName()) + "]";
		new Thread(() -> IJ.run("Classify Images", command), "DeepClass apply").start();
		status.setText("Classifying " + folder + " (Classify Images; see its table)");
	}

	private void refreshClasses() {
		classes.clear();
		for (int c = 0; c < session.classNames().size(); c++)
			classes.addElement(c);
		labelButtons.removeAll();
		for (int c = 0; c < session.classNames().size(); c++) {
			final int index = c;
			final JButton b = button((c < 9 ? (c + 1) + ": " : "") + session.classNames().get(c),
				e -> labelSelected(index));
			b.setIcon(swatch(session.color(c)));
			labelButtons.add(b);
		}
		labelButtons.add(button("0: no label", e -> labelSelected(-1)));
		labelButtons.revalidate();
		labelButtons.repaint();
		classList.repaint();
		pack();
	}

	/** A class: its colour, name, labelled cells and (after training) predicted cells. */
	private final class ClassRenderer extends DefaultListCellRenderer {

		@Override
		public Component getListCellRendererComponent(final JList<?> list, final Object value,
			final int index, final boolean selected, final boolean focus)
		{
			final int c = (Integer) value;
			final CellRound round = session.loop().last();
			final String predicted = round != null && c < round.counts().length ? ", " + round
				.counts()[c] + " predicted" : "";
			final JLabel label = (JLabel) super.getListCellRendererComponent(list, session.classNames()
				.get(c) + "  (" + session.labelCounts()[c] + " labelled" + predicted + ")", index,
				selected, focus);
			label.setIcon(swatch(session.color(c)));
			return label;
		}
	}

	private static Icon swatch(final Color color) {
		return new Icon() {

			@Override
			public void paintIcon(final Component c, final java.awt.Graphics g, final int x,
				final int y)
			{
				g.setColor(color);
				g.fillRect(x, y, 12, 12);
				g.setColor(Color.DARK_GRAY);
				g.drawRect(x, y, 12, 12);
			}

			@Override
			public int getIconWidth() {
				return 14;
			}

			@Override
			public int getIconHeight() {
				return 13;
			}
		};
	}

	private static JButton button(final String text, final java.awt.event.ActionListener action) {
		final JButton b = new JButton(text);
		b.addActionListener(action);
		return b;
	}

	private static JPanel titled(final String title, final java.awt.LayoutManager layout) {
		final JPanel p = new JPanel(layout);
		p.setBorder(BorderFactory.createTitledBorder(title));
		p.setAlignmentX(Component.LEFT_ALIGNMENT);
		return p;
	}

	private static JComponentHolder left(final JLabel label) {
		return new JComponentHolder(label);
	}

	/** A label that stays left-aligned in the box layout. */
	private static final class JComponentHolder extends JPanel {

		JComponentHolder(final JLabel label) {
			super(new BorderLayout());
			add(label, BorderLayout.WEST);
			setAlignmentX(Component.LEFT_ALIGNMENT);
		}
	}

	/** For tests: the session behind the panel. */
	public CellSession session() {
		return session;
	}

	/** For tests: the status line, the accuracy line and the timing line. */
	public String[] lines() {
		return new String[] { status.getText(), accuracy.getText(), timing.getText() };
	}
}
