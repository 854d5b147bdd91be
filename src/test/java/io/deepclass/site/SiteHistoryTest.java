package io.deepclass.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;

import org.junit.jupiter.api.Test;

class SiteHistoryTest {

	private static SiteFile file(final String name, final long timestamp, final String checksum) {
		return SiteFile.of(name, List.of(), new SiteFile.Version(name, timestamp, checksum, 10), null,
			List.of());
	}

	@Test
	void publishedVersionsBecomePreviousDroppedFilesObsolete() throws Exception {
		final List<SiteFile> published = List.of(file("plugins/DeepClass_-0.1.0.jar", 1, "a"), file(
			"jars/same-1.0.jar", 1, "s"), file("jars/dropped-2.0.jar", 1, "d"));
		final List<SiteFile> built = List.of(file("plugins/DeepClass_-0.2.0.jar", 2, "b"), file(
			"jars/same-1.0.jar", 2, "s"), file("jars/new-1.0.jar", 2, "n"));
		final List<SiteFile> merged = SiteHistory.merge(built, published);
		assertEquals(4, merged.size());
		assertEquals(List.of(new SiteFile.Version("plugins/DeepClass_-0.1.0.jar", 1, "a", -1)), merged
			.get(0).previous());
		assertEquals("b", merged.get(0).current().checksum());
		assertEquals(List.of(), merged.get(1).previous(), "unchanged: no earlier version");
		assertEquals(List.of(), merged.get(2).previous());
		final SiteFile dropped = merged.get(3);
		assertEquals("jars/dropped-2.0.jar", dropped.filename());
		assertNull(dropped.current());
		assertEquals("d", dropped.previous().get(0).checksum());
		final ByteArrayOutputStream out = new ByteArrayOutputStream();
		DbXml.write(merged, out);
		assertEquals(merged, DbXml.read(new ByteArrayInputStream(out.toByteArray())));
	}
}
