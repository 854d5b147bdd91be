package io.deepclass.site;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXParseException;

class DbXmlTest {

	private static final List<SiteFile> FILES = List.of( //
		SiteFile.of("plugins/DeepClass_-0.1.0.jar", List.of(), new SiteFile.Version(
			"plugins/DeepClass_-0.1.0.jar", 20261206120000L, "ab12", 1234),
			"Classifiers & <networks>", List.of("jars/nd4j-api-1.0.0-M2.1.jar")), //
		SiteFile.of("jars/linux64/nd4j-native-1.0.0-M2.1-linux-x86_64.jar", List.of("linux64"),
			new SiteFile.Version("jars/linux64/nd4j-native-1.0.0-M2.1-linux-x86_64.jar",
				20261206120000L, "cd34", 90796297L), null, List.of()), //
		new SiteFile("jars/old-1.jar", List.of(), null, null, List.of(), List.of(new SiteFile.Version(
			"jars/old-1.jar", 20250101000000L, "ef56", -1))));

	@Test
	void roundTrip() throws Exception {
		final ByteArrayOutputStream out = new ByteArrayOutputStream();
		DbXml.write(FILES, out);
		assertEquals(FILES, DbXml.read(new ByteArrayInputStream(out.toByteArray())));
	}

	/** What is written is valid against the updater's DTD (which the file carries). */
	@Test
	void validAgainstTheUpdatersDocumentType() throws Exception {
		final ByteArrayOutputStream out = new ByteArrayOutputStream();
		DbXml.write(FILES, out);
		final DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
		factory.setValidating(true);
		final var builder = factory.newDocumentBuilder();
		builder.setErrorHandler(new ErrorHandler() {

			@Override
			public void warning(final SAXParseException e) {}

			@Override
			public void error(final SAXParseException e) throws SAXParseException {
				throw e;
			}

			@Override
			public void fatalError(final SAXParseException e) throws SAXParseException {
				throw e;
			}
		});
		final var doc = builder.parse(new GZIPInputStream(new ByteArrayInputStream(out
			.toByteArray())));
		assertEquals(3, doc.getElementsByTagName("plugin").getLength());
		assertEquals("linux64", doc.getElementsByTagName("platform").item(0).getTextContent());
	}

	/**
	 * A real site's index ({@code -Ddeepclass.realSite=<folder>}, e.g. MicronOxford's
	 * SIMcheck-update-site) read, written by {@link DbXml} and read again: the same records.
	 */
	@Test
	@Tag("manual") // run with its property; excluded by default, so CI counts no skip
	@EnabledIfSystemProperty(named = "deepclass.realSite", matches = ".+")
	void rewritesARealSitesIndex() throws Exception {
		final List<SiteFile> real;
		try (var in = Files.newInputStream(Path.of(System.getProperty("deepclass.realSite"),
			"db.xml.gz")))
		{
			real = DbXml.read(in);
		}
		final ByteArrayOutputStream out = new ByteArrayOutputStream();
		DbXml.write(real, out);
		assertEquals(real, DbXml.read(new ByteArrayInputStream(out.toByteArray())));
		assertEquals(true, real.stream().anyMatch(f -> f.current() != null && !f.previous()
			.isEmpty()));
	}
}
