package io.deepclass.ij.bridge;

import java.awt.Window;

import ij.gui.GenericDialog;

/** What the GUI tests share: finding the dialog a command opened. */
final class Dialogs {

	private Dialogs() {}

	/** The showing dialog with this title, waited for up to a minute. */
	static GenericDialog waitFor(final String title) throws InterruptedException {
		for (int i = 0; i < 600; i++) {
			for (final Window w : Window.getWindows())
				if (w instanceof GenericDialog gd && gd.isShowing() && title.equals(gd.getTitle()))
					return gd;
			Thread.sleep(100);
		}
		throw new AssertionError("no dialog '" + title + "' appeared");
	}
}
