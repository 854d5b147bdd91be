package io.deepclass.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.deepclass.core.TestData;
import io.deepclass.core.bundle.ModelFiles;
import io.deepclass.core.train.TrainingSettings;

/**
 * README.md and the user guide in docs/: every link resolves (files, and {@code #anchors} to a
 * heading of the linked page), README stays short, its macro is the one in macros/ that the
 * tests run, and the user pages carry no commit hashes or branch names.
 */
class DocsTest {

	private static final Pattern LINK = Pattern.compile("!?\\[[^\\]]*\\]\\(([^)\\s]+)\\)");

	private static final Pattern FENCE = Pattern.compile("(?s)```(\\w*)\\n(.*?)```");

	/** Pages for developers, which name commits on purpose (where a figure was measured). */
	private static final Set<Path> DEVELOPER_PAGES = Set.of(Paths.get("docs/performance.md"),
		Paths.get("docs/developers.md"), Paths.get("docs/data/README.md"));

	static List<Path> pages() throws IOException {
		final List<Path> pages = new ArrayList<>(List.of(Paths.get("README.md")));
		try (Stream<Path> docs = Files.walk(Paths.get("docs"))) {
			docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
		}
		return pages;
	}

	@Test
	void everyLinkResolves() throws IOException {
		final List<String> broken = new ArrayList<>();
		int links = 0;
		for (final Path page : pages()) {
			final String text = withoutCode(Files.readString(page));
			final Matcher m = LINK.matcher(text);
			while (m.find()) {
				final String target = m.group(1);
				if (target.matches("^(https?|mailto|file):.*")) continue;
				links++;
				final int hash = target.indexOf('#');
				final String file = hash < 0 ? target : target.substring(0, hash);
				final Path resolved = file.isEmpty() ? page : page.toAbsolutePath().getParent().resolve(
					file).normalize();
				if (!Files.exists(resolved)) {
					broken.add(page + ": " + target + " (no file " + resolved + ")");
					continue;
				}
				if (hash >= 0 && !anchors(resolved).contains(target.substring(hash + 1)))
					broken.add(page + ": " + target + " (no heading with that anchor in " + file + ")");
			}
		}
		assertTrue(links > 40, "only " + links + " relative links found: is the pattern still right?");
		assertTrue(broken.isEmpty(), "broken links:\n" + String.join("\n", broken));
	}

	@Test
	void anchorsAreGitHubs() {
		assertEquals(Set.of("is-my-model-any-good", "transfer-learning-start-from-a-pretrained-network",
			"many-rois-streaming-export"), anchorsOf("# Is my model any good?\n## Transfer learning: " +
				"start from a pretrained network\n### Many ROIs, streaming, export\n"));
	}

	@Test
	void readmeIsShortAndItsMacroIsAnExampleTheTestsRun() throws IOException {
		final Path readme = Paths.get("README.md");
		assertTrue(Files.size(readme) <= 15_000, "README.md is " + Files.size(readme) + " bytes; " +
			"keep it under 15 kB and move detail into docs/");
		final String tested = Files.readString(Paths.get(
			"src/test/java/io/deepclass/ij/bridge/MacroExamplesTest.java"));
		final Matcher m = FENCE.matcher(Files.readString(readme));
		int macros = 0;
		while (m.find()) {
			if (!m.group(1).equals("ijm")) continue;
			macros++;
			final String block = m.group(2);
			boolean found = false;
			try (Stream<Path> files = Files.list(Paths.get("macros"))) {
				for (final Path macro : files.toList())
					if (Files.readString(macro).contains(block) && tested.contains("\"" + macro
						.getFileName() + "\"")) found = true;
			}
			assertTrue(found, "README's macro is not a verbatim excerpt of a file in macros/ that " +
				"MacroExamplesTest runs:\n" + block);
		}
		assertTrue(macros >= 1, "README shows no ```ijm macro");
	}

	/**
	 * README's command-line examples (the command line and the headless macro launcher), each run
	 * as written in a folder holding what it names (a model, a folder of images), with only its
	 * class path pointed at this build's jars.
	 */
	@Test
	void readmesCommandLinesRun(@TempDir final Path dir) throws Exception {
		final Matcher m = FENCE.matcher(Files.readString(Paths.get("README.md")));
		final List<String> commands = new ArrayList<>();
		while (m.find())
			if (m.group(1).equals("bash") && (m.group(2).contains("io.deepclass.ij.bridge.Headless") ||
				m.group(2).contains("io.deepclass.cli.DeepClassCli"))) commands.add(m.group(2).trim());
		assertEquals(2, commands.size(), "README's two ```bash examples, the command line and the " +
			"headless launcher: " + commands);
		ModelFiles.save(TestData.model("mlp100", TestData.stripes(80, 16, 1), null, TrainingSettings
			.defaults().withEpochs(2).withBatchSize(16)), dir.resolve("cells.zip"));
		Files.createDirectories(dir.resolve("new"));
		for (int i = 0; i < 6; i++) { // stripes, as the model learned: horizontal and vertical
			final ij.process.ByteProcessor ip = new ij.process.ByteProcessor(16, 16);
			for (int y = 0; y < 16; y++)
				for (int x = 0; x < 16; x++)
					ip.set(x, y, (i % 2 == 0 ? y : x) % 4 < 2 ? 220 : 30);
			new ij.io.FileSaver(new ij.ImagePlus("s", ip)).saveAsPng(dir.resolve("new/" + i + ".png")
				.toString());
		}
		Files.createDirectories(dir.resolve("macros"));
		Files.copy(Paths.get("macros/classify_folder_headless.ijm"), dir.resolve(
			"macros/classify_folder_headless.ijm"));
		final Pattern classPath = Pattern.compile("-cp (\"[^\"]*\")");
		for (final String command : commands) {
			final Matcher cp = classPath.matcher(command);
			assertTrue(cp.find(), "no -cp \"...\" in " + command);
			Files.deleteIfExists(dir.resolve("new.csv"));
			final Process p = new ProcessBuilder("bash", "-c", command.replace(cp.group(1), "'" + System
				.getProperty("java.class.path") + "'")).directory(dir.toFile()).redirectErrorStream(true)
				.start();
			final String output = new String(p.getInputStream().readAllBytes());
			assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), output);
			assertEquals(0, p.exitValue(), command + "\n" + output);
			assertEquals(7, Files.readAllLines(dir.resolve("new.csv")).size(), "header and 6 images: " +
				command + "\n" + output);
		}
	}

	@Test
	void userPagesNameNoCommitsOrBranches() throws IOException {
		final Pattern hash = Pattern.compile("\\b(?=[0-9a-f]*[a-f])(?=[0-9a-f]*[0-9])[0-9a-f]{7,40}\\b");
		final Pattern branch = Pattern.compile("(?i)\\b(branch|commit)\\b [`'\"]?[\\w-]+");
		for (final Path page : pages()) {
			final String text = Files.readString(page);
			final Matcher h = hash.matcher(text);
			if (!DEVELOPER_PAGES.contains(page)) {
				assertTrue(!h.find(), page + " names a commit: " + (h.find(0) ? h.group() : ""));
				final Matcher b = branch.matcher(text);
				assertTrue(!b.find(), page + " names a branch or commit: " + (b.find(0) ? b.group() : ""));
			}
		}
	}

	/** GitHub's anchors of a Markdown page's headings (lower case, punctuation dropped, - for spaces). */
	static Set<String> anchors(final Path page) throws IOException {
		return page.toString().endsWith(".md") ? anchorsOf(withoutCode(Files.readString(page)))
			: Set.of();
	}

	static Set<String> anchorsOf(final String markdown) {
		final Set<String> anchors = new HashSet<>();
		for (final String line : markdown.split("\n")) {
			final Matcher m = Pattern.compile("^#{1,6} +(.*?)\\s*$").matcher(line);
			if (!m.matches()) continue;
			final String slug = m.group(1).toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "")
				.replace(' ', '-');
			String unique = slug;
			for (int n = 1; !anchors.add(unique); n++)
				unique = slug + "-" + n;
		}
		return anchors;
	}

	/** The page without fenced code blocks (a '#' there is a comment, a '[x](y)' is code). */
	private static String withoutCode(final String markdown) {
		return FENCE.matcher(markdown).replaceAll("");
	}
}
