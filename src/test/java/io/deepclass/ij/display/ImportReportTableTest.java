package io.deepclass.ij.display;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import ij.measure.ResultsTable;

import io.deepclass.core.data.ImportReport;

/** The Import Report: a row per class, per warning, per skipped file; many alike share a row. */
class ImportReportTableTest {

	@Test
	void manySkippedForOneReasonShareARowFewAreListed() {
		final List<ImportReport.Skipped> skipped = new ArrayList<>();
		skipped.add(new ImportReport.Skipped("/data/a/broken.png", "not an image"));
		for (int i = 1; i <= 202; i++)
			skipped.add(new ImportReport.Skipped("ihc ROI " + i + " nucleus", "label 'nucleus' does " +
				"not match the class pattern ^(epithelial|stromal)$"));
		skipped.add(new ImportReport.Skipped("/data/b/empty.tif", "not an image"));
		final ResultsTable rt = ResultTables.importReport(new ImportReport(List.of("epithelial",
			"stromal"), new int[] { 12, 12 }, skipped, List.of("classes have fewer than 20 images")));
		assertEquals(6, rt.size(), "2 classes, 1 warning, 2 files, 1 row for 202 nuclei");
		assertEquals("class", rt.getStringValue("item", 0));
		assertEquals(12, (int) rt.getValue("images", 1));
		assertEquals("warning", rt.getStringValue("item", 2));
		assertEquals("/data/a/broken.png", rt.getStringValue("name", 3));
		assertEquals(1, (int) rt.getValue("images", 3));
		assertEquals("/data/b/empty.tif", rt.getStringValue("name", 4), "same reason: listed " +
			"together, in the order first met");
		assertEquals("202 items, first: ihc ROI 1 nucleus", rt.getStringValue("name", 5));
		assertEquals(202, (int) rt.getValue("images", 5));
		assertEquals("label 'nucleus' does not match the class pattern ^(epithelial|stromal)$", rt
			.getStringValue("reason", 5));
	}

	@Test
	void fiveAlikeAreStillListedOneByOne() {
		final List<ImportReport.Skipped> skipped = new ArrayList<>();
		for (int i = 0; i < ResultTables.GROUPED_SKIPS; i++)
			skipped.add(new ImportReport.Skipped("f" + i + ".png", "not an image"));
		final ResultsTable rt = ResultTables.importReport(new ImportReport(List.of("a", "b"),
			new int[] { 3, 3 }, skipped, List.of()));
		assertEquals(2 + ResultTables.GROUPED_SKIPS, rt.size());
		assertEquals("f4.png", rt.getStringValue("name", 6));
	}
}
