package io.deepclass.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.deepclass.core.data.LabelledImagesReader.LabelledImage;

class LabelledImagesReaderTest {

	private static LabelledImage item(final String label, final float value) {
		return new LabelledImage(new DecodedImage(2, 2, 1, new float[] { value, value, value,
			value }), label, "slice " + label);
	}

	@Test
	void takesTheClassFromSliceLabelsInOrderOfAppearance() {
		final ImportResult r = LabelledImagesReader.read(List.of(item("mitotic/cell1.tif", 1), item(
			"interphase/cell2.tif", 2), item("mitotic/cell3.tif", 3), item(null, 4), item("", 5)),
			LabelledImagesReader.DEFAULT_PATTERN, null, "stack 'cells'");
		assertEquals(List.of("mitotic", "interphase"), r.dataset().classNames());
		assertEquals(3, r.dataset().size());
		assertEquals(0, r.dataset().label(2));
		assertEquals(3f, r.dataset().image(2)[0]);
		assertEquals(2, r.report().skipped().size(), "unlabelled slices are skipped and reported");
	}

	@Test
	void userPatternPicksTheClass() {
		final Pattern p = Pattern.compile("class=(\\w+)");
		assertEquals("dead", LabelledImagesReader.classOf(p, "t=3 class=dead z=1"));
		assertNull(LabelledImagesReader.classOf(p, "no class here"));
		assertEquals("a b", LabelledImagesReader.classOf(Pattern.compile("^([^/]+)"), " a b /x"));
	}

	@Test
	void badPatternAndSingleClassAreExplained() {
		assertTrue(assertThrows(DatasetException.class, () -> LabelledImagesReader.read(List.of(item(
			"a", 1)), "([", null, "stack")).getMessage().contains("not a valid regular expression"));
		assertTrue(assertThrows(DatasetException.class, () -> LabelledImagesReader.read(List.of(item(
			"a", 1), item("a", 2)), LabelledImagesReader.DEFAULT_PATTERN, null, "stack 'x'"))
			.getMessage().contains("single class"));
		assertTrue(assertThrows(DatasetException.class, () -> LabelledImagesReader.read(List.of(),
			LabelledImagesReader.DEFAULT_PATTERN, null, "stack 'x'")).getMessage().contains(
				"no images"));
	}
}
