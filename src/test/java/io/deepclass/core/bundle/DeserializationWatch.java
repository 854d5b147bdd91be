package io.deepclass.core.bundle;

import java.io.ObjectInputFilter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.BinaryOperator;

/**
 * The JVM's deserialisation filter factory in the tests ({@code -Djdk.serialFilterFactory} in
 * the pom's test arguments): while {@link #during} runs, every {@link java.io.ObjectInputStream}
 * made anywhere in the JVM, by DeepClass, DL4J or any library, is recorded with the class that
 * made it and every class it would read, and rejected. Outside {@link #during}, streams get the
 * JVM's usual filter.
 */
public final class DeserializationWatch implements BinaryOperator<ObjectInputFilter> {

	private static volatile boolean armed;

	private static final List<String> SEEN = Collections.synchronizedList(new ArrayList<>());

	@Override
	public ObjectInputFilter apply(final ObjectInputFilter current, final ObjectInputFilter next) {
		if (!armed) return next;
		if (current == null) SEEN.add("an ObjectInputStream made by " + caller());
		return info -> {
			if (info.serialClass() != null) SEEN.add("a " + info.serialClass().getName() + " read");
			return ObjectInputFilter.Status.REJECTED;
		};
	}

	/** The first frame outside the JDK: who made the stream. */
	private static String caller() {
		for (final StackTraceElement e : new Throwable().getStackTrace())
			if (!e.getClassName().startsWith("java.") && !e.getClassName().startsWith("jdk.") && !e
				.getClassName().equals(DeserializationWatch.class.getName())) return e.toString();
		return "the JDK";
	}

	/** True when the JVM uses this factory (the pom sets it; an IDE run may not). */
	public static boolean installed() {
		return ObjectInputFilter.Config.getSerialFilterFactory() instanceof DeserializationWatch;
	}

	/** What was deserialised, or began to be, while {@code work} ran; its result is dropped. */
	public static List<String> during(final Callable<?> work) throws Exception {
		synchronized (SEEN) {
			SEEN.clear();
		}
		armed = true;
		try {
			work.call();
		}
		finally {
			armed = false;
		}
		synchronized (SEEN) {
			return List.copyOf(SEEN);
		}
	}
}
