package io.deepclass.core.bundle;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import org.deeplearning4j.nn.api.layers.LayerConstraint;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.distribution.Distribution;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.variational.ReconstructionDistribution;
import org.deeplearning4j.nn.conf.stepfunctions.StepFunction;
import org.deeplearning4j.nn.conf.weightnoise.IWeightNoise;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.core.JsonFactory;
import org.nd4j.shade.jackson.core.JsonParser;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.core.JsonToken;

/**
 * Checks a DL4J network configuration (the {@code configuration.json} of a model file) before
 * DL4J's Jackson reads it, because Jackson instantiates the classes the JSON names.
 * <p>
 * Where DL4J's JSON names classes, read from the {@code @JsonTypeInfo} annotations of
 * deeplearning4j-nn and nd4j-api 1.0.0-M2.1: {@code "@class"} properties (layers, vertices,
 * pre-processors, activations, losses, updaters, schedules, weight inits, dropout, constraints,
 * regularisation, weight noise, input types) and {@code "type"} properties (distributions); the
 * legacy formats use fixed name tables, which name no class. Jackson also takes a type id as the
 * first element of a two-element array where a polymorphic value is expected. So this check
 * looks at every string value, not at property names: a string that names a class on the class
 * path (looked up without initialising it) must be a configuration class of DL4J, ND4J or
 * DeepClass, a subtype of one of {@link #BASE_TYPES}; and the values of {@code "@class"} must
 * name such a class even when they name nothing. An allow-list on the JSON, rather than Jackson's
 * {@code PolymorphicTypeValidator}: DL4J's mapper is a static one shared by all of DL4J, and a
 * check of the text does not depend on how Jackson resolves ids.
 * <p>
 * The JSON is also bounded: its size, nesting depth, and the length of each string and number
 * (the Jackson inside DL4J predates read constraints: a number of a million digits takes
 * minutes to parse, deep nesting overflows the stack).
 */
final class ConfigurationJson {

	/** The largest configuration read: VGG-16's is about 60 kB. */
	static final int MAX_BYTES = 16 << 20;

	/** The deepest nesting: DL4J's own configurations nest about 8 deep. */
	static final int MAX_DEPTH = 64;

	/** The longest string: layer names and class names are short. */
	static final int MAX_STRING = 4096;

	/** The longest number: a double needs about 25 characters. */
	static final int MAX_NUMBER = 64;

	/** The types DL4J's configuration JSON names classes of. */
	static final List<Class<?>> BASE_TYPES = List.of(Layer.class, GraphVertex.class,
		InputPreProcessor.class, IActivation.class, ILossFunction.class, IUpdater.class,
		ISchedule.class, IWeightInit.class, Distribution.class, IDropout.class,
		LayerConstraint.class, Regularization.class, IWeightNoise.class, InputType.class,
		ReconstructionDistribution.class, StepFunction.class);

	/** Where the classes a configuration may name live. */
	static final List<String> PACKAGES = List.of("org.deeplearning4j.", "org.nd4j.",
		"io.deepclass.");

	/** A Java binary class name: identifiers joined by dots, inner classes with $. */
	private static final Pattern CLASS_NAME = Pattern.compile(
		"[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*(\\.[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*)*");

	/**
	 * Names looked up before: configurations repeat the same few dozen strings. Bounded, since
	 * the strings come from files users hand in (a file of a million distinct names must not
	 * grow it for the life of the JVM).
	 */
	private static final Map<String, Kind> KINDS = new ConcurrentHashMap<>();

	private static final int KNOWN_NAMES = 4096;

	/** What a string names. */
	private enum Kind {
			NO_CLASS, CONFIGURATION_CLASS, OTHER_CLASS
	}

	private static final JsonFactory FACTORY = new JsonFactory();

	private ConfigurationJson() {}

	/**
	 * Throws an {@link IllegalArgumentException} saying what is wrong when {@code json} is not a
	 * configuration DL4J may read.
	 */
	static void check(final String json) {
		if (json.length() > MAX_BYTES) throw new IllegalArgumentException("its network " +
			"configuration has " + json.length() + " characters, more than DeepClass reads (" +
			MAX_BYTES + ")");
		try (JsonParser parser = FACTORY.createParser(json)) {
			int depth = 0;
			String field = null;
			for (JsonToken token; (token = parser.nextToken()) != null;) {
				switch (token) {
					case START_OBJECT, START_ARRAY -> {
						if (++depth > MAX_DEPTH) throw new IllegalArgumentException("its network " +
							"configuration nests deeper than " + MAX_DEPTH + " levels");
					}
					case END_OBJECT, END_ARRAY -> depth--;
					case FIELD_NAME -> {
						field = parser.getCurrentName();
						if (field.length() > MAX_STRING) throw tooLong("a name");
						continue;
					}
					case VALUE_STRING -> {
						if (parser.getTextLength() > MAX_STRING) throw tooLong("a text");
						checkClass(parser.getText(), "@class".equals(field));
					}
					case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
						if (parser.getTextLength() > MAX_NUMBER) throw tooLong("a number");
					}
					default -> {}
				}
				field = null;
			}
		}
		catch (final IOException e) {
			throw new IllegalArgumentException("its network configuration is not valid JSON (" +
				ModelFiles.firstLine(e instanceof JsonProcessingException j ? j
					.getOriginalMessage() : e.getMessage()) + ")", e);
		}
	}

	private static IllegalArgumentException tooLong(final String what) {
		return new IllegalArgumentException("its network configuration holds " + what +
			" longer than any DL4J configuration has");
	}

	/**
	 * Refuses {@code text} when it names a class that is not a configuration class; with
	 * {@code typeId}, also when it names no class.
	 */
	private static void checkClass(final String text, final boolean typeId) {
		if (!CLASS_NAME.matcher(text).matches()) {
			if (typeId) throw new IllegalArgumentException("its network configuration names the " +
				"class '" + printable(text) + "', which is no Java class name");
			return;
		}
		Kind kind = KINDS.get(text);
		if (kind == null) {
			kind = kind(text);
			if (KINDS.size() < KNOWN_NAMES) KINDS.put(text, kind);
		}
		if (kind == Kind.OTHER_CLASS || kind == Kind.NO_CLASS && typeId)
			throw new IllegalArgumentException("its network configuration names the class '" +
				printable(text) + "', which is not one of DL4J's or DeepClass's layers, vertices, " +
				"activations, losses, updaters or schedules");
	}

	private static Kind kind(final String name) {
		final Class<?> c = find(name);
		if (c == null) return Kind.NO_CLASS;
		return PACKAGES.stream().anyMatch(name::startsWith) && BASE_TYPES.stream().anyMatch(
			base -> base.isAssignableFrom(c)) ? Kind.CONFIGURATION_CLASS : Kind.OTHER_CLASS;
	}

	/** The class named, without running its static initialiser; null when there is none. */
	private static Class<?> find(final String name) {
		for (final ClassLoader loader : new ClassLoader[] { Thread.currentThread()
			.getContextClassLoader(), ConfigurationJson.class.getClassLoader() })
		{
			if (loader == null) continue;
			try {
				return Class.forName(name, false, loader);
			}
			catch (final ClassNotFoundException | LinkageError e) {
				// not there, or not loadable: Jackson cannot make it either
			}
		}
		return null;
	}

	/** {@code text} for a message: control characters shown as '?', at most 100 characters. */
	static String printable(final String text) {
		final String shown = text.length() > 100 ? text.substring(0, 100) + "..." : text;
		return shown.replaceAll("\\p{Cntrl}", "?");
	}
}
