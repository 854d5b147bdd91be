package io.deepclass.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MergeShards as README runs it after a job array: the list's order, listed files without a row
 * counted, and refusals (shards of different models, rows of files not in the list) with exit
 * code 1 and no merged file.
 */
class MergeShardsTest {

	@TempDir
	Path dir;

	record Exit(int code, String output) {}

	private static Exit merge(final Path... args) throws IOException, InterruptedException {
		final List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"),
			"bin", "java").toString(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System
				.getProperty("java.class.path"), "io.deepclass.cluster.MergeShards"));
		for (final Path a : args)
			command.add(a.toString());
		final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
		final String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		return new Exit(p.waitFor(), output);
	}

	private static final String HEADER = "source,slice,roi,class,confidence,p_a,p_b";

	private String row(final String name, final String cls) {
		return dir.resolve(name) + ",0,0," + cls + ",0.9," + (cls.equals("a") ? "0.9,0.1" : "0.1,0.9");
	}

	@Test
	void mergesInTheListsOrderAndRefusesShardsThatDoNotBelong() throws Exception {
		final List<String> names = List.of("c.png", "a.png", "d.png", "b.png");
		for (final String n : names)
			Files.write(dir.resolve(n), new byte[] { 1 });
		final Path list = Files.write(dir.resolve("todo.txt"), names);
		final Path s0 = Files.write(dir.resolve("s0.csv"), List.of(HEADER, row("a.png", "a"), row(
			"c.png", "b")));
		final Path s1 = Files.write(dir.resolve("s1.csv"), List.of(HEADER, row("b.png", "b")));
		final Path out = dir.resolve("out.csv");

		final Exit ok = merge(list, out, s0, s1);
		assertEquals(0, ok.code(), ok.output());
		assertTrue(ok.output().contains("3 rows, 1 listed files have no row"), ok.output());
		assertEquals(List.of(HEADER, row("c.png", "b"), row("a.png", "a"), row("b.png", "b")), Files
			.readAllLines(out), "the list's order; d.png (skipped by its shard) left out");
		Files.delete(out);

		final Path otherModel = Files.write(dir.resolve("other.csv"), List.of(HEADER + ",p_c", row(
			"d.png", "a") + ",0.0"));
		final Exit columns = merge(list, out, s0, otherModel);
		assertEquals(1, columns.code(), columns.output());
		assertTrue(columns.output().contains("has other columns than the first shard's"), columns
			.output());
		assertFalse(Files.exists(out), "no merged file");

		final Path stray = Files.write(dir.resolve("stray.csv"), List.of(HEADER, row("e.png", "a")));
		final Exit unlisted = merge(list, out, s0, stray);
		assertEquals(1, unlisted.code(), unlisted.output());
		assertTrue(unlisted.output().contains("1 shard rows name files that are not in the list"),
			unlisted.output());
		assertFalse(Files.exists(out), "no merged file");
		assertFalse(Files.exists(dir.resolve("out.csv.part")), "nor a partial one");

		assertEquals(2, merge(list, out).code(), "usage: a list, an output and shards");
	}
}
