package io.deepclass.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ij.ImagePlus;
import ij.io.FileSaver;
import ij.process.ByteProcessor;

import io.deepclass.core.TestData;
import io.deepclass.core.data.Dataset;
import io.deepclass.ij.bridge.Headless;
import io.deepclass.ij.bridge.HeadlessImageJ;

/**
 * The command line against the macro path (the Fiji bridge run by {@link Headless}): the same
 * rows from classify, the same tables from evaluate, the same training history; shard, resume
 * and merge give what one run gives; exit codes and messages for bad usage and failures; help
 * made from the commands' parameters.
 */
class DeepClassCliTest {

	@TempDir
	static Path dir;

	static Path train, images, list, model;

	/** What one command line did. */
	record Result(int code, String out, String err) {}

	@BeforeAll
	static void stripes() throws Exception {
		train = stripes(dir.resolve("train"), 80, 1, false);
		images = stripes(dir.resolve("images"), 90, 2, true);
		final List<String> paths = new ArrayList<>();
		try (Stream<Path> s = Files.list(images)) {
			s.map(p -> "images/" + p.getFileName()).sorted().forEach(paths::add);
		}
		Collections.shuffle(paths, new Random(3)); // the list's order, not the folder's, counts
		list = Files.write(dir.resolve("todo.txt"), paths);
		model = dir.resolve("cli.zip");
		final Result r = cli("train", "--folder", train.toString(), "--model", model.toString(),
			"--architecture", "custom", "--custom-architecture", "mlp:32", "--epochs", "3",
			"--batch-size", "16", "--optimizer", "adam", "--learning-rate", "0.003", "--seed", "42");
		assertEquals(0, r.code(), r.err());
		assertTrue(Files.isRegularFile(model), r.err());
		// stdout holds the history table and nothing else: the epochs' log lines went to stderr
		assertEquals("epoch,train_loss,train_accuracy,validation_loss,validation_accuracy," +
			"learning_rate,seconds,images_per_second", r.out().lines().findFirst().orElse(""), r.out());
		assertEquals(4, r.out().lines().count(), r.out());
		assertTrue(r.err().contains("model saved to " + model), r.err());
	}

	@Test
	void trainingGivesTheMacrosHistory() throws Exception {
		final Path tables = dir.resolve("macro-train-tables");
		macro("run(\"Train Classifier\", \"folder=[" + train + "] architecture=custom " +
			"custom_architecture=mlp:32 epochs=3 batch_size=16 optimizer=adam learning_rate=0.003 " +
			"seed=42 model_file=[" + dir.resolve("macro.zip") + "] save_tables=[" + tables + "]\");");
		final Path cliTables = dir.resolve("cli-train-tables");
		final Result r = cli("train", "--folder", train.toString(), "--model", dir.resolve("cli2.zip")
			.toString(), "--architecture", "custom", "--custom-architecture", "mlp:32", "--epochs", "3",
			"--batch-size", "16", "--optimizer", "adam", "--learning-rate", "0.003", "--save-tables",
			cliTables.toString());
		assertEquals(0, r.code(), r.err());
		// losses and accuracies of every epoch; the last two columns are times
		final List<String> expected = Files.readAllLines(tables.resolve(
			"DeepClass Training History.csv")).stream().map(DeepClassCliTest::withoutTimes).toList();
		assertEquals(4, expected.size());
		assertEquals(expected, r.out().lines().map(DeepClassCliTest::withoutTimes).toList());
		assertEquals(expected, Files.readAllLines(cliTables.resolve("DeepClass Training History.csv"))
			.stream().map(DeepClassCliTest::withoutTimes).toList());
	}

	private static String withoutTimes(final String line) {
		final String[] cells = line.split(",");
		return String.join(",", Arrays.copyOf(cells, cells.length - 2));
	}

	@Test
	void classifyWritesTheMacrosRows() throws Exception {
		final Path byMacro = dir.resolve("macro.csv"), byCli = dir.resolve("cli.csv");
		macro("run(\"Classify Images\", \"model_file=[" + model + "] input=list list_file=[" + list +
			"] save_csv=[" + byMacro + "]\");");
		final Result r = cli("classify", "--model", model.toString(), "--list", list.toString(),
			"--csv", byCli.toString());
		assertEquals(0, r.code(), r.err());
		assertEquals("", r.out(), "the results went to the CSV");
		assertTrue(r.err().contains("classified 90 of 90 files"), r.err());
		assertEquals(91, Files.readAllLines(byCli).size());
		assertEquals(Files.readString(byMacro), Files.readString(byCli));
		// a folder to stdout: the table the macro saves with save_tables
		final Path tables = dir.resolve("macro-classify-tables");
		macro("run(\"Classify Images\", \"model_file=[" + model + "] input=folder folder=[" + images +
			"] save_tables=[" + tables + "]\");");
		final Result folder = cli("classify", "--model", model.toString(), "--folder", images
			.toString());
		assertEquals(0, folder.code(), folder.err());
		assertEquals(Files.readString(tables.resolve("DeepClass Results.csv")), folder.out());
	}

	@Test
	void evaluateWritesTheMacrosTables() throws Exception {
		final Path byMacro = dir.resolve("macro-eval"), byCli = dir.resolve("cli-eval");
		macro("run(\"Evaluate Classifier\", \"model_file=[" + model + "] folder=[" + train +
			"] save_tables=[" + byMacro + "]\");");
		final Result r = cli("evaluate", "--model", model.toString(), "--folder", train.toString(),
			"--save-tables", byCli.toString());
		assertEquals(0, r.code(), r.err());
		for (final String table : List.of("DeepClass Evaluation.csv",
			"DeepClass Confusion Matrix.csv"))
		{
			final String expected = Files.readString(byMacro.resolve(table));
			assertEquals(expected, Files.readString(byCli.resolve(table)), table);
			assertTrue(r.out().contains(expected), "stdout holds " + table + ":\n" + r.out());
		}
		assertTrue(r.out().startsWith("# DeepClass Evaluation\n"), r.out());
	}

	@Test
	void shardsResumedAndMergedGiveOneRunsCsv() throws Exception {
		final Path one = dir.resolve("one.csv"), shards = dir.resolve("shards");
		assertEquals(0, cli("classify", "--model", model.toString(), "--list", list.toString(),
			"--csv", one.toString()).code());
		final Result cut = cli("shard", "--list", list.toString(), "--shards", "3", "--out", shards
			.toString());
		assertEquals(0, cut.code(), cut.err());
		assertEquals(List.of(shards.resolve("shard-0.txt").toString(), shards.resolve("shard-1.txt")
			.toString(), shards.resolve("shard-2.txt").toString()), cut.out().lines().toList());
		assertEquals(dir.resolve(Files.readAllLines(list).get(30)).toString(), Files.readAllLines(
			shards.resolve("shard-1.txt")).get(0), "contiguous pieces, absolute paths");
		for (int s = 0; s < 3; s++)
			assertEquals(0, cli("classify", "--model", model.toString(), "--list", shards.resolve(
				"shard-" + s + ".txt").toString(), "--csv", shards.resolve("shard-" + s + ".csv")
					.toString(), "--resume").code());
		// shard 1 killed mid-way: 12 rows and half a line; the merge refuses it, resume finishes it
		final Path killed = shards.resolve("shard-1.csv");
		final List<String> rows = Files.readAllLines(killed);
		Files.writeString(killed, String.join("\n", rows.subList(0, 13)) + "\n" + rows.get(13)
			.substring(0, 20));
		final List<String> csvs = List.of(shards.resolve("shard-0.csv").toString(), killed.toString(),
			shards.resolve("shard-2.csv").toString());
		final Path merged = dir.resolve("merged.csv");
		final Result refused = cli(merge(merged, csvs));
		assertEquals(1, refused.code());
		assertTrue(refused.err().contains("half-written line"), refused.err());
		final Result resumed = cli("classify", "--model", model.toString(), "--list", shards.resolve(
			"shard-1.txt").toString(), "--csv", killed.toString(), "--resume");
		assertEquals(0, resumed.code(), resumed.err());
		assertTrue(resumed.err().contains("12 files already done"), resumed.err());
		final Result ok = cli(merge(merged, csvs));
		assertEquals(0, ok.code(), ok.err());
		assertTrue(ok.err().contains("merged 3 shards into " + merged + ": 90 rows"), ok.err());
		assertEquals(Files.readString(one), Files.readString(merged));
	}

	private static String[] merge(final Path merged, final List<String> shards) {
		final List<String> args = new ArrayList<>(List.of("merge", "--list", list.toString(), "--csv",
			merged.toString()));
		args.addAll(shards);
		return args.toArray(String[]::new);
	}

	@Test
	void badUsageExitsWith2AndSaysWhatToFix() {
		assertUsage("unknown subcommand 'clasify'", "clasify");
		assertUsage("unknown option '--modle'", "classify", "--modle", "m.zip");
		assertUsage("missing --model-file FILE", "classify", "--list", "x.txt");
		assertUsage("missing --input", "classify", "--model", "m.zip");
		assertUsage("'stack' is not a valid --input; choose one of: folder, list", "classify",
			"--model", "m.zip", "--input", "stack");
		assertUsage("--epochs needs a whole number, not 'ten'", "train", "--folder", "f", "--model",
			"m.zip", "--epochs", "ten");
		assertUsage("'rmsprop' is not a valid --optimizer; choose one of: sgd, adam", "train",
			"--folder", "f", "--model", "m.zip", "--optimizer", "rmsprop");
		assertUsage("--shards is given twice", "shard", "--list", "l", "--shards", "2", "--shards", "3");
		assertUsage("--csv needs a value (FILE)", "classify", "--model", "m.zip", "--list", "l.txt", "--csv");
		assertUsage("unexpected argument 'extra'", "classify", "--model", "m.zip", "extra");
		assertEquals(2, cli().code(), "no subcommand");
	}

	private static void assertUsage(final String expected, final String... args) {
		final Result r = cli(args);
		assertEquals(2, r.code(), r.err());
		assertTrue(r.err().contains(expected), "'" + expected + "' in: " + r.err());
	}

	@Test
	void failuresExitWith1AndOneLine() throws IOException {
		final Result noModel = cli("classify", "--model", dir.resolve("none.zip").toString(),
			"--list", list.toString());
		assertEquals(1, noModel.code());
		assertEquals("deepclass classify: the model file '" + dir.resolve("none.zip") + "' does not " +
			"exist. Check the path, or train a model first with Train Classifier.", lastLine(noModel));
		final Result fewFiles = cli("shard", "--list", list.toString(), "--shards", "91", "--out", dir
			.resolve("s91").toString());
		assertEquals(1, fewFiles.code());
		assertTrue(lastLine(fewFiles).contains("names 90 files, fewer than 91 shards"), fewFiles.err());
		final Path other = Files.writeString(dir.resolve("other.txt"), images.resolve(
			"nothing.png") + "\n");
		final Result notListed = cli("merge", "--list", other.toString(), "--csv", dir.resolve(
			"m.csv").toString(), dir.resolve("one.csv").toString(), dir.resolve("cli.csv").toString());
		assertEquals(1, notListed.code(), notListed.err());
	}

	private static String lastLine(final Result r) {
		final List<String> lines = r.err().lines().toList();
		return lines.get(lines.size() - 1);
	}

	@Test
	void helpIsMadeFromTheCommandsParameters() {
		final Result overview = cli("--help");
		assertEquals(0, overview.code());
		for (final String sub : List.of("classify", "train", "evaluate", "export", "shard", "merge",
			"system-check"))
			assertTrue(overview.out().contains("\n  " + sub + " "), sub + " in:\n" + overview.out());
		final Result train = cli("train", "--help");
		assertEquals(0, train.code(), train.err());
		// names, choices, defaults and descriptions of TrainClassifierCommand's @Parameter fields
		for (final String expected : List.of("--lr-schedule constant|step|plateau",
			"--normalization percentile|bit depth|dataset|none", "--seed N", "Default: 42.",
			"--validation-fraction NUMBER", "--model-file, --model FILE", "--initial-model FILE",
			"a model file to go on training", "run(\"Train Classifier\", ...)"))
			assertTrue(train.out().contains(expected), expected + " in:\n" + train.out());
		assertFalse(train.out().contains("--dataset"), "an open image has no command-line form");
		final Result classify = cli("classify", "--help");
		assertTrue(classify.out().contains("--resume\n      with save_csv: keep the rows"),
			classify.out());
		assertFalse(classify.out().contains("--saliency"), classify.out());
	}

	@Test
	void theLauncherRunsTheCommandLine() throws Exception {
		final ProcessBuilder pb = new ProcessBuilder("bash", Path.of("scripts/deepclass")
			.toAbsolutePath().toString(), "merge", "--list");
		pb.environment().put("DEEPCLASS_CP", System.getProperty("java.class.path"));
		pb.environment().put("DEEPCLASS_JVM_OPTS", "-Xmx256m -XX:TieredStopAtLevel=1");
		final Process p = pb.start();
		p.getOutputStream().close();
		final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		final String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
		assertEquals(2, p.waitFor(), err);
		assertEquals("", out);
		assertEquals("deepclass merge: --list needs a value (FILE). (deepclass merge --help)\n",
			err);
	}

	static Result cli(final String... args) {
		final ByteArrayOutputStream out = new ByteArrayOutputStream(), err =
			new ByteArrayOutputStream();
		final int code = DeepClassCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
			new PrintStream(err, true, StandardCharsets.UTF_8));
		return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(
			StandardCharsets.UTF_8));
	}

	/** Runs macro code as the headless launcher does; fails unless it ran to its end. */
	static void macro(final String code) throws Exception {
		HeadlessImageJ.install();
		final PrintStream stdout = System.out;
		final ByteArrayOutputStream log = new ByteArrayOutputStream();
		System.setOut(new PrintStream(log, true, StandardCharsets.UTF_8));
		final boolean completed;
		try {
			completed = Headless.runMacro("setBatchMode(true);\n" + code, "");
		}
		finally {
			System.setOut(stdout);
		}
		assertTrue(completed, log.toString(StandardCharsets.UTF_8));
	}

	/** Stripes as 8-bit PNGs, in class sub-folders or flat. */
	static Path stripes(final Path root, final int n, final long seed, final boolean flat)
		throws IOException
	{
		final Dataset d = TestData.stripes(n, 16, seed);
		for (int i = 0; i < d.size(); i++) {
			final Path folder = flat ? root : root.resolve(d.classNames().get(d.label(i)));
			Files.createDirectories(folder);
			final float[] pixels = d.image(i);
			final byte[] bytes = new byte[pixels.length];
			for (int p = 0; p < pixels.length; p++)
				bytes[p] = (byte) Math.max(0, Math.min(255, Math.round(pixels[p])));
			new FileSaver(new ImagePlus("s", new ByteProcessor(16, 16, bytes))).saveAsPng(folder
				.resolve(String.format("%s-%03d.png", d.classNames().get(d.label(i)), i)).toString());
		}
		return root;
	}
}
