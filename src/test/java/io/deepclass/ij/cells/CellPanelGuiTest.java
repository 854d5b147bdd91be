package io.deepclass.ij.cells;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Component;
import java.awt.Container;
import java.awt.EventQueue;
import java.awt.GraphicsEnvironment;
import java.awt.Rectangle;
import java.awt.Robot;
import java.awt.Window;
import java.awt.event.KeyEvent;
import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import javax.imageio.ImageIO;
import javax.swing.AbstractButton;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ij.ImagePlus;
import ij.Macro;
import ij.WindowManager;
import ij.gui.Overlay;
import ij.gui.Roi;
import ij.plugin.frame.RoiManager;

import io.deepclass.core.CiRequirement;
import io.deepclass.core.bundle.ModelBundle;
import io.deepclass.core.bundle.ModelFiles;
import io.deepclass.core.cells.CellRound;
import io.deepclass.core.data.Dataset;
import io.deepclass.core.predict.Classifier;
import io.deepclass.core.predict.Predictions;
import io.deepclass.ij.bridge.DeepClassPlugIn;
import io.deepclass.ij.input.ImageInputs;
import io.deepclass.ij.input.ImageSamples;

/**
 * Drives Classify Cells Interactively as a person would, on 100 real cells (Fashion-MNIST
 * trousers, sneakers and bags on a 512 x 512 image, ROIs in its overlay): the menu command
 * opens the panel, cells are labelled by button and by number key, each label retrains and
 * recolours every ROI, "Next uncertain" selects the least sure cell, the model and the labelled
 * ROIs are saved, and both come back: the model file classifies the cells as the panel did, the
 * ROI set holds the labels. Screenshots go to target/cells-screenshots (and to the folder
 * environment variable DEEPCLASS_SCREENSHOTS names: scripts/cells-screenshots.sh sets it to docs/images).
 * Needs a display: xvfb-run.
 */
@Tag("gui")
class CellPanelGuiTest {

	@TempDir
	Path dir;

	private CellPanel panel;

	private ImagePlus imp;

	@AfterEach
	void close() throws Exception {
		EventQueue.invokeAndWait(() -> {
			if (panel != null) panel.dispose();
			final RoiManager rm = RoiManager.getInstance();
			if (rm != null) {
				rm.reset();
				rm.close();
			}
			if (imp != null) {
				imp.changes = false;
				imp.close();
			}
		});
	}

	@Test
	void labelRetrainNextUncertainSave() throws Exception {
		CiRequirement.require(!GraphicsEnvironment.isHeadless(), "there is no display (run under " +
			"xvfb-run)");
		final Dataset fashion = CellImages.fashionMnist("t10k");
		final CellImages.Cells cells = CellImages.tile(fashion, new int[] { 1, 7, 8 }, 0, 100, 512, 5);
		imp = cells.image();
		imp.show();
		waitFor(() -> imp.getWindow() != null && imp.getWindow().isShowing(), "the image window");
		EventQueue.invokeAndWait(() -> imp.getWindow().setLocation(0, 0));
		final Path onnx = dir.resolve("residual.onnx");
		try (InputStream in = getClass().getResourceAsStream("/io/deepclass/core/onnx/residual.onnx")) {
			Files.copy(in, onnx);
		}

		// the menu command, with its options as a macro gives them (no dialog)
		WindowManager.setTempCurrentImage(imp);
		final Thread command = new Thread(() -> {
			Macro.setOptions(Thread.currentThread(), "image=cells model=[pretrained features] " +
				"backbone=file backbone_file=[" + onnx + "] input_size=0 patch_size=0 classes=[" + String
					.join(",", cells.classNames()) + "] seed=42");
			WindowManager.setTempCurrentImage(imp);
			new DeepClassPlugIn().run("cells");
		}, "Run$_DeepClass cells test");
		command.start();
		command.join(300_000);
		assertFalse(command.isAlive(), "features computed and the panel opened");
		panel = Arrays.stream(Window.getWindows()).filter(w -> w instanceof CellPanel && w
			.isShowing()).map(w -> (CellPanel) w).findFirst().orElseThrow(() -> new AssertionError(
				"no panel; log: " + ij.IJ.getLog()));
		final RoiManager rm = RoiManager.getInstance();
		assertNotNull(rm, "the overlay's ROIs went into the ROI Manager");
		assertEquals(100, rm.getCount());
		EventQueue.invokeAndWait(() -> {
			panel.setLocation(imp.getWindow().getWidth() + 4, 0);
			rm.setLocation(imp.getWindow().getWidth() + panel.getWidth() + 8, 0);
		});
		shoot("cells-panel-start");

		// three cells per class: classes 1 and 2 by button, class 3 by the number key on the image
		final int[] given = new int[3];
		for (int i = 0; i < cells.truth().length; i++) {
			final int c = cells.truth()[i];
			if (given[c] == 3) continue;
			given[c]++;
			final int cell = i;
			EventQueue.invokeAndWait(() -> rm.select(imp, cell));
			if (c < 2) click(panel, (c + 1) + ": " + cells.classNames().get(c));
			else EventQueue.invokeAndWait(() -> imp.getCanvas().dispatchEvent(new KeyEvent(imp
				.getCanvas(), KeyEvent.KEY_PRESSED, System.currentTimeMillis(), 0, KeyEvent.VK_3, '3')));
			panel.awaitWorker();
		}
		assertArrayEquals(new int[] { 3, 3, 3 }, panel.session().labelCounts());
		panel.awaitWorker();
		final CellRound round = panel.session().loop().last();
		assertNotNull(round, "each label retrained (live)");
		assertEquals(9, round.labelled());
		int right = 0;
		for (int i = 0; i < 100; i++)
			if (round.predicted()[i] == cells.truth()[i]) right++;
		assertTrue(right > 50, right + " of 100 cells right after 9 labels (a third by chance)");

		// every ROI recoloured: its outline (the last overlay element of each cell) in its class colour
		final Overlay overlay = imp.getOverlay();
		assertTrue(overlay.size() >= 100, "overlay of " + overlay.size());
		for (int i = 0; i < 100; i++) {
			final Roi outline = lastAt(overlay, cells.rois()[i].getBounds());
			assertEquals(panel.session().color(round.predicted()[i]), outline.getStrokeColor(), "cell " +
				i);
		}
		waitFor(() -> panel.lines()[1].contains("CV"), "the accuracy estimate");
		assertTrue(panel.lines()[2].startsWith("Retrain + recolour:"), panel.lines()[2]);
		shoot("cells-panel-trained");

		// next uncertain: the smallest margin among unlabelled cells, selected in the ROI Manager
		final int expected = panel.session().loop().nextUncertain();
		click(panel, "Next uncertain");
		waitFor(() -> rm.getSelectedIndex() == expected, "cell " + expected + " selected");
		assertTrue(panel.session().loop().label(expected) < 0);
		shoot("cells-panel-uncertain");

		// keep the work: model file and ROI set
		final Path model = dir.resolve("cells-model.zip"), roiSet = dir.resolve("cells-rois.zip");
		panel.saveModel(model.toFile());
		panel.awaitWorker();
		EventQueue.invokeAndWait(() -> panel.saveRois(roiSet.toFile()));
		assertTrue(panel.lines()[0].startsWith("Saved"), panel.lines()[0]);
		final ModelBundle loaded = ModelFiles.load(model);
		assertEquals(cells.classNames(), loaded.info().classNames());
		final Dataset patches = ImageInputs.roiPatches(imp, cells.rois(), loaded.info().classNames(), 0,
			loaded.info().inputShape(), ImageSamples.Options.ALL).dataset();
		final Predictions again = new Classifier(loaded).classify(patches);
		assertArrayEquals(round.predicted(), again.predicted(), "the file classifies as the panel");

		final RoiManager reopened = new RoiManager(true);
		assertTrue(reopened.open(roiSet.toString()));
		final Roi[] back = reopened.getRoisAsArray();
		assertEquals(100, back.length);
		int labelled = 0;
		for (int i = 0; i < 100; i++) {
			final String name = CellLabels.read(back[i]);
			if (name == null) continue;
			labelled++;
			assertEquals(cells.classNames().get(cells.truth()[i]), name, "cell " + i);
		}
		assertEquals(9, labelled, "the saved ROI set holds the 9 labels");
	}

	/** The last overlay element with these bounds (the outline drawn above the fill). */
	private static Roi lastAt(final Overlay overlay, final Rectangle bounds) {
		Roi found = null;
		for (final Roi r : overlay.toArray())
			if (r.getBounds().equals(bounds)) found = r;
		return found;
	}

	private static void click(final Container root, final String text) throws Exception {
		final AbstractButton[] button = new AbstractButton[1];
		EventQueue.invokeAndWait(() -> button[0] = find(root, text));
		assertNotNull(button[0], "a button '" + text + "'");
		EventQueue.invokeAndWait(button[0]::doClick);
	}

	private static AbstractButton find(final Container root, final String text) {
		for (final Component c : root.getComponents()) {
			if (c instanceof AbstractButton b && text.equals(b.getText())) return b;
			if (c instanceof Container inner) {
				final AbstractButton b = find(inner, text);
				if (b != null) return b;
			}
		}
		return null;
	}

	private static void waitFor(final java.util.function.BooleanSupplier condition,
		final String what) throws InterruptedException
	{
		for (int i = 0; i < 600; i++) {
			if (condition.getAsBoolean()) return;
			Thread.sleep(100);
		}
		throw new AssertionError("waited 60 s for " + what);
	}

	/** The image window and the panel as they are on the screen, as PNG. */
	private void shoot(final String name) throws Exception {
		EventQueue.invokeAndWait(() -> {});
		Thread.sleep(500);
		final Rectangle area = imp.getWindow().getBounds().union(panel.getBounds());
		final BufferedImage shot = new Robot().createScreenCapture(area);
		final Path out = Path.of("target", "cells-screenshots");
		Files.createDirectories(out);
		ImageIO.write(shot, "png", out.resolve(name + ".png").toFile());
		final String docs = System.getenv("DEEPCLASS_SCREENSHOTS");
		if (docs != null && !docs.isBlank()) {
			Files.createDirectories(Path.of(docs));
			ImageIO.write(shot, "png", Path.of(docs, name + ".png").toFile());
		}
	}

}
