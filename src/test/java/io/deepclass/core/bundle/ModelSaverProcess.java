package io.deepclass.core.bundle;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The process {@link ModelFilesKillTest} kills: saves two models in turn over one file, without
 * end, and says on standard output when each save starts and ends.
 * <p>
 * Arguments: the target file, then the two model files to alternate (the target starts as the
 * first).
 */
public final class ModelSaverProcess {

	private ModelSaverProcess() {}

	public static void main(final String[] args) throws IOException {
		final Path target = Path.of(args[0]);
		final ModelBundle[] models = { ModelFiles.load(Path.of(args[1])), ModelFiles.load(Path.of(
			args[2])) };
		System.out.println("ready");
		for (int i = 1;; i++) {
			System.out.println("saving " + i);
			ModelFiles.save(models[i % 2], target);
			System.out.println("saved " + i);
		}
	}
}
