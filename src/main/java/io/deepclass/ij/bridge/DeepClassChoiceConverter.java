package io.deepclass.ij.bridge;

import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.scijava.Priority;
import org.scijava.convert.AbstractConverter;
import org.scijava.convert.Converter;
import org.scijava.plugin.Plugin;
import org.scijava.util.Types;

import io.deepclass.core.DeepClassException;

/**
 * A DeepClass choice (an enum of io.deepclass) from the word a script passes, as the macro bridge
 * reads it: the word macros use (the constant's {@code toString()}) or its name, in any case. A
 * word that names no choice fails the call with the list of choices. SciJava's own conversion
 * would return nothing for it: the input would stay unset and the command would run with its
 * default, a silently different run.
 */
@SuppressWarnings("rawtypes")
@Plugin(type = Converter.class, priority = Priority.HIGH)
public final class DeepClassChoiceConverter extends AbstractConverter<String, Enum> {

	@Override
	public boolean canConvert(final Class<?> src, final Type dest) {
		return canConvert(src, Types.raw(dest));
	}

	@Override
	public boolean canConvert(final Class<?> src, final Class<?> dest) {
		return src == String.class && isChoice(dest);
	}

	@Override
	public boolean canConvert(final Object src, final Type dest) {
		return src instanceof String && isChoice(Types.raw(dest));
	}

	@Override
	public boolean canConvert(final Object src, final Class<?> dest) {
		return src instanceof String && isChoice(dest);
	}

	@Override
	public Object convert(final Object src, final Type dest) {
		return convert(src, Types.raw(dest));
	}

	@Override
	public <T> T convert(final Object src, final Class<T> dest) {
		final String word = ((String) src).trim();
		for (final Object c : dest.getEnumConstants())
			if (c.toString().equalsIgnoreCase(word) || ((Enum<?>) c).name().equalsIgnoreCase(word))
				return dest.cast(c);
		final List<String> names = new ArrayList<>();
		for (final Object c : dest.getEnumConstants())
			names.add(c.toString());
		throw new DeepClassException("'" + src + "' is not one of the choices " + String.join(", ",
			names) + ".");
	}

	private static boolean isChoice(final Class<?> type) {
		return type != null && type.isEnum() && type.getName().startsWith("io.deepclass.");
	}

	@Override
	public void populateInputCandidates(final Collection<Object> objects) {
		// candidates are for converting objects to inputs, not words
	}

	@Override
	public Class<Enum> getOutputType() {
		return Enum.class;
	}

	@Override
	public Class<String> getInputType() {
		return String.class;
	}
}
