package io.deepclass.site;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * Reads and writes an update site's index, {@code db.xml.gz}: gzipped XML, a
 * {@code pluginRecords} element holding one {@code plugin} per file, with its platforms, its
 * current {@code version} (checksum, timestamp, size, description, dependencies) and its
 * {@code previous-version}s. The document carries the updater's DTD inline, as the sites the
 * updater writes do.
 */
final class DbXml {

	/** The updater's document type for {@code db.xml.gz}, as its sites carry it inline. */
	static final String DOCTYPE = """
		<!DOCTYPE pluginRecords [
		<!ELEMENT pluginRecords ((update-site | disabled-update-site)*, plugin*)>
		<!ELEMENT update-site EMPTY>
		<!ELEMENT disabled-update-site EMPTY>
		<!ELEMENT plugin (platform*, category*, version?, previous-version*)>
		<!ELEMENT version (description?, dependency*, link*, author*)>
		<!ELEMENT previous-version EMPTY>
		<!ELEMENT description (#PCDATA)>
		<!ELEMENT dependency EMPTY>
		<!ELEMENT link (#PCDATA)>
		<!ELEMENT author (#PCDATA)>
		<!ELEMENT platform (#PCDATA)>
		<!ELEMENT category (#PCDATA)>
		<!ATTLIST update-site name CDATA #REQUIRED>
		<!ATTLIST update-site url CDATA #REQUIRED>
		<!ATTLIST update-site keep-url CDATA #IMPLIED>
		<!ATTLIST update-site official CDATA #IMPLIED>
		<!ATTLIST update-site ssh-host CDATA #IMPLIED>
		<!ATTLIST update-site upload-directory CDATA #IMPLIED>
		<!ATTLIST update-site description CDATA #IMPLIED>
		<!ATTLIST update-site maintainer CDATA #IMPLIED>
		<!ATTLIST update-site timestamp CDATA #REQUIRED>
		<!ATTLIST disabled-update-site name CDATA #REQUIRED>
		<!ATTLIST disabled-update-site url CDATA #REQUIRED>
		<!ATTLIST disabled-update-site keep-url CDATA #IMPLIED>
		<!ATTLIST disabled-update-site official CDATA #IMPLIED>
		<!ATTLIST disabled-update-site ssh-host CDATA #IMPLIED>
		<!ATTLIST disabled-update-site upload-directory CDATA #IMPLIED>
		<!ATTLIST disabled-update-site description CDATA #IMPLIED>
		<!ATTLIST disabled-update-site maintainer CDATA #IMPLIED>
		<!ATTLIST disabled-update-site timestamp CDATA #REQUIRED>
		<!ATTLIST plugin update-site CDATA #IMPLIED>
		<!ATTLIST plugin filename CDATA #REQUIRED>
		<!ATTLIST plugin executable CDATA #IMPLIED>
		<!ATTLIST dependency filename CDATA #REQUIRED>
		<!ATTLIST dependency timestamp CDATA #IMPLIED>
		<!ATTLIST dependency overrides CDATA #IMPLIED>
		<!ATTLIST version timestamp CDATA #REQUIRED>
		<!ATTLIST version checksum CDATA #REQUIRED>
		<!ATTLIST version filesize CDATA #REQUIRED>
		<!ATTLIST previous-version filename CDATA #IMPLIED>
		<!ATTLIST previous-version timestamp CDATA #REQUIRED>
		<!ATTLIST previous-version timestamp-obsolete CDATA #IMPLIED>
		<!ATTLIST previous-version checksum CDATA #REQUIRED>]>""";

	private DbXml() {}

	/** Writes the files' records, gzipped. Dependencies name the depended-on file's record. */
	static void write(final List<SiteFile> files, final OutputStream out) throws IOException {
		try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
			final XMLStreamWriter xml = XMLOutputFactory.newInstance().createXMLStreamWriter(gzip,
				"UTF-8");
			xml.writeStartDocument("UTF-8", "1.0");
			xml.writeCharacters("\n");
			xml.writeDTD(DOCTYPE);
			xml.writeCharacters("\n");
			xml.writeStartElement("pluginRecords");
			for (final SiteFile file : files)
				writeFile(xml, file);
			xml.writeCharacters("\n");
			xml.writeEndElement();
			xml.writeCharacters("\n");
			xml.writeEndDocument();
			xml.close();
		}
		catch (final XMLStreamException e) {
			throw new IOException("cannot write db.xml.gz: " + e.getMessage(), e);
		}
	}

	private static void writeFile(final XMLStreamWriter xml, final SiteFile file)
		throws XMLStreamException
	{
		indent(xml, 1);
		xml.writeStartElement("plugin");
		xml.writeAttribute("filename", file.filename());
		for (final String platform : file.platforms())
			textElement(xml, 2, "platform", platform);
		final SiteFile.Version current = file.current();
		if (current != null) {
			indent(xml, 2);
			xml.writeStartElement("version");
			xml.writeAttribute("checksum", current.checksum());
			xml.writeAttribute("timestamp", Long.toString(current.timestamp()));
			xml.writeAttribute("filesize", Long.toString(current.filesize()));
			if (file.description() != null) textElement(xml, 3, "description", file.description());
			for (final String dependency : file.dependencies()) {
				indent(xml, 3);
				xml.writeEmptyElement("dependency");
				xml.writeAttribute("filename", dependency);
				xml.writeAttribute("timestamp", Long.toString(current.timestamp()));
			}
			indent(xml, 2);
			xml.writeEndElement();
		}
		for (final SiteFile.Version previous : file.previous()) {
			indent(xml, 2);
			xml.writeEmptyElement("previous-version");
			xml.writeAttribute("timestamp", Long.toString(previous.timestamp()));
			xml.writeAttribute("timestamp-obsolete", "0");
			xml.writeAttribute("checksum", previous.checksum());
			xml.writeAttribute("filename", previous.filename());
		}
		indent(xml, 1);
		xml.writeEndElement();
	}

	private static void textElement(final XMLStreamWriter xml, final int depth, final String name,
		final String text) throws XMLStreamException
	{
		indent(xml, depth);
		xml.writeStartElement(name);
		xml.writeCharacters(text);
		xml.writeEndElement();
	}

	private static void indent(final XMLStreamWriter xml, final int depth)
		throws XMLStreamException
	{
		xml.writeCharacters("\n" + "    ".repeat(depth));
	}

	/** Reads a {@code db.xml.gz}. */
	static List<SiteFile> read(final InputStream gzipped) throws IOException {
		final Element root;
		try (InputStream in = new GZIPInputStream(gzipped)) {
			final DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
			factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
			factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
			root = factory.newDocumentBuilder().parse(in).getDocumentElement();
		}
		catch (final ParserConfigurationException | SAXException e) {
			throw new IOException("db.xml.gz is not an update site index: " + e.getMessage(), e);
		}
		final List<SiteFile> files = new ArrayList<>();
		for (final Element plugin : children(root, "plugin"))
			files.add(readFile(plugin));
		return files;
	}

	private static SiteFile readFile(final Element plugin) {
		final String filename = plugin.getAttribute("filename");
		final List<String> platforms = new ArrayList<>();
		for (final Element platform : children(plugin, "platform"))
			platforms.add(platform.getTextContent().trim());
		SiteFile.Version current = null;
		String description = null;
		final List<String> dependencies = new ArrayList<>();
		for (final Element version : children(plugin, "version")) {
			current = new SiteFile.Version(filename, Long.parseLong(version.getAttribute("timestamp")),
				version.getAttribute("checksum"), Long.parseLong(version.getAttribute("filesize")));
			for (final Element text : children(version, "description"))
				description = text.getTextContent();
			for (final Element dependency : children(version, "dependency"))
				dependencies.add(dependency.getAttribute("filename"));
		}
		final List<SiteFile.Version> previous = new ArrayList<>();
		for (final Element version : children(plugin, "previous-version")) {
			final String name = version.getAttribute("filename");
			previous.add(new SiteFile.Version(name.isEmpty() ? filename : name, Long.parseLong(version
				.getAttribute("timestamp")), version.getAttribute("checksum"), -1));
		}
		return new SiteFile(filename, platforms, current, description, dependencies, previous);
	}

	private static List<Element> children(final Element parent, final String name) {
		final List<Element> result = new ArrayList<>();
		final NodeList nodes = parent.getChildNodes();
		for (int i = 0; i < nodes.getLength(); i++) {
			final Node node = nodes.item(i);
			if (node instanceof Element element && element.getTagName().equals(name)) result.add(
				element);
		}
		return result;
	}
}
