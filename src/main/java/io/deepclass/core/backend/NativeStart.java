package io.deepclass.core.backend;

import io.deepclass.core.engine.FastGraph;

/**
 * Loads ND4J (its native library, OpenMP threads, buffer factories and executioner), and on the
 * CPU oneDNN's JavaCPP library, on a daemon thread while the caller goes on with work that does
 * not need them: reading images or a network file, or a dialog. ND4J's first load takes about
 * half a second on the 2-core test machine, once per JVM. {@link NativeBackend#select()} waits
 * for it to end, so whatever calls select() before touching ND4J, as every entry point does,
 * finds ND4J loaded, or gets the load's own error (not the "could not initialize class" a
 * second attempt would throw).
 */
public final class NativeStart {

	private static Thread loader;

	private static volatile Throwable failure;

	private NativeStart() {}

	/**
	 * Starts choosing the backend ({@link NativeBackend}; its GPU probe and service lookup take a
	 * tenth of a second) and loading ND4J on another thread; does nothing when a load has started
	 * before. The thread inherits this one's context class loader, where ND4J looks for its
	 * backends.
	 */
	public static void inBackground() {
		start(NativeStart::load);
	}

	/** Runs {@code load} on the loading thread unless one has started; its failure is kept. */
	static synchronized void start(final Runnable load) {
		if (loader != null) return;
		loader = new Thread(() -> {
			try {
				load.run();
			}
			catch (final Throwable e) { // kept for the thread that needs ND4J, which reports it
				failure = e;
			}
		}, "DeepClass: loading ND4J");
		loader.setDaemon(true);
		loader.start();
	}

	private static void load() {
		NativeBackend.choose();
		NativeThreads.configure();
		org.nd4j.linalg.factory.Nd4j.getExecutioner();
		org.nd4j.linalg.factory.Nd4j.scalar(0f);
		alsoLoad();
	}

	/**
	 * On the CPU backend, what the first computations would load next, while the caller still
	 * reads images or parses a network file (which touch no native code: JavaCPP's libraries must
	 * not load while another thread calls into them, see below): the JavaCPP build of oneDNN that
	 * the fast layers call (its library and a few hundred classes, 0.13 s), and OpenBLAS's threads
	 * (started by a first matrix product, 0.04 s). oneDNN loads as the fast layers load it
	 * ({@link FastGraph#loadOneDnn}): not when switched off, and where it cannot load the fast
	 * layers run DL4J's code.
	 *
	 * <p>Part of the load on purpose: {@link #await} waits for it. Done after the wait instead
	 * (a head start beside the caller's import), it crashed the JVM once in 30 runs (SIGSEGV in
	 * JavaCPP's Pointer.asDirectBuffer on the importing thread while this one loaded oneDNN).
	 */
	private static void alsoLoad() {
		if (!org.nd4j.linalg.factory.Nd4j.getEnvironment().isCPU()) return;
		FastGraph.loadOneDnn();
		final var a = org.nd4j.linalg.factory.Nd4j.ones(org.nd4j.linalg.api.buffer.DataType.FLOAT, 64,
			64);
		a.mmul(a);
	}

	/** Forgets a load that has ended (tests); false while one is running. */
	static synchronized boolean forget() {
		if (loader != null && loader.isAlive()) return false;
		loader = null;
		failure = null;
		return true;
	}

	/**
	 * Waits for a load started by {@link #inBackground} to end (at once when none was started,
	 * or on the loading thread itself) and rethrows what it failed with. An interrupt stops the
	 * wait, not the load.
	 */
	static void await() {
		final Thread thread;
		synchronized (NativeStart.class) {
			thread = loader;
		}
		if (thread == null || thread == Thread.currentThread()) return;
		try {
			thread.join();
		}
		catch (final InterruptedException e) {
			Thread.currentThread().interrupt();
			return;
		}
		final Throwable e = failure;
		if (e instanceof Error error) throw error;
		if (e instanceof RuntimeException runtime) throw runtime;
		if (e != null) throw new IllegalStateException("ND4J did not load: " + e, e);
	}
}
