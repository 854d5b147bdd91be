package io.deepclass.core.inspect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

import io.deepclass.core.DeepClassException;
import io.deepclass.core.TestData;
import io.deepclass.core.bundle.ModelBundle;
import io.deepclass.core.data.Dataset;
import io.deepclass.core.model.Network;
import io.deepclass.core.train.TrainingSettings;

class NetworkInspectorTest {

	private static ModelBundle train(final String architecture, final Dataset data, final int epochs) {
		return TestData.model(architecture, data, null, TrainingSettings.defaults().withEpochs(epochs)
			.withBatchSize(16));
	}

	@Test
	void kernelsAreTheFirstLayersWeights() {
		final ModelBundle model = train("cnn:2-3,dense=8", TestData.stripes(32, 16, 1), 1);
		final MultiLayerNetwork net = ((Network.Sequential) model.network()).model();
		// two known kernels: vertical and horizontal edge
		final float[] known = new float[2 * 9];
		System.arraycopy(FixedFilters.VERTICAL_EDGE, 0, known, 0, 9);
		System.arraycopy(FixedFilters.HORIZONTAL_EDGE, 0, known, 9, 9);
		net.getLayer(0).setParam("W", Nd4j.create(known, new long[] { 2, 1, 3, 3 }, 'c'));

		final NetworkInspector inspector = new NetworkInspector(model);
		assertEquals(2, inspector.convolutionLayers());
		final ConvKernels k = inspector.kernels(1);
		assertEquals(2, k.filters());
		assertEquals(1, k.channels());
		assertArrayEquals(FixedFilters.VERTICAL_EDGE, k.kernel(0, 0));
		assertArrayEquals(FixedFilters.HORIZONTAL_EDGE, k.kernel(1, 0));
		assertEquals("conv1 + BatchNorm + ReLU (layers 0-2)", k.layer());
		final ConvKernels second = inspector.kernels(2);
		assertEquals(3, second.filters());
		assertEquals(2, second.channels(), "one kernel per input channel in deeper layers");

		final DeepClassException e = assertThrows(DeepClassException.class, () -> inspector
			.kernels(3));
		assertTrue(e.getMessage().contains("choose 1 to 2"), e.getMessage());
	}

	@Test
	void featureMapsFollowTheNetwork() {
		final Dataset data = TestData.stripes(32, 16, 1);
		final ModelBundle model = train("cnn:2-3,dense=8", data, 1);
		final NetworkInspector inspector = new NetworkInspector(model);
		final FeatureMaps first = inspector.featureMaps(data.image(0), 1);
		assertEquals(2, first.channels());
		assertEquals(16, first.height(), "same-size convolution before pooling");
		for (final float v : first.values())
			assertTrue(v >= 0, "after ReLU");
		final var all = inspector.allFeatureMaps(data.image(0));
		assertEquals(2, all.size());
		assertArrayEquals(first.values(), all.get(0).values());
		assertEquals(3, all.get(1).channels());
		assertEquals(8, all.get(1).height(), "after the first block's 2x2 pooling");

		final ModelBundle mlp = train("mlp100", data, 1);
		final DeepClassException e = assertThrows(DeepClassException.class,
			() -> new NetworkInspector(mlp).kernels(1));
		assertTrue(e.getMessage().contains("no convolution layers"), e.getMessage());
	}

	@Test
	void occlusionFindsTheOnlyInformativeRegion() {
		final Dataset train = TestData.blob(400, 16, 1);
		final ModelBundle model = train("cnn:8,bn=false,dense=16", train, 3);
		final NetworkInspector inspector = new NetworkInspector(model);
		final Dataset test = TestData.blob(10, 16, 2);
		for (int i = 1; i < test.size(); i += 2) {
			final float[] p = inspector.probabilities(test.image(i));
			assertTrue(p[1] > 0.9, "the model sees the blob: p=" + p[1]);
			final float[] map = inspector.occlusion(test.image(i), 1, 4, 1);
			final int max = argmax(map);
			final int y = max / 16, x = max % 16;
			assertTrue(y >= TestData.BLOB_Y && y < TestData.BLOB_Y + TestData.BLOB_SIDE &&
				x >= TestData.BLOB_X && x < TestData.BLOB_X + TestData.BLOB_SIDE,
				"saliency maximum at (" + x + ", " + y + ") is in the blob");
			assertTrue(map[max] > 0.2, "hiding the blob makes it less likely: drop " + map[max]);
			assertEquals(0, map[15 * 16], 0.05, "far from the blob hiding changes nothing");
		}
	}

	@Test
	void gradientTimesInputFromDl4jAgreesWithCentralDifferences() {
		final Dataset train = TestData.blob(200, 16, 1);
		final ModelBundle model = train("cnn:4,bn=false,dense=16,dropout=0", train, 2);
		final NetworkInspector inspector = new NetworkInspector(model);
		final MultiLayerNetwork net = ((Network.Sequential) model.network()).model();
		final Dataset test = TestData.blob(4, 16, 3);
		for (int i = 0; i < test.size(); i++) {
			final float[] analytic = inspector.analyticGradientTimesInput(net, test.image(i), 1);
			final float[] numeric = inspector.numericGradientTimesInput(test.image(i), 1);
			final double r = correlation(analytic, numeric);
			assertTrue(r > 0.95, "image " + i + ": correlation " + r);
			assertArrayEquals(analytic, inspector.gradientTimesInput(test.image(i), 1),
				"without BatchNorm and dropout DL4J's gradient is used");
		}
	}

	@Test
	void gradientTimesInputThroughBatchNormPointsAtTheBlob() {
		final Dataset train = TestData.blob(400, 16, 1);
		final ModelBundle model = train("cnn:4,dense=16", train, 3);
		final NetworkInspector inspector = new NetworkInspector(model);
		final Dataset test = TestData.blob(6, 16, 3);
		for (int i = 1; i < test.size(); i += 2) {
			final float[] map = inspector.gradientTimesInput(test.image(i), 1);
			double inside = 0, outside = 0;
			for (int p = 0; p < map.length; p++) {
				assertTrue(Float.isFinite(map[p]), "finite at " + p);
				final int y = p / 16, x = p % 16;
				final boolean in = y >= TestData.BLOB_Y && y < TestData.BLOB_Y + TestData.BLOB_SIDE &&
					x >= TestData.BLOB_X && x < TestData.BLOB_X + TestData.BLOB_SIDE;
				if (in) inside += Math.abs(map[p]) / (TestData.BLOB_SIDE * TestData.BLOB_SIDE);
				else outside += Math.abs(map[p]) / (256 - TestData.BLOB_SIDE * TestData.BLOB_SIDE);
			}
			assertTrue(inside > 3 * outside, "mean |saliency| in the blob " + inside + " vs " +
				outside + " elsewhere");
		}
	}

	private static int argmax(final float[] values) {
		int best = 0;
		for (int i = 1; i < values.length; i++)
			if (values[i] > values[best]) best = i;
		return best;
	}

	private static double correlation(final float[] a, final float[] b) {
		double ma = 0, mb = 0;
		for (int i = 0; i < a.length; i++) {
			ma += a[i];
			mb += b[i];
		}
		ma /= a.length;
		mb /= b.length;
		double ab = 0, aa = 0, bb = 0;
		for (int i = 0; i < a.length; i++) {
			ab += (a[i] - ma) * (b[i] - mb);
			aa += (a[i] - ma) * (a[i] - ma);
			bb += (b[i] - mb) * (b[i] - mb);
		}
		return ab / Math.sqrt(aa * bb);
	}
}
