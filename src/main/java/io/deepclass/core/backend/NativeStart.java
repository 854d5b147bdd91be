package io.deepclass.core.backend;

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
