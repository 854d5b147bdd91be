package io.deepclass.core.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ND4J loading on another thread: whoever calls {@link NativeBackend#select()} waits for it and
 * gets the load's own error; a second start does nothing.
 */
class NativeStartTest {

	@BeforeEach
	@AfterEach
	void forgetTheLoad() throws InterruptedException { // another test class's, or this test's
		while (!NativeStart.forget())
			Thread.sleep(10);
	}

	@Test
	void selectWaitsForTheLoadOnAnotherThread() {
		final CountDownLatch release = new CountDownLatch(1);
		final AtomicInteger loads = new AtomicInteger();
		NativeStart.start(() -> {
			try {
				release.await();
			}
			catch (final InterruptedException e) {
				Thread.currentThread().interrupt();
			}
			loads.incrementAndGet();
		});
		NativeStart.start(loads::incrementAndGet); // started already: ignored
		new Thread(release::countDown).start();
		NativeBackend.select();
		assertEquals(1, loads.get(), "select() returned after the one load, not before");
	}

	@Test
	void theLoadsOwnErrorReachesEveryCaller() {
		final UnsatisfiedLinkError broken = new UnsatisfiedLinkError("no libnd4jcpu.so for this CPU");
		NativeStart.start(() -> {
			throw broken;
		});
		assertSame(broken, assertThrows(UnsatisfiedLinkError.class, NativeBackend::select));
		assertSame(broken, assertThrows(UnsatisfiedLinkError.class, NativeBackend::select),
			"again, not a 'could not initialize class'");
	}

	@Test
	void theRealLoadLeavesNd4jReady() {
		NativeStart.inBackground();
		NativeBackend.select();
		assertTrue(NativeThreads.configure() > 0);
		assertEquals(3f, Nd4j.scalar(1f).add(2f).getFloat(0), 0f);
	}
}
