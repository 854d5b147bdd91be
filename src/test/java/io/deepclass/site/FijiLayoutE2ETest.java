package io.deepclass.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;

/**
 * DeepClass installed from its update site next to Fiji's own jars, run the way Fiji starts:
 * an empty folder gets the site's linux64 files ({@link SiteInstaller}) and Fiji's versions of
 * every jar DeepClass takes from Fiji (pom-scijava's, from the local Maven repository, where
 * {@code scripts/update-site.sh} downloads them); ImageJ 1.x starts with the class path Fiji's
 * launcher builds ({@code jars/*.jar}, {@code jars/* /*.jar}, {@code plugins/*.jar}) and its
 * {@code --module-path=jars/linux64}, and a headless macro runs Import, Train (a small CNN),
 * Classify (folder to CSV), Export (ONNX) and System Check; the results are checked.
 */
@Tag("site")
class FijiLayoutE2ETest {

	private static final Path ROOT = TestSites.TARGET.resolve("fiji-e2e").toAbsolutePath();

	@Test
	void importTrainClassifyExportCheckOnFijisJars() throws Exception {
		final Path site = TestSites.deepClassSite();
		final List<Path> fijiJars = fijiJars(site);
		deleteTree(ROOT);
		final Path fiji = ROOT.resolve("Fiji.app");
		SiteInstaller.install(site.toUri(), "linux64", fiji);
		for (final Path jar : fijiJars)
			Files.copy(jar, fiji.resolve("jars").resolve(jar.getFileName()));
		final List<String> classPath = launcherClassPath(fiji);
		for (final String forbidden : List.of("jna-4.", "jna-platform-4.", "imglib2-7.",
			"gson-2.11", "scijava-common-2.99"))
			assertFalse(classPath.stream().anyMatch(p -> new File(p).getName().startsWith(
				forbidden)), forbidden + " on the class path");

		final Path train = images(ROOT.resolve("data/train"), 40, 1);
		final Path test = images(ROOT.resolve("data/test"), 15, 2);
		final Path out = Files.createDirectories(ROOT.resolve("out"));
		final Path macro = Files.writeString(ROOT.resolve("e2e.ijm"), String.join("\n",
			"setBatchMode(true);",
			"run(\"Import Dataset\", \"source=folder folder=[" + train + "] width=16 height=16 " +
				"channels=gray\");",
			"print(\"imported \" + nSlices);",
			"run(\"Train Classifier\", \"dataset=[\" + getTitle() + \"] architecture=custom " +
				"custom_architecture=[cnn:4-8,dense=16] epochs=6 batch_size=16 optimizer=adam " +
				"learning_rate=0.003 validation_fraction=0.25 seed=42 model_file=[" + out.resolve(
					"m.zip") + "]\");",
			"run(\"Classify Images\", \"model_file=[" + out.resolve("m.zip") + "] input=folder " +
				"folder=[" + test + "] save_csv=[" + out.resolve("classified.csv") + "]\");",
			"run(\"Export Model\", \"model_file=[" + out.resolve("m.zip") + "] format=onnx output=[" +
				out.resolve("m.onnx") + "]\");",
			"run(\"DeepClass System Check\");",
			"run(\"Get DeepClass Table\", \"table=[DeepClass System Check]\");",
			"Table.save(\"" + out.resolve("system.csv") + "\", \"Results\");",
			"print(\"e2e done\");", ""));

		final List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty(
			"java.home"), "bin", "java").toString(), "-Xmx2g", "-Djava.awt.headless=true",
			"-Dplugins.dir=" + fiji, "--module-path=" + fiji.resolve("jars/linux64"), "-cp", String
				.join(File.pathSeparator, classPath), "io.deepclass.ij.bridge.Headless", macro.toString()));
		final Path log = ROOT.resolve("run.log");
		final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(log.toFile()).directory(ROOT.toFile());
		builder.environment().put("OMP_NUM_THREADS", "2");
		final Process process = builder.start();
		assertTrue(process.waitFor(10, TimeUnit.MINUTES), "the run took over 10 minutes");
		final String output = Files.readString(log);
		assertEquals(0, process.exitValue(), output);
		assertTrue(output.contains("imported 80"), output);
		assertTrue(output.contains("e2e done"), output);

		final List<String> rows = Files.readAllLines(out.resolve("classified.csv"));
		final List<String> header = List.of(rows.get(0).split(","));
		assertEquals(31, rows.size(), "a row per test image: " + rows);
		final int correct = header.indexOf("correct");
		final long right = rows.stream().skip(1).filter(r -> r.split(",")[correct].trim().matches(
			"true|1|yes")).count();
		assertTrue(right >= 27, right + " of 30 right: " + rows);

		try (OrtEnvironment env = OrtEnvironment.getEnvironment();
				OrtSession session = env.createSession(out.resolve("m.onnx").toString()))
		{
			assertEquals(1, session.getInputNames().size());
		}
		final String system = Files.readString(out.resolve("system.csv"));
		assertTrue(system.contains("CPU"), system);
		assertTrue(system.contains("loaded"), system);
	}

	/** Fiji's versions of the jars DeepClass takes from Fiji, from the local Maven repository. */
	private static List<Path> fijiJars(final Path site) throws IOException {
		final Path list = site.resolveSibling(site.getFileName() + "-fiji-jars.txt");
		final Path repository = Path.of(System.getProperty("user.home"), ".m2", "repository");
		final List<Path> jars = new ArrayList<>();
		for (final String coordinates : Files.readAllLines(list)) {
			final String[] c = coordinates.split(":");
			final Path jar = repository.resolve(c[0].replace('.', '/')).resolve(c[1]).resolve(c[2])
				.resolve(c[1] + "-" + c[2] + ".jar");
			Assumptions.assumeTrue(Files.isRegularFile(jar), jar + " is missing: " +
				"scripts/update-site.sh downloads Fiji's versions from Maven Central");
			jars.add(jar);
		}
		return jars;
	}

	/** Fiji's launcher (config/fiji.toml): jars/*.jar, jars/* /*.jar, plugins/*.jar, plugins/* /*.jar. */
	static List<String> launcherClassPath(final Path fiji) throws IOException {
		final List<String> entries = new ArrayList<>();
		for (final String glob : List.of("jars/*.jar", "jars/*/*.jar", "plugins/*.jar",
			"plugins/*/*.jar"))
		{
			final var matcher = fiji.getFileSystem().getPathMatcher("glob:" + glob);
			try (Stream<Path> walk = Files.walk(fiji, 3)) {
				walk.filter(p -> matcher.matches(fiji.relativize(p))).sorted().forEach(p -> entries.add(p
					.toString()));
			}
		}
		return entries;
	}

	/** Two classes of 16 x 16 PNGs: horizontal and vertical stripes with noise. */
	private static Path images(final Path root, final int perClass, final long seed)
		throws IOException
	{
		final Random random = new Random(seed);
		for (final String cls : List.of("horizontal", "vertical")) {
			final Path folder = Files.createDirectories(root.resolve(cls));
			for (int i = 0; i < perClass; i++) {
				final BufferedImage image = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY);
				final int phase = random.nextInt(4);
				for (int y = 0; y < 16; y++)
					for (int x = 0; x < 16; x++) {
						final int t = cls.equals("horizontal") ? y : x;
						final int v = ((t + phase) / 2 % 2 == 0 ? 200 : 50) + random.nextInt(30);
						image.getRaster().setSample(x, y, 0, v);
					}
				ImageIO.write(image, "png", folder.resolve(cls + i + ".png").toFile());
			}
		}
		return root;
	}

	private static void deleteTree(final Path root) throws IOException {
		if (!Files.exists(root)) return;
		try (Stream<Path> walk = Files.walk(root)) {
			for (final Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList())
				Files.delete(p);
		}
	}
}
