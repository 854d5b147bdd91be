package io.deepclass.core.predict;

import java.util.ArrayList;
import java.util.List;

import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import io.deepclass.core.DeepClassException;
import io.deepclass.core.Interval;
import io.deepclass.core.data.Dataset;

/**
 * How predictions compare with the truth, computed by DL4J's {@link Evaluation}: accuracy, the
 * confusion matrix ({@code confusion[actual][predicted]}) and per-class precision, recall and
 * F1, indexed like the model's classes.
 */
public record EvaluationReport(List<String> classNames, int count, double accuracy,
	int[][] confusion, double[] precision, double[] recall, double[] f1)
{

	/**
	 * @param truth the labelled images the predictions were made for, in the same order; its
	 *          classes are matched to the model's by name
	 */
	public static EvaluationReport of(final Dataset truth, final Predictions predictions) {
		final List<String> classes = predictions.classNames();
		final int k = classes.size();
		final int n = predictions.size();
		final int[] toModel = new int[truth.numClasses()];
		for (int c = 0; c < toModel.length; c++) {
			toModel[c] = classes.indexOf(truth.classNames().get(c));
			if (toModel[c] < 0)
				throw new DeepClassException("the labelled images have class '" + truth.classNames().get(
					c) + "', which the model does not know (its classes: " + String.join(", ", classes) +
					"). Rename the class to one of the model's or use a model trained with it.");
		}
		final float[] labels = new float[n * k];
		final float[] probs = new float[n * k];
		int labelled = 0;
		for (int i = 0; i < n; i++) {
			if (truth.label(i) < 0) continue;
			labels[labelled * k + toModel[truth.label(i)]] = 1;
			System.arraycopy(predictions.probabilities()[i], 0, probs, labelled * k, k);
			labelled++;
		}
		if (labelled == 0)
			throw new DeepClassException("none of the images has a known class, so nothing can be " +
				"evaluated.");
		final Evaluation evaluation = new Evaluation(classes);
		final INDArray labelArray = Nd4j.create(labels, new long[] { n, k }, 'c').get(
			NDArrayIndex.interval(0, labelled),
			NDArrayIndex.all());
		final INDArray probArray = Nd4j.create(probs, new long[] { n, k }, 'c').get(
			NDArrayIndex.interval(0, labelled),
			NDArrayIndex.all());
		evaluation.eval(labelArray, probArray);
		final int[][] confusion = new int[k][k];
		final double[] precision = new double[k];
		final double[] recall = new double[k];
		final double[] f1 = new double[k];
		for (int a = 0; a < k; a++) {
			for (int p = 0; p < k; p++)
				confusion[a][p] = evaluation.getConfusionMatrix().getCount(a, p);
			precision[a] = evaluation.precision(a);
			recall[a] = evaluation.recall(a);
			f1[a] = evaluation.f1(a);
		}
		return new EvaluationReport(classes, labelled, evaluation.accuracy(), confusion, precision,
			recall, f1);
	}

	/** Classes with fewer test images than this get a warning: their recall says little. */
	public static final int FEW_IMAGES = 10;

	/** The accuracy's 95 % confidence interval (Wilson). */
	public Interval accuracyInterval() {
		long correct = 0;
		for (int c = 0; c < confusion.length; c++)
			correct += confusion[c][c];
		return Interval.wilson(correct, count);
	}

	/** How many test images each class has. */
	public int[] support() {
		final int[] support = new int[confusion.length];
		for (int a = 0; a < confusion.length; a++)
			for (final int n : confusion[a])
				support[a] += n;
		return support;
	}

	/** The 95 % confidence interval (Wilson) of each class's recall. */
	public Interval[] recallIntervals() {
		final int[] support = support();
		final Interval[] intervals = new Interval[support.length];
		for (int c = 0; c < support.length; c++)
			intervals[c] = Interval.wilson(confusion[c][c], support[c]);
		return intervals;
	}

	/** The mean recall over the classes that have test images (chance: 1 / classes). */
	public double balancedAccuracy() {
		final int[] support = support();
		double sum = 0;
		int classes = 0;
		for (int c = 0; c < support.length; c++)
			if (support[c] > 0) {
				sum += (double) confusion[c][c] / support[c];
				classes++;
			}
		return classes == 0 ? Double.NaN : sum / classes;
	}

	/**
	 * Warnings about how far the figures can be trusted: classes with fewer than
	 * {@value #FEW_IMAGES} test images (or none).
	 */
	public List<String> warnings() {
		final int[] support = support();
		final List<String> warnings = new ArrayList<>();
		for (int c = 0; c < support.length; c++)
			if (support[c] < FEW_IMAGES) warnings.add("class '" + classNames.get(c) + "' has " + (support[
				c] == 0 ? "no test images: its recall is unknown" : "only " + support[c] + " test " +
					(support[c] == 1 ? "image" : "images") + ": its recall " + recallIntervals()[c].percent(
						recall[c]) + " says little") + ". Evaluate on more labelled images of it.");
		return warnings;
	}

	/** The confusion matrix as aligned text, rows = actual, columns = predicted. */
	public String confusionMatrixText() {
		final int k = classNames.size();
		int width = 6;
		for (final String name : classNames)
			width = Math.max(width, Math.min(name.length(), 12) + 1);
		final StringBuilder text = new StringBuilder(String.format("%-" + width + "s", "actual\\pred"));
		for (int p = 0; p < k; p++)
			text.append(String.format("%" + width + "s", abbreviate(classNames.get(p))));
		text.append('\n');
		for (int a = 0; a < k; a++) {
			text.append(String.format("%-" + width + "s", abbreviate(classNames.get(a))));
			for (int p = 0; p < k; p++)
				text.append(String.format("%" + width + "d", confusion[a][p]));
			text.append('\n');
		}
		return text.toString();
	}

	private static String abbreviate(final String name) {
		return name.length() <= 12 ? name : name.substring(0, 11) + ".";
	}
}
