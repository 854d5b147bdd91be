package io.deepclass.demo;

import java.awt.Dialog;
import java.awt.EventQueue;
import java.awt.Frame;
import java.awt.Rectangle;
import java.awt.Robot;
import java.awt.Window;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

import ij.IJ;
import ij.ImageJ;
import ij.WindowManager;
import ij.gui.GenericDialog;
import ij.macro.Interpreter;

import io.deepclass.ij.bridge.HeadlessImageJ;

/**
 * The user guide's screenshots: drives DeepClass in a real ImageJ 1.x window on Fashion-MNIST
 * images exported to class folders (as a scientist's data would be), lets DeepClass place its
 * windows, and captures the windows of each step into {@code <out>/<name>.png}. Run by
 * {@code scripts/screenshots.sh} under a 1280 x 1024 virtual display; not a test.
 * <p>
 * Arguments: {@code <out dir> <work dir> <fashion-mnist dir> <ihc.png> [dialogs]}: the ihc.png
 * is scikit-image's immunohistochemistry sample, for the README's picture; with {@code dialogs},
 * only the dialogs are captured (seconds instead of minutes).
 */
public final class DocScreenshots {

	private static Path out;

	private DocScreenshots() {}

	public static void main(final String[] args) throws Exception {
		out = Files.createDirectories(Paths.get(args[0]));
		final Path work = Files.createDirectories(Paths.get(args[1]));
		final String fm = args[2], ihc = args[3];
		watchForMacroErrors();
		final ImageJ ij = new ImageJ(ImageJ.STANDALONE);
		ij.setLocation(0, 0);
		HeadlessImageJ.install();
		if (args.length > 4 && args[4].equals("dialogs")) {
			dialogs();
			System.exit(0);
		}
		final String train = work.resolve("train").toString(), test = work.resolve("test")
			.toString(), model = work.resolve("clothes.zip").toString();

		if (!Files.isDirectory(work.resolve("test"))) macro(Files.readString(Paths.get(
			"scripts/screenshots/export_classes.ijm")), fm + ";" + work);

		// step 1: the dialogs (cancelled), then the import itself
		dialogs();
		macro("run(\"Import Dataset\", \"source=folder folder=[" + train +
			"] width=28 height=28 channels=gray\");", "");
		shot("import", "DeepClass dataset train", "DeepClass Import Report");
		// step 2: train with the live plot
		macro("run(\"Train Classifier\", \"dataset=[DeepClass dataset train] architecture=" +
			"custom custom_architecture=[cnn:16-32,dense=64] epochs=5 batch_size=32 optimizer=adam learning_rate=0.001 " +
			"validation_fraction=0.2 seed=42 augmentation=none model_file=[" + model + "]\");", "");
		shot("training", "DeepClass Training", "DeepClass Training History");
		closeAll();
		// step 3: evaluate on the labelled test folder
		macro("run(\"Evaluate Classifier\", \"model_file=[" + model + "] folder=[" + test +
			"] samples=24\");", "");
		shot("evaluate", "DeepClass Confusion Matrix", "DeepClass Sample Predictions",
			"DeepClass Evaluation");
		closeAll();
		// step 4 and README's picture: objects on one image, outlined and named by class
		macro(Files.readString(Paths.get("scripts/screenshots/objects_image.ijm")), test);
		macro("run(\"Classify Images\", \"model_file=[" + model + "] input=rois patch_size=0 " +
			"overlay\");", "");
		shot("result", "objects", "DeepClass Legend", "DeepClass Results");
		closeAll();
		// README's picture: nuclei of a real immunohistochemistry image, 24 labelled by hand
		cellsResult(ihc, work.resolve("nuclei.zip").toString());
		// looking inside: kernels, feature maps, saliency of one 28 x 28 image
		macro("run(\"Visualize Filters\", \"view=kernels model_file=[" + model + "] layer=1\");", "");
		shot("kernels", "DeepClass Kernels conv1", "DeepClass Kernel Montage conv1 (16 filters x 1 " +
			"channels)");
		closeAll();
		final String bag = firstFile(test + "/Bag");
		macro("open(\"" + bag + "\"); run(\"Visualize Filters\", \"view=[feature maps] model_file=[" +
			model + "] layer=1\");", "");
		shot("feature-maps", new File(bag).getName(), "DeepClass Feature Maps conv1",
			"DeepClass Feature Map Montage");
		closeAll();
		macro("open(\"" + bag + "\"); run(\"Visualize Filters\", \"view=saliency model_file=[" +
			model + "] method=both opacity=55\");", "");
		final List<String> saliency = new ArrayList<>(List.of(new File(bag).getName()));
		for (final int id : WindowManager.getIDList())
			if (WindowManager.getImage(id).getTitle().startsWith("DeepClass Occlusion") || WindowManager.getImage(id).getTitle().startsWith(
				"DeepClass Gradient")) saliency.add(
				WindowManager.getImage(id).getTitle());
		shot("saliency", saliency.toArray(String[]::new));
		closeAll();
		// a mistake as a user makes it: the error names the command, the problem and the fix
		errorShot(work.resolve("missing.zip").toString(), test, "error");
		macro("run(\"DeepClass System Check\"); Table.setLocationAndSize(0, 80, 900, 420, " +
			"\"DeepClass System Check\");", "");
		shot("system-check", "DeepClass System Check");
		closeAll();
		ij.exitWhenQuitting(true);
		System.exit(0);
	}

	/**
	 * The README's picture: nuclei found on a real immunohistochemistry image, 24 of them named
	 * epithelial or stromal by hand ({@code scripts/screenshots/ihc_nuclei.ijm}), a small CNN
	 * trained on those 24, and every nucleus classified: outlines coloured by class, the legend
	 * and the results table.
	 */
	private static void cellsResult(final String ihc, final String model) throws Exception {
		macro(Files.readString(Paths.get("scripts/screenshots/ihc_nuclei.ijm")), ihc);
		macro("run(\"Import Dataset\", \"source=rois image=ihc roi_class=name " +
			"class_pattern=[^(epithelial|stromal)$] patch_size=32 channels=keep\"); " +
			"run(\"Train Classifier\", \"dataset=[DeepClass dataset ihc] architecture=custom " +
			"custom_architecture=[cnn:8-16,dense=32] epochs=40 batch_size=8 optimizer=adam " +
			"learning_rate=0.001 validation_fraction=0 seed=1 augmentation=[flip,rot90] model_file=[" +
			model + "]\");", "");
		closeAllBut("ihc");
		macro("selectWindow(\"ihc\"); roiManager(\"Show None\"); run(\"Classify Images\", " +
			"\"model_file=[" + model + "] input=rois patch_size=32 overlay\");", "");
		final Frame roiManager = ij.plugin.frame.RoiManager.getInstance();
		if (roiManager != null) EventQueue.invokeAndWait(() -> roiManager.setVisible(false));
		shot("cells-result", "ihc", "DeepClass Legend", "DeepClass Results");
		closeAll();
		IJ.runMacro("roiManager(\"reset\");");
	}

	/** A macro error opens a modal dialog that would wait forever here: report it and stop. */
	private static void watchForMacroErrors() {
		final Thread watch = new Thread(() -> {
			while (true) {
				for (final Window w : Window.getWindows())
					if (w.isShowing() && w instanceof Dialog d && d.getTitle().startsWith("Macro Error")) {
						System.err.println("screenshots: macro error: " + text(d) + "\nthe Log says:\n" + IJ
							.getLog());
						System.exit(1);
					}
				IJ.wait(500);
			}
		}, "macro error watch");
		watch.setDaemon(true);
		watch.start();
	}

	/** The text a dialog shows (labels and text areas), for the error report. */
	private static String text(final java.awt.Container c) {
		final StringBuilder b = new StringBuilder();
		for (final java.awt.Component k : c.getComponents()) {
			if (k instanceof java.awt.Label l) b.append(l.getText()).append(' ');
			else if (k instanceof java.awt.TextComponent t) b.append(t.getText()).append(' ');
			else if (k instanceof java.awt.Container inner) b.append(text(inner));
		}
		return b.toString();
	}

	private static void macro(final String code, final String argument) {
		final Interpreter interpreter = new Interpreter();
		interpreter.setIgnoreErrors(true); // an error is reported here, not in a modal dialog
		final String result = interpreter.run(code, argument);
		if (interpreter.wasError() || "[aborted]".equals(result) || interpreter
			.getErrorMessage() != null) {
			System.err.println("screenshots: macro failed: " + interpreter.getErrorMessage() + "\n" +
				code + "\nthe Log says:\n" + IJ.getLog());
			System.exit(1);
		}
		IJ.wait(500);
	}

	/** The dialogs of the user guide. */
	private static void dialogs() throws Exception {
		dialog("import", "DeepClass: Import Dataset", "dialog-import", null);
		dialog("train", "DeepClass: Train Classifier", DIALOG_TRAIN, null);
		dialog("train", "DeepClass: Train Classifier", "dialog-train-open", "Optimisation");
	}

	/**
	 * The Train Classifier dialog's picture. docs/images/dialog-train-before.png, the dialog
	 * before its fields were grouped, was made with this name set to "dialog-train-before" at
	 * that commit (see scripts/screenshots.sh).
	 */
	private static final String DIALOG_TRAIN = System.getProperty("deepclass.dialogTrain",
		"dialog-train");

	/**
	 * Opens a command's dialog the way the menu does, opens the group whose button starts with
	 * {@code group} (when there is one: null for none), captures it, and cancels it.
	 */
	private static void dialog(final String key, final String title, final String name,
		final String group) throws Exception
	{
		final Thread plugin = new Thread(() -> new io.deepclass.gate.DeepClassMenu().run(key));
		plugin.start();
		final GenericDialog gd = (GenericDialog) waitFor(title);
		IJ.wait(800);
		final java.awt.Button open = group == null ? null : button(gd, group);
		if (group != null && open == null) System.err.println("screenshots: no group '" + group +
			"' in " + title + "; captured as it is");
		if (open != null) {
			EventQueue.invokeAndWait(() -> {
				for (final java.awt.event.ActionListener l : open.getActionListeners())
					l.actionPerformed(new java.awt.event.ActionEvent(open,
						java.awt.event.ActionEvent.ACTION_PERFORMED, open.getLabel()));
			});
			IJ.wait(800);
		}
		capture(name, List.of(gd));
		EventQueue.invokeAndWait(() -> gd.actionPerformed(new java.awt.event.ActionEvent(gd
			.getButtons()[1], java.awt.event.ActionEvent.ACTION_PERFORMED, "Cancel")));
		plugin.join(10_000);
	}

	/**
	 * A mistake as a user makes it from the menu: Classify Images with a model file that does not
	 * exist; captures the error dialog and closes it.
	 */
	private static void errorShot(final String missingModel, final String folder, final String name)
		throws Exception
	{
		final Thread plugin = new Thread(() -> new io.deepclass.gate.DeepClassMenu().run("classify"));
		plugin.start();
		final GenericDialog gd = (GenericDialog) waitFor("DeepClass: Classify Images");
		EventQueue.invokeAndWait(() -> {
			// fields in parameter order: model_file, folder, ... (as RecordAndReplayGuiTest fills them)
			((java.awt.TextField) gd.getStringFields().get(0)).setText(missingModel);
			((java.awt.TextField) gd.getStringFields().get(1)).setText(folder);
			((java.awt.Choice) gd.getChoices().get(0)).select("folder");
			gd.actionPerformed(new java.awt.event.ActionEvent(gd.getButtons()[0],
				java.awt.event.ActionEvent.ACTION_PERFORMED, "OK"));
		});
		final Window error = waitFor("Classify Images");
		IJ.wait(800);
		capture(name, List.of(error));
		EventQueue.invokeAndWait(error::dispose);
		plugin.join(10_000);
	}

	/** The button in {@code c} whose label contains {@code text}, or null. */
	private static java.awt.Button button(final java.awt.Container c, final String text) {
		for (final java.awt.Component k : c.getComponents()) {
			if (k instanceof java.awt.Button b && b.getLabel().contains(text)) return b;
			if (k instanceof java.awt.Container inner && button(inner, text) != null) return button(
				inner, text);
		}
		return null;
	}

	private static Window waitFor(final String title) throws InterruptedException {
		for (int i = 0; i < 300; i++) {
			for (final Window w : Window.getWindows())
				if (w.isShowing() && title.equals(w instanceof Dialog d ? d.getTitle() : w instanceof
					Frame f ? f.getTitle() : null)) return w;
			Thread.sleep(100);
		}
		throw new IllegalStateException("no window '" + title + "' appeared");
	}

	/** Captures the windows with these titles (each must be showing) as one picture. */
	private static void shot(final String name, final String... titles) throws Exception {
		final List<Window> windows = new ArrayList<>();
		for (final String title : titles) {
			final Window w = title.equals("DeepClass Training") ? trainingPlot() : (Window) WindowManager
				.getWindow(title);
			if (w == null || !w.isShowing()) {
				System.err.println("screenshots: no window '" + title + "' for " + name + "; open: " +
					String.join(", ", WindowManager.getImageTitles()) + "\nthe Log says:\n" + IJ.getLog());
				System.exit(1);
			}
			windows.add(w);
		}
		capture(name, windows);
	}

	private static Window trainingPlot() {
		for (final Frame f : Frame.getFrames())
			if (f.isShowing() && f.getTitle().startsWith("DeepClass Training") && !f.getTitle().contains(
				"History")) return f;
		return null;
	}

	private static void capture(final String name, final List<Window> windows) throws Exception {
		final Window log = WindowManager.getWindow("Log");
		if (log != null && !windows.contains(log)) EventQueue.invokeAndWait(() -> log.setVisible(
			false)); // not part of any picture; it shows again on the next line logged
		for (final Window w : windows) // in front and painted: a table window may still be sizing
			EventQueue.invokeAndWait(() -> {
				w.toFront();
				w.validate();
				w.repaint();
			});
		IJ.wait(1500);
		Rectangle r = null;
		BufferedImage image = null;
		// a window just shown may not be where it says yet (seen: a black picture, or ImageJ's
		// window where the dialog should be): capture again until the picture has the window's
		// grey background
		for (int attempt = 0; attempt < 8 && (image == null || !looksPainted(image)); attempt++) {
			if (attempt > 0) IJ.wait(1000);
			r = null;
			for (final Window w : windows) { // where it is on the screen (getBounds can be stale for
				// a dialog placed without a window manager)
				final Rectangle b = new Rectangle(w.getLocationOnScreen(), w.getSize());
				r = r == null ? b : r.union(b);
			}
			r = r.intersection(new Rectangle(java.awt.Toolkit.getDefaultToolkit().getScreenSize()));
			image = new Robot().createScreenCapture(r);
		}
		ImageIO.write(image, "png", out.resolve(name + ".png").toFile());
		IJ.log("screenshot " + name + ".png " + r.width + "x" + r.height + " at " + r.x + "," + r.y);
	}

	/** Closes every image and DeepClass window except the image with this title (null: all). */
	private static void closeAllBut(final String keep) throws Exception {
		Interpreter.batchMode = false;
		IJ.runMacro("list = getList(\"image.titles\"); for (i = 0; i < list.length; i++) if " +
			"(list[i] != \"" + (keep == null ? "" : keep) + "\") close(list[i]); list = getList(" +
			"\"window.titles\"); for (i = 0; i < list.length; i++) if (startsWith(list[i], " +
			"\"DeepClass\")) { selectWindow(list[i]); run(\"Close\"); }");
		for (final Frame f : Frame.getFrames())
			if (f.isShowing() && f.getTitle().startsWith("DeepClass Training")) EventQueue
				.invokeAndWait(f::dispose);
		IJ.wait(300);
	}

	/** Less than a tenth of the picture is black (the empty screen of the virtual display). */
	private static boolean looksPainted(final BufferedImage image) {
		int black = 0;
		for (int y = 0; y < image.getHeight(); y += 4)
			for (int x = 0; x < image.getWidth(); x += 4)
				if ((image.getRGB(x, y) & 0xffffff) == 0) black++;
		return black * 10 < (image.getWidth() / 4 + 1) * (image.getHeight() / 4 + 1);
	}

	private static void closeAll() throws Exception {
		closeAllBut(null);
	}

	private static String firstFile(final String folder) {
		final String[] names = new File(folder).list();
		java.util.Arrays.sort(names);
		return folder + "/" + names[0];
	}

}
