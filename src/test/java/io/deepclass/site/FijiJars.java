package io.deepclass.site;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * The jars Fiji ships, with their versions, read from the {@code pom-scijava} that Fiji's own pom
 * ({@code fiji/fiji}) names as its parent: the managed dependencies of that bill of materials are
 * what Fiji's components are built and distributed with. Fiji's full dependency tree cannot be
 * resolved from Maven Central (most of its components are published to the SciJava repository
 * only), so "Fiji ships it" means "pom-scijava pins it", except JavaCPP's artifacts: none of the
 * components Fiji's pom lists is a JavaCPP library (pom-scijava pins them for optional sites),
 * and ND4J's natives are tied to the JavaCPP release they were built with (1.5.7).
 * {@code RealFijiTest} checks this list against a Fiji installation where one is at hand.
 */
final class FijiJars {

	/** The pom-scijava release that Fiji's pom (fiji/fiji, main branch) has as its parent. */
	static final String POM_SCIJAVA_VERSION = "45.0.0";

	private static final Pattern PROPERTY = Pattern.compile("\\$\\{([^}]+)}");

	private final Map<String, String> versions;

	private FijiJars(final Map<String, String> versions) {
		this.versions = versions;
	}

	/** Reads pom-scijava from the local Maven repository. */
	static FijiJars fromLocalRepository() throws IOException {
		final Path pom = Path.of(System.getProperty("user.home"), ".m2", "repository", "org",
			"scijava", "pom-scijava", POM_SCIJAVA_VERSION, "pom-scijava-" + POM_SCIJAVA_VERSION +
				".pom");
		if (!Files.isRegularFile(pom)) throw new IOException(pom + " is missing: run `mvn " +
			"dependency:get -Dartifact=org.scijava:pom-scijava:" + POM_SCIJAVA_VERSION + ":pom`");
		try (InputStream in = Files.newInputStream(pom)) {
			return read(in);
		}
	}

	static FijiJars read(final InputStream pom) throws IOException {
		final Element project;
		try {
			final DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
			factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
			project = factory.newDocumentBuilder().parse(pom).getDocumentElement();
		}
		catch (final ParserConfigurationException | SAXException e) {
			throw new IOException("pom-scijava cannot be read: " + e.getMessage(), e);
		}
		final Map<String, String> properties = new HashMap<>();
		final Element props = child(project, "properties");
		if (props != null) for (final Element p : children(props))
			properties.put(p.getTagName(), p.getTextContent().trim());
		properties.put("project.version", text(project, "version"));
		final Map<String, String> versions = new LinkedHashMap<>();
		final Element management = child(project, "dependencyManagement");
		final Element dependencies = management == null ? null : child(management, "dependencies");
		if (dependencies != null) for (final Element d : children(dependencies)) {
			if (child(d, "classifier") != null || "import".equals(text(d, "scope"))) continue;
			final String version = text(d, "version");
			if (version == null) continue;
			versions.put(text(d, "groupId") + ":" + text(d, "artifactId"), resolve(version,
				properties, 0));
		}
		return new FijiJars(versions);
	}

	/**
	 * The version Fiji ships of {@code groupId:artifactId}; empty when Fiji does not ship it.
	 */
	Optional<String> version(final String groupId, final String artifactId) {
		if (groupId.equals("org.bytedeco")) return Optional.empty();
		return Optional.ofNullable(versions.get(groupId + ":" + artifactId));
	}

	/** Whether Fiji ships a jar of that artifactId from another group (a file name clash). */
	boolean shipsOtherWithName(final String groupId, final String artifactId) {
		return versions.keySet().stream().anyMatch(key -> key.endsWith(":" + artifactId) && !key
			.startsWith(groupId + ":"));
	}

	private static String resolve(final String value, final Map<String, String> properties,
		final int depth)
	{
		if (depth > 10) return value;
		final Matcher m = PROPERTY.matcher(value);
		final StringBuilder out = new StringBuilder();
		while (m.find()) {
			final String replacement = properties.get(m.group(1));
			m.appendReplacement(out, Matcher.quoteReplacement(replacement == null ? m.group()
				: resolve(replacement, properties, depth + 1)));
		}
		m.appendTail(out);
		return out.toString();
	}

	private static String text(final Element parent, final String name) {
		final Element e = child(parent, name);
		return e == null ? null : e.getTextContent().trim();
	}

	private static Element child(final Element parent, final String name) {
		for (final Element e : children(parent))
			if (e.getTagName().equals(name)) return e;
		return null;
	}

	private static Iterable<Element> children(final Element parent) {
		final java.util.List<Element> result = new java.util.ArrayList<>();
		final NodeList nodes = parent.getChildNodes();
		for (int i = 0; i < nodes.getLength(); i++) {
			final Node node = nodes.item(i);
			if (node instanceof Element e) result.add(e);
		}
		return result;
	}
}
