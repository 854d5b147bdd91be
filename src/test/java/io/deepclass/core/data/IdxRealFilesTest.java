package io.deepclass.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import org.junit.jupiter.api.Test;

import io.deepclass.core.CiRequirement;

/**
 * The real Fashion-MNIST test files from the Debian package dataset-fashion-mnist, which .ci/run
 * installs. Skipped where the package is absent, failed in CI.
 */
class IdxRealFilesTest {

	private static final Path DIR = Paths.get("/usr/share/datasets/fashion-mnist");

	@Test
	void readsTheDebianFashionMnistTestSet() throws IOException {
		CiRequirement.require(Files.isDirectory(DIR), "dataset-fashion-mnist is not installed");
		final Dataset test = IdxReader.readSplit(DIR, "t10k", IdxReader.FASHION_MNIST_CLASSES);
		assertEquals(10_000, test.size());
		assertEquals(new ImageShape(1, 28, 28), test.shape());
		final int[] thousandEach = new int[10];
		java.util.Arrays.fill(thousandEach, 1000);
		assertArrayEquals(thousandEach, test.classCounts());
		assertEquals(9, test.label(0), "the first test image is an ankle boot");
	}
}
