package io.deepclass.demo;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import io.deepclass.core.backend.NativeBackend;
import io.deepclass.core.cells.CellLoop;
import io.deepclass.core.cells.CellModel;
import io.deepclass.core.cells.PretrainedCells;
import io.deepclass.core.cells.ScratchCells;
import io.deepclass.core.data.Dataset;
import io.deepclass.core.data.ImageShape;
import io.deepclass.core.transfer.Backbone;
import io.deepclass.ij.cells.CellImages;
import io.deepclass.ij.cells.CellSession;

/**
 * The interactive loop's speed on 500 ROIs of a 1024 x 1024 image (Fashion-MNIST T-shirts,
 * trousers, sneakers and bags pasted as cells): features of every cell once, then retrain plus
 * recolour of every ROI at 20, 50 and 100 labels (median of 3), and the cross-validation that
 * follows each retrain in the panel. {@code CellsBench backbone.onnx inputSize} or
 * {@code CellsBench scratch}. Prints one JSON line per figure. Run by {@code bench/cells.sh}.
 */
public final class CellsBench {

	private static final PrintStream OUT = System.out;

	private CellsBench() {}

	public static void main(final String[] args) throws Exception {
		NativeBackend.select();
		final boolean scratch = "scratch".equals(args[0]);
		final CellModel model = scratch ? new ScratchCells(new ImageShape(1, 32, 32))
			: PretrainedCells.of(Backbone.load(Path.of(args[0]), null, Integer.parseInt(args[1])));
		final String name = scratch ? "scratch" : "features";
		final Dataset fashion = CellImages.fashionMnist("t10k");
		final CellImages.Cells cells = CellImages.tile(fashion, new int[] { 0, 1, 7, 8 }, 0, 500, 1024,
			1);
		final long start = System.nanoTime();
		final CellSession session = CellSession.open(cells.image(), cells.rois(), model, null, 0,
			cells.classNames(), 42, null, null);
		final double features = (System.nanoTime() - start) / 1e9;
		emit(name, "features_once", features, cells.rois().length, 0);
		final int[] truth = cells.truth();
		for (final int labels : new int[] { 20, 50, 100 }) {
			final int perClass = labels / 4;
			final int[] given = new int[4];
			final List<Integer> chosen = new ArrayList<>();
			for (int i = 0; i < truth.length; i++)
				if (given[truth[i]] < perClass) {
					given[truth[i]]++;
					chosen.add(i);
				}
			for (final int cell : chosen)
				session.label(new int[] { cell }, truth[cell]);
			final double[] seconds = new double[3], retrain = new double[3];
			for (int r = 0; r < 3; r++) {
				retrain[r] = session.retrain().seconds();
				seconds[r] = session.lastSeconds();
			}
			Arrays.sort(seconds);
			Arrays.sort(retrain);
			emit(name, "retrain_only", retrain[1], cells.rois().length, labels);
			int right = 0, open = 0;
			for (int i = 0; i < truth.length; i++)
				if (session.loop().label(i) < 0) {
					open++;
					if (session.loop().last().predicted()[i] == truth[i]) right++;
				}
			final long cv0 = System.nanoTime();
			final CellLoop.CrossValidation cv = session.loop().crossValidate();
			final double cvSeconds = (System.nanoTime() - cv0) / 1e9;
			emit(name, "retrain_recolour", seconds[1], cells.rois().length, labels);
			emit(name, "cross_validation", cvSeconds, cells.rois().length, labels);
			OUT.printf(Locale.ROOT, "{\"peer\":\"deepclass\",\"model\":\"%s\",\"labels\":%d," +
				"\"unlabelled_accuracy\":%.4f,\"cv_accuracy\":%.4f}%n", name, labels, (double) right / open,
				cv.accuracy());
		}
	}

	private static void emit(final String model, final String what, final double seconds,
		final int cells, final int labels)
	{
		OUT.printf(Locale.ROOT, "{\"peer\":\"deepclass\",\"model\":\"%s\",\"what\":\"%s\"," +
			"\"cells\":%d,\"labels\":%d,\"seconds\":%.3f}%n", model, what, cells, labels, seconds);
	}
}
