package io.deepclass.ij.display;

import java.awt.Color;
import java.awt.GraphicsEnvironment;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import ij.IJ;
import ij.ImagePlus;
import ij.gui.Plot;
import ij.gui.PlotWindow;
import ij.macro.Interpreter;

import io.deepclass.core.backend.NativeBackend;
import io.deepclass.core.data.Dataset;
import io.deepclass.core.train.EpochStats;
import io.deepclass.core.train.TrainingListener;

/**
 * Shows training as ImageJ shows long work: progress bar, a status line with the ETA, a Log
 * line per epoch, and a plot of loss and accuracy that is redrawn after every epoch (not shown
 * in batch mode or headless, where it is still available as an image). Esc stops training after
 * the current batch.
 */
public final class TrainingMonitor implements TrainingListener, BooleanSupplier {

	public static final String PLOT_TITLE = "DeepClass Training";

	private final List<EpochStats> history = new ArrayList<>();

	private final boolean showPlot;

	private final Consumer<String> log;

	private PlotWindow window;

	/** @param log where the line that says what trains goes (a command's LogService) */
	public TrainingMonitor(final Consumer<String> log) {
		this.log = log;
		showPlot = !GraphicsEnvironment.isHeadless() && !Interpreter.isBatchMode();
		IJ.resetEscape();
	}

	@Override
	public void trainingStarted(final String architecture, final long parameters,
		final Dataset train, final Dataset validation)
	{
		log.accept("DeepClass: training " + architecture + " (" + parameters + " parameters) on " +
			train + (validation == null ? "" : ", validating on " + validation.size()) + "; device: " +
			NativeBackend.device() + " (" + NativeBackend.decision().reason() + ")");
	}

	private long preparingSince;

	/** The backbone's features: progress bar and ETA; the log says when it starts and ends. */
	@Override
	public void preparing(final String what, final int done, final int total) {
		final long now = System.nanoTime();
		if (preparingSince == 0) {
			preparingSince = now;
			log.accept("DeepClass: computing " + what + " of " + total + " images once");
		}
		final double seconds = (now - preparingSince) / 1e9;
		final double rate = seconds > 0 ? done / seconds : 0;
		IJ.showProgress(done, total);
		IJ.showStatus(String.format(Locale.ROOT, "DeepClass: %s, %d/%d images, %.0f img/s, ETA %s " +
			"(Esc stops)", what, done, total, rate, rate > 0 ? duration((total - done) / rate) : "?"));
		if (done >= total) {
			log.accept(String.format(Locale.ROOT, "DeepClass: %s of %d images in %.1f s (%.0f img/s)",
				what, total, seconds, rate));
			preparingSince = 0;
		}
	}

	@Override
	public void batchDone(final BatchProgress p) {
		IJ.showProgress(p.fractionDone());
		IJ.showStatus(String.format(Locale.ROOT, "DeepClass: epoch %d/%d, batch %d/%d, loss %.4f, " +
			"%.0f img/s, ETA %s (Esc stops)", p.epoch(), p.epochs(), p.batch(), p.batches(), p.loss(), p
				.imagesPerSecond(), duration(p.etaSeconds())));
	}

	@Override
	public void epochDone(final EpochStats s) {
		history.add(s);
		IJ.log(epochLine(s));
		if (showPlot) {
			final Plot plot = plot();
			if (window == null || window.isClosed()) window = plot.show();
			else window.drawPlot(plot);
		}
	}

	/**
	 * The Log line of an epoch; without a validation set (validation_fraction=0) it says so instead
	 * of printing NaN for the validation figures.
	 */
	static String epochLine(final EpochStats s) {
		final String validation = Double.isNaN(s.validationLoss()) ? "no validation set" : String
			.format(Locale.ROOT, "validation loss %.4f acc %.2f%%", s.validationLoss(), 100 * s
				.validationAccuracy());
		return String.format(Locale.ROOT, "DeepClass epoch %d: train loss %.4f acc %.2f%% | %s | " +
			"%.0f img/s, %.1f s", s.epoch(), s.trainLoss(), 100 * s.trainAccuracy(), validation, s
				.imagesPerSecond(), s.seconds());
	}

	/** Whether the plot is shown live in a window (not headless, not batch mode). */
	public boolean showsPlot() {
		return showPlot;
	}

	/** True once the user pressed Esc. */
	@Override
	public boolean getAsBoolean() {
		return IJ.escapePressed();
	}

	/** Clears the progress bar and says how training ended. */
	public void finished(final boolean cancelled) {
		IJ.showProgress(1.0);
		IJ.showStatus(cancelled ? "DeepClass: training stopped; the model of the last completed " +
			"epoch was kept" : "DeepClass: training done");
	}

	/** The loss/accuracy plot as an image, for headless runs. */
	public ImagePlus plotImage() {
		return history.isEmpty() ? null : plot().getImagePlus();
	}

	/** Loss and accuracy per epoch, training and validation. */
	public Plot plot() {
		final Plot plot = new Plot(PLOT_TITLE, "epoch", "loss / accuracy");
		final int n = history.size();
		final double[] x = new double[n];
		final double[][] series = new double[4][n];
		double max = 1;
		for (int i = 0; i < n; i++) {
			final EpochStats s = history.get(i);
			x[i] = s.epoch();
			series[0][i] = s.trainLoss();
			series[1][i] = s.validationLoss();
			series[2][i] = s.trainAccuracy();
			series[3][i] = s.validationAccuracy();
			for (final double[] values : series)
				if (Double.isFinite(values[i])) max = Math.max(max, values[i]);
		}
		final String[] names = { "train loss", "validation loss", "train accuracy",
			"validation accuracy" };
		final Color[] colors = { Color.blue, Color.red, new Color(0, 150, 255), new Color(230, 120,
			0) };
		final StringBuilder legend = new StringBuilder();
		for (int k = 0; k < 4; k++) {
			if (k % 2 == 1 && Double.isNaN(series[k][0])) continue;
			plot.setColor(colors[k], colors[k]); // lines and circles in the legend's colour
			plot.setLineWidth(2);
			plot.add(k < 2 ? "line" : "connected circle", x, series[k]);
			legend.append(names[k]).append('\n');
		}
		plot.setLimits(0.5, Math.max(1.5, n + 0.5), 0, max * 1.05);
		plot.setColor(Color.black);
		plot.addLegend(legend.toString().trim());
		plot.addLabel(0, 0, "Training: loss and accuracy per epoch"); // the window title is not
		// on a screenshot or a saved plot
		return plot;
	}

	private static String duration(final double seconds) {
		final long s = Math.round(seconds);
		return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60) : String
			.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
	}
}
