package io.deepclass.ij.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/shard_classify.sh, run as a user would: a list of 300 images split over 3 launcher
 * processes and merged gives the same CSV as one process, rows in the list's order.
 */
class ShardClassifyScriptTest {

	@TempDir
	Path dir;

	@Test
	void threeShardsMergeIntoWhatOneProcessWrites() throws Exception {
		final Path train = MacroHarness.stripesFolder(dir.resolve("train"), 80, 16, 1, false);
		final Path model = dir.resolve("stripes.zip");
		final MacroHarness.Run training = MacroHarness.run("setBatchMode(true);\n" +
			"run(\"Train Classifier\", \"folder=[" + train + "] architecture=custom " +
			"custom_architecture=mlp:32 epochs=2 batch_size=16 optimizer=adam learning_rate=0.003 " +
			"validation_fraction=0.25 seed=42 model_file=[" + model + "]\");");
		assertTrue(training.completed(), training.output());
		final Path images = MacroHarness.stripesFolder(dir.resolve("images"), 300, 16, 2, true);
		final List<String> paths = new ArrayList<>();
		try (Stream<Path> s = Files.list(images)) {
			s.map(p -> "images/" + p.getFileName()).forEach(paths::add);
		}
		Collections.shuffle(paths, new Random(7)); // the list's order, not the folder's, counts
		final Path list = Files.write(dir.resolve("todo.txt"), paths);

		final Path one = dir.resolve("one.csv"), three = dir.resolve("three.csv");
		shard(model, list, one, 1);
		final String merged = shard(model, list, three, 3);
		assertTrue(merged.contains("merged 3 shards into " + three + ": 300 rows"), merged);
		for (int s = 0; s < 3; s++)
			assertEquals(101, Files.readAllLines(dir.resolve("three.csv.shards/shard-" + s + ".csv"))
				.size(), "shard " + s + ": header and 100 rows");
		final List<String> rows = Files.readAllLines(three);
		assertEquals(301, rows.size());
		assertEquals(dir.resolve(paths.get(0)).toString(), rows.get(1).split(",")[0]);
		assertEquals(dir.resolve(paths.get(299)).toString(), rows.get(300).split(",")[0]);
		assertEquals(Files.readString(one), Files.readString(three));
	}

	/** Runs the script; its output. */
	private String shard(final Path model, final Path list, final Path out, final int k)
		throws IOException, InterruptedException
	{
		final ProcessBuilder pb = new ProcessBuilder("bash", Path.of("scripts/shard_classify.sh")
			.toAbsolutePath().toString(), model.toString(), list.toString(), out.toString(), "" + k)
				.redirectErrorStream(true);
		pb.environment().put("DEEPCLASS_CP", System.getProperty("java.class.path"));
		pb.environment().put("DEEPCLASS_JVM_OPTS", "-Xmx512m -XX:TieredStopAtLevel=1");
		final Process p = pb.start();
		final String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertEquals(0, p.waitFor(), output);
		return output;
	}
}
