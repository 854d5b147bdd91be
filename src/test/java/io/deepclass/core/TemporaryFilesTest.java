package io.deepclass.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.deepclass.core.bundle.ModelFiles;
import io.deepclass.core.export.OnnxExporter;

/**
 * Results written through a temporary file (model files, ONNX exports) get the permissions of
 * any new file of the user, not the owner-only ones of {@code Files.createTempFile}: colleagues
 * on a shared server can read a model they were sent.
 */
class TemporaryFilesTest {

	@TempDir
	Path dir;

	private Set<PosixFilePermission> plain() throws IOException {
		return Files.getPosixFilePermissions(Files.createFile(dir.resolve("plain.txt")));
	}

	@Test
	void temporaryFilesAreHiddenBesideTheTargetWithTheUsersPermissions() throws IOException {
		Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
		final Path temp = TemporaryFiles.beside(dir.resolve("model.zip"), ".part");
		assertTrue(temp.getFileName().toString().matches("\\.model\\.zip\\d+\\.part"), temp.toString());
		assertEquals(plain(), Files.getPosixFilePermissions(temp));
	}

	@Test
	void savedModelsAndExportsAreAsReadableAsAnyNewFile() throws IOException {
		Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
		final var model = TestData.model("linear", TestData.stripes(20, 8, 1), null, io.deepclass.core.train
			.TrainingSettings.defaults().withEpochs(1));
		ModelFiles.save(model, dir.resolve("m.zip"));
		OnnxExporter.write(model, dir.resolve("m.onnx"));
		final Set<PosixFilePermission> expected = plain();
		assertEquals(expected, Files.getPosixFilePermissions(dir.resolve("m.zip")));
		assertEquals(expected, Files.getPosixFilePermissions(dir.resolve("m.onnx")));
	}

	@Test
	void anyFailureWhileWritingLeavesTheOldFileAndNoTemporary() throws IOException {
		final Path target = Files.writeString(dir.resolve("model.zip"), "old");
		for (final RuntimeException failure : new RuntimeException[] { new IllegalStateException(
			"DL4J failed"), new java.io.UncheckedIOException(new IOException("disk full")) })
		{
			final RuntimeException thrown = org.junit.jupiter.api.Assertions.assertThrows(failure
				.getClass(), () -> TemporaryFiles.writeAtomically(target, ".part", out -> {
					out.write(new byte[1000]);
					throw failure;
				}));
			assertEquals(failure, thrown);
			assertEquals("old", Files.readString(target));
			try (var files = Files.list(dir)) {
				assertEquals(List.of(target), files.toList(), "no temporary file left");
			}
		}
	}
}
