package io.deepclass.core.backend;

import java.util.concurrent.CountDownLatch;

/**
 * Loads ND4J (its native library, OpenMP threads, buffer factories and executioner) on a
 * daemon thread while the caller goes on with work that does not need it: reading images or a
 * network file, or a dialog. ND4J's first load takes about half a second on the 2-core test
 * machine, once per JVM. {@link NativeBackend#select()} waits for it to end, so whatever calls
 * select() before touching ND4J, as every entry point does, finds ND4J loaded, or gets the
 * load's own error (not the "could not initialize class" a second attempt would throw).
 */
public final class NativeStart {

	private static Thread loader;

	/** Released when ND4J's load has ended, well or not (the thread may go on: headStart). */
	private static CountDownLatch loaded;

	private static volatile Throwable failure;

	private NativeStart() {}

	/**
	 * Starts choosing the backend ({@link NativeBackend}; its GPU probe and service lookup take a
	 * tenth of a second) and loading ND4J on another thread; does nothing when a load has started
	 * before. The thread inherits this one's context class loader, where ND4J looks for its
	 * backends.
	 */
	public static void inBackground() {
		start(NativeStart::load, NativeStart::headStart);
	}

	/** Runs {@code load} on the loading thread unless one has started; its failure is kept. */
	static void start(final Runnable load) {
		start(load, () -> {});
	}

	/**
	 * As {@link #start(Runnable)}, then {@code then} on the same thread once {@link #await} has
	 * let its callers go: work that only saves a later caller time, whose failure is ignored.
	 */
	static synchronized void start(final Runnable load, final Runnable then) {
		if (loader != null) return;
		final CountDownLatch done = new CountDownLatch(1);
		loaded = done;
		loader = new Thread(() -> {
			try {
				load.run();
			}
			catch (final Throwable e) { // kept for the thread that needs ND4J, which reports it
				failure = e;
				return;
			}
			finally {
				done.countDown();
			}
			try {
				then.run();
			}
			catch (final RuntimeException | LinkageError e) {
				// a head start only: what failed here fails again where it is needed, and says so
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
	}

	/**
	 * After ND4J, while the caller imports a network or reads a model (one core busy, the other
	 * free): loads the JavaCPP build of oneDNN that the fast layers call (its library and a few
	 * hundred classes, 0.13 s, else paid by the first batch) and runs a first matrix product
	 * (OpenBLAS starts its threads, 0.04 s, else paid by the first training step). Only on the CPU
	 * backend, and not when oneDNN is switched off ({@code -Ddeepclass.onednn=false}).
	 */
	private static void headStart() {
		if (!org.nd4j.linalg.factory.Nd4j.getEnvironment().isCPU()) return;
		if (Boolean.parseBoolean(System.getProperty("deepclass.onednn", "true")))
			org.bytedeco.javacpp.Loader.load(org.bytedeco.dnnl.global.dnnl.class);
		final var a = org.nd4j.linalg.factory.Nd4j.ones(org.nd4j.linalg.api.buffer.DataType.FLOAT, 64,
			64);
		a.mmul(a);
	}

	/** Forgets a load that has ended (tests); false while one is running. */
	static synchronized boolean forget() {
		if (loader != null && loader.isAlive()) return false;
		loader = null;
		loaded = null;
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
		final CountDownLatch done;
		synchronized (NativeStart.class) {
			thread = loader;
			done = loaded;
		}
		if (thread == null || thread == Thread.currentThread()) return;
		try {
			done.await();
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
