package io.deepclass.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The layout README's "Architecture" section describes, checked on the compiled classes: core
 * never names ImageJ, AWT, Swing or SciJava's UI, and its packages depend on each other one way
 * only, in the order of {@link #LAYERS}. Every class name a class file mentions (its constant
 * pool: referenced classes, field and method descriptors, generic signatures) counts.
 */
class PackageDependenciesTest {

	/** Core's packages, lowest first: each may use only those before it. */
	static final List<String> LAYERS = List.of("core", "core.engine", "core.backend",
		"core.data", "core.model", "core.train", "core.bundle", "core.predict", "core.inspect",
		"core.onnx", "core.transfer", "core.export", "core.pipeline", "core.cells");

	private static final List<String> FORBIDDEN = List.of("ij/", "java/awt/", "javax/swing/",
		"org/scijava/ui/");

	private static final Pattern DEEPCLASS_CLASS = Pattern.compile("io/deepclass/([\\w/]+)/\\w");

	@Test
	void coreNamesNoImageJAwtOrSwing() throws IOException {
		final Map<String, Set<String>> offenders = new TreeMap<>();
		for (final Path file : coreClassFiles())
			for (final String name : constantPoolStrings(file))
				for (final String forbidden : FORBIDDEN)
					if (name.startsWith(forbidden) || name.contains("L" + forbidden)) offenders
						.computeIfAbsent(className(file), k -> new TreeSet<>()).add(name);
		assertEquals(Map.of(), offenders, "core must stay free of ImageJ, AWT, Swing and " +
			"SciJava UI classes");
	}

	@Test
	void corePackagesDependOneWay() throws IOException {
		final Map<String, Set<String>> uses = packageDependencies();
		assertTrue(uses.keySet().containsAll(List.of("core.data", "core.engine", "core.backend",
			"core.model", "core.bundle")), "classes found: " + uses.keySet());
		final List<String> cycle = findCycle(uses);
		assertEquals(List.of(), cycle, "core packages import each other in a cycle");
		final List<String> upward = new ArrayList<>();
		for (final var entry : uses.entrySet()) {
			final int level = LAYERS.indexOf(entry.getKey());
			assertTrue(level >= 0, entry.getKey() + " is not in README's package table (LAYERS)");
			for (final String used : entry.getValue())
				if (LAYERS.indexOf(used) > level) upward.add(entry.getKey() + " -> " + used);
		}
		assertEquals(List.of(), upward, "imports must run from later to earlier packages of " +
			LAYERS);
	}

	/**
	 * All of DeepClass's packages, lowest first: core (its own order in {@link #LAYERS}), the
	 * CUDA runtime of the GPU variant (src/cuda, compiled with -Dcuda), the cluster helpers, the
	 * ImageJ glue in four rooms (images in, what the user sees, the interactive cell classifier's
	 * panel, the ImageJ 1.x and SciJava bridge that runs commands), the commands, the command line over them, the Java-version gate
	 * the menu names.
	 */
	static final List<String> ROOMS = List.of("core", "cuda", "cluster", "ij.input", "ij.display",
		"ij.cells", "ij.bridge", "command", "cli", "gate");

	@Test
	void everyPackageDependsOneWay() throws IOException {
		final List<String> upward = new ArrayList<>();
		final Set<String> unknown = new TreeSet<>();
		for (final Path file : classFiles("io/deepclass")) {
			final String own = room(packageOf(className(file)));
			if (!ROOMS.contains(own)) unknown.add(own);
			for (final String name : constantPoolStrings(file)) {
				final Matcher m = DEEPCLASS_CLASS.matcher(name);
				while (m.find()) {
					final String used = room(m.group(1).replace('/', '.'));
					if (ROOMS.indexOf(used) > ROOMS.indexOf(own)) upward.add(className(file) + " -> " +
						used);
				}
			}
		}
		assertEquals(Set.of(), unknown, "packages missing from ROOMS (and README's table)");
		assertEquals(List.of(), upward.stream().distinct().toList(), "imports must run from later " +
			"to earlier packages of " + ROOMS);
	}

	/**
	 * The classes plugins.config names are ImageJ's way in: they must load without the commands
	 * (the gate runs on any Java, the bridge finds commands in SciJava's index by their menu key),
	 * so none of them names a class of io.deepclass.command.
	 */
	@Test
	void menuEntryPointsNameNoCommand() throws IOException {
		final Set<String> entryPoints = new TreeSet<>();
		try (InputStream in = DeepClassException.class.getResourceAsStream("/plugins.config")) {
			final Matcher m = Pattern.compile(",\\s*([\\w.]+)\\(\"").matcher(new String(in
				.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
			while (m.find())
				entryPoints.add(m.group(1));
		}
		assertEquals(Set.of("io.deepclass.gate.DeepClassMenu"), entryPoints);
		final Map<String, Set<String>> naming = new TreeMap<>();
		for (final Path file : classFiles("io/deepclass/gate"))
			for (final String name : constantPoolStrings(file))
				if (name.contains("io/deepclass/command/") || name.contains("io.deepclass.command."))
					naming.computeIfAbsent(className(file), k -> new TreeSet<>()).add(name);
		assertEquals(Map.of(), naming, "the menu's entry point must not name a command");
	}

	/** "core" for core and its packages, "ij.x" for ij's, else the package below io.deepclass. */
	private static String room(final String pkg) {
		final String[] parts = pkg.split("\\.");
		return parts[0].equals("ij") && parts.length > 1 ? "ij." + parts[1] : parts[0];
	}

	/** The classes that may name nd4j-native's own classes; nothing in DeepClass imports them. */
	static final Set<String> CPU_BACKEND_DOORS = Set.of("org.nd4j.nativeblas.Nd4jCpu",
		"org.nd4j.nativeblas.Nd4jCpu$Environment", "io.deepclass.core.backend.ChosenCpuBackend");

	/** A class of nd4j-native (not a resource path such as its libraries' names). */
	private static final Pattern ND4J_NATIVE_CLASS = Pattern.compile(
		"org/nd4j/linalg/cpu/nativecpu/[\\w/$]*(;|$)");

	@Test
	void onlyTheDoorsNameNd4jNative() throws IOException {
		final Map<String, Set<String>> naming = new TreeMap<>();
		final Set<String> referencingDoors = new TreeSet<>();
		for (final Path file : classFiles("")) {
			final String name = className(file);
			for (final String s : constantPoolStrings(file)) {
				if (ND4J_NATIVE_CLASS.matcher(s).find() && !CPU_BACKEND_DOORS.contains(name))
					naming.computeIfAbsent(name, k -> new TreeSet<>()).add(s);
				for (final String door : CPU_BACKEND_DOORS)
					if (!door.startsWith(topClass(name)) && s.contains(door.replace('.', '/')))
						referencingDoors.add(name);
			}
		}
		assertEquals(Map.of(), naming, "only " + CPU_BACKEND_DOORS + " may name nd4j-native's " +
			"classes, so that a build without nd4j-native still compiles the rest");
		assertEquals(Set.of(), referencingDoors, "DeepClass's code must not call the doors");
	}

	private static String topClass(final String className) {
		final int dollar = className.indexOf('$');
		return dollar < 0 ? className : className.substring(0, dollar);
	}

	@Test
	void cycleFinderFindsACycle() {
		assertEquals(List.of("a", "b", "c", "a"), findCycle(Map.of("a", Set.of("b"), "b", Set.of(
			"c"), "c", Set.of("a"), "d", Set.of("a"))));
		assertEquals(List.of(), findCycle(Map.of("a", Set.of("b"), "b", Set.of("c"))));
	}

	/** package -> the other core packages its classes name. */
	static Map<String, Set<String>> packageDependencies() throws IOException {
		final Map<String, Set<String>> uses = new TreeMap<>();
		for (final Path file : coreClassFiles()) {
			final String own = packageOf(className(file));
			final Set<String> used = uses.computeIfAbsent(own, k -> new TreeSet<>());
			for (final String name : constantPoolStrings(file)) {
				final Matcher m = DEEPCLASS_CLASS.matcher(name);
				while (m.find()) {
					final String pkg = m.group(1).replace('/', '.');
					if (pkg.equals("core") || pkg.startsWith("core.")) {
						final String top = topPackage(pkg);
						if (!top.equals(own)) used.add(top);
					}
				}
			}
		}
		return uses;
	}

	/** A path a -> b -> ... -> a when the graph has a cycle, else the empty list. */
	static List<String> findCycle(final Map<String, Set<String>> graph) {
		final Map<String, Integer> state = new TreeMap<>(); // 1 on the path, 2 done
		for (final String start : new TreeSet<>(graph.keySet())) {
			final List<String> path = new ArrayList<>();
			if (visit(start, graph, state, path)) return path;
		}
		return List.of();
	}

	private static boolean visit(final String node, final Map<String, Set<String>> graph,
		final Map<String, Integer> state, final List<String> path)
	{
		final Integer s = state.get(node);
		if (s != null && s == 2) return false;
		if (s != null && s == 1) {
			path.subList(0, path.indexOf(node)).clear();
			path.add(node);
			return true;
		}
		state.put(node, 1);
		path.add(node);
		for (final String next : new TreeSet<>(graph.getOrDefault(node, Set.of())))
			if (visit(next, graph, state, path)) return true;
		path.remove(path.size() - 1);
		state.put(node, 2);
		return false;
	}

	private static List<Path> coreClassFiles() throws IOException {
		return classFiles("io/deepclass/core");
	}

	/** The main (not test) class files below {@code folder} of the output root. */
	private static List<Path> classFiles(final String folder) throws IOException {
		try (Stream<Path> files = Files.walk(mainClasses().resolve(folder))) {
			return files.filter(p -> p.toString().endsWith(".class")).sorted().toList();
		}
	}

	private static Path mainClasses() throws IOException {
		try {
			return Path.of(DeepClassException.class.getProtectionDomain().getCodeSource().getLocation()
				.toURI());
		}
		catch (final URISyntaxException e) {
			throw new IOException(e);
		}
	}

	private static String className(final Path classFile) throws IOException {
		final String path = mainClasses().relativize(classFile).toString().replace('\\', '/');
		return path.substring(0, path.length() - ".class".length()).replace('/', '.');
	}

	/** "core.engine" for io.deepclass.core.data.Batches$1, "core" for io.deepclass.core.X. */
	private static String packageOf(final String className) {
		final String pkg = className.substring("io.deepclass.".length(), className.lastIndexOf('.'));
		return topPackage(pkg);
	}

	private static String topPackage(final String pkg) {
		final String[] parts = pkg.split("\\.");
		return parts.length == 1 ? parts[0] : parts[0] + "." + parts[1];
	}

	/** The UTF-8 entries of a class file's constant pool: every class name it mentions. */
	static List<String> constantPoolStrings(final Path classFile) throws IOException {
		try (InputStream raw = Files.newInputStream(classFile);
			DataInputStream in = new DataInputStream(raw))
		{
			if (in.readInt() != 0xCAFEBABE) throw new IOException("not a class file: " + classFile);
			in.readUnsignedShort();
			in.readUnsignedShort();
			final int count = in.readUnsignedShort();
			final List<String> strings = new ArrayList<>();
			for (int i = 1; i < count; i++) {
				final int tag = in.readUnsignedByte();
				switch (tag) {
					case 1 -> strings.add(in.readUTF());
					case 3, 4 -> in.skipBytes(4);
					case 5, 6 -> {
						in.skipBytes(8);
						i++; // long and double take two slots
					}
					case 7, 8, 16, 19, 20 -> in.skipBytes(2);
					case 9, 10, 11, 12, 17, 18 -> in.skipBytes(4);
					case 15 -> in.skipBytes(3);
					default -> throw new IOException("unknown constant pool tag " + tag + " in " +
						classFile);
				}
			}
			return strings;
		}
	}
}
