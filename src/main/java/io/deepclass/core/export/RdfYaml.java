package io.deepclass.core.export;

import java.math.BigDecimal;
import java.util.Map;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Writes a bioimage.io resource description (maps, lists, strings and numbers) as block-style
 * YAML with SnakeYAML. Decimal numbers are written in plain notation: PyYAML, which the
 * bioimage.io tools use, reads {@code 1.0E10} as a string.
 */
final class RdfYaml {

	private RdfYaml() {}

	static String dump(final Map<String, Object> rdf) {
		final DumperOptions options = new DumperOptions();
		options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
		options.setIndent(2);
		options.setIndicatorIndent(2);
		options.setIndentWithIndicator(true);
		options.setWidth(100);
		options.setAllowUnicode(true);
		return new Yaml(new PlainDecimals(options), options).dump(rdf);
	}

	/** Represents doubles and floats in plain decimal notation. */
	private static final class PlainDecimals extends Representer {

		PlainDecimals(final DumperOptions options) {
			super(options);
			representers.put(Double.class, data -> representScalar(Tag.FLOAT, plain(data)));
			representers.put(Float.class, data -> representScalar(Tag.FLOAT, plain(data)));
		}

		private static String plain(final Object number) {
			final String text = new BigDecimal(number.toString()).toPlainString();
			return text.contains(".") ? text : text + ".0";
		}
	}
}
