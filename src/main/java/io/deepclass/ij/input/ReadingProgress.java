package io.deepclass.ij.input;

import java.util.Locale;

import ij.IJ;

import io.deepclass.core.data.FolderReader;

/**
 * Progress bar and status line while a folder is read: images done, rate, time left, and that
 * Esc stops.
 */
public final class ReadingProgress implements FolderReader.Progress {

	private final long start = System.nanoTime();

	public ReadingProgress() {
		IJ.resetEscape();
	}

	@Override
	public void done(final int done, final int total) {
		IJ.showProgress(done, total);
		final double seconds = (System.nanoTime() - start) / 1e9;
		final double rate = done / Math.max(seconds, 1e-9);
		final long left = Math.round((total - done) / Math.max(rate, 1e-9));
		IJ.showStatus(String.format(Locale.ROOT, "DeepClass: reading images %d/%d, %.0f " +
			"img/s, %d:%02d left (Esc stops)", done, total, rate, left / 60, left % 60));
	}

	/** A reader with this progress, stopped by Esc. */
	public static FolderReader of(final FolderReader reader) {
		return reader.withProgress(new ReadingProgress(), IJ::escapePressed);
	}
}
