package io.deepclass.core.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.learning.config.Sgd;

import io.deepclass.core.data.ImageShape;
import io.deepclass.core.model.ArchitectureSpec;
import io.deepclass.core.model.Architectures;
import io.deepclass.core.model.Network;

/**
 * On a Linux CPU with AVX2 the oneDNN build of ND4J loads and DL4J's layers use it (measured:
 * bncnn 2.6x faster to train, 5x to classify); elsewhere the generic build does. Either way
 * the System Check says which.
 */
class NativeBackendTest {

	@Test
	void oneDnnBuildAndLayerHelpersWhereTheCpuHasAvx2() {
		final boolean avx2 = System.getProperty("os.name").toLowerCase().startsWith("linux") &&
			NativeBackend.cpuHas("avx2");
		final String extension = NativeBackend.select();
		final MultiLayerNetwork net = ((Network.Sequential) Architectures.build(ArchitectureSpec
			.parse("cnn:4,dense=8"), new ImageShape(1, 8, 8), 2, 1, new Sgd(0.01))).model();
		final Map<String, String> report = SystemReport.collect();
		assertEquals("loaded", report.get("native libraries"));
		// the dnnl natives ship for Linux x86-64 (the cpu profile)
		if (System.getProperty("os.name").toLowerCase().contains("linux") && "amd64".equals(System
			.getProperty("os.arch"))) {
			final String primitives = report.get("kept oneDNN primitives");
			assertTrue(primitives.matches("yes \\(oneDNN \\d+\\.\\d+\\.\\d+ through JavaCPP.*"),
				primitives);
		}
		if (avx2) {
			assertEquals("-onednn-avx2", extension);
			assertTrue(NativeBackend.loadedBuild().contains("ONEDNN"), NativeBackend.loadedBuild());
			assertTrue(NativeBackend.oneDnnLayers());
			assertNotNull(((ConvolutionLayer) net.getLayer(0)).getHelper(), "conv through oneDNN");
			assertNotNull(((BatchNormalization) net.getLayer(1)).getHelper(), "BatchNorm through " +
				"oneDNN");
			assertTrue(report.get("native build").contains("variant onednn-avx2 (chosen: the CPU has " +
				"AVX2)"), report.get("native build"));
			assertTrue(report.get("oneDNN layers").startsWith("yes"), report.get("oneDNN layers"));
		}
		else {
			assertEquals("", extension);
			assertFalse(NativeBackend.loadedBuild().contains("ONEDNN"));
			assertTrue(report.get("oneDNN layers").startsWith("no"), report.get("oneDNN layers"));
		}
	}
}
