package io.deepclass.core.engine;

import static io.deepclass.core.engine.FastLayersTest.assertClose;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;

import io.deepclass.core.data.ImageShape;
import io.deepclass.core.model.ArchitectureSpec;
import io.deepclass.core.model.Architectures;

/**
 * Off the CPU backend (the GPU variant on CUDA) networks keep DL4J's own layers and train and
 * predict as plain DL4J; on the CPU they get the fast layers.
 */
class FastSequentialTest {

	@ParameterizedTest
	@ValueSource(strings = { "mlp100", "lenet", "bncnn" })
	void offTheCpuBackendNetworksRunDl4jsOwnLayers(final String architecture) {
		final MultiLayerNetwork built = (MultiLayerNetwork) Architectures.build(ArchitectureSpec
			.parse(architecture), new ImageShape(1, 28, 28), 4, 3, new Nesterovs(0.01, 0.9)).model();
		final MultiLayerNetwork gpu = new MultiLayerNetwork(built.getLayerWiseConfigurations()
			.clone());
		gpu.init(built.params().dup(), false);
		final MultiLayerNetwork plain = new MultiLayerNetwork(built.getLayerWiseConfigurations()
			.clone());
		plain.init(built.params().dup(), false);
		final FastSequential onGpu = FastSequential.install(gpu, false);
		assertFalse(onGpu.fastLayers(), "no fast layer off the CPU backend");
		assertFalse(onGpu.fastDense());
		assertTrue(FastSequential.install(built, true).fastLayers(), "the CPU gets them");

		final INDArray x = Nd4j.rand(DataType.FLOAT, 8, 1, 28, 28);
		final INDArray y = Nd4j.zeros(DataType.FLOAT, 8, 4);
		for (int i = 0; i < 8; i++)
			y.putScalar(i, i % 4, 1);
		Nd4j.getRandom().setSeed(11); // the same dropout masks
		onGpu.fit(x, y);
		Nd4j.getRandom().setSeed(11);
		plain.fit(new org.nd4j.linalg.dataset.DataSet(x, y));
		assertClose(plain.params(), gpu.params(), 0, "same step as plain DL4J");
		assertClose(plain.output(x, false), onGpu.output(x), 0, "same output as plain DL4J");
	}
}
