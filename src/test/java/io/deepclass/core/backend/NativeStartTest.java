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
	@org.junit.jupiter.api.Timeout(30) // waiting for the head start would hang select()
	void selectDoesNotWaitForTheHeadStartAfterTheLoad() throws InterruptedException {
		final CountDownLatch headStartMayEnd = new CountDownLatch(1);
		final CountDownLatch headStartEnded = new CountDownLatch(1);
		final AtomicInteger loads = new AtomicInteger();
		NativeStart.start(loads::incrementAndGet, () -> {
			try {
				headStartMayEnd.await();
			}
			catch (final InterruptedException e) {
				Thread.currentThread().interrupt();
			}
			headStartEnded.countDown();
		});
		NativeBackend.select(); // would hang here if it waited for the head start
		assertEquals(1, loads.get());
		assertEquals(1, headStartEnded.getCount(), "the head start still runs");
		headStartMayEnd.countDown();
		assertTrue(headStartEnded.await(10, java.util.concurrent.TimeUnit.SECONDS));
	}

	@Test
	void aFailedHeadStartIsNoErrorAndAFailedLoadSkipsIt() throws InterruptedException {
		final CountDownLatch ran = new CountDownLatch(1);
		NativeStart.start(() -> {}, () -> {
			ran.countDown();
			throw new UnsatisfiedLinkError("no oneDNN for this CPU");
		});
		NativeBackend.select(); // no error: the load itself went well
		assertTrue(ran.await(10, java.util.concurrent.TimeUnit.SECONDS));
		while (!NativeStart.forget())
			Thread.sleep(10);
		final AtomicInteger headStarts = new AtomicInteger();
		final IllegalStateException broken = new IllegalStateException("no ND4J");
		NativeStart.start(() -> {
			throw broken;
		}, headStarts::incrementAndGet);
		assertSame(broken, assertThrows(IllegalStateException.class, NativeBackend::select));
		while (!NativeStart.forget())
			Thread.sleep(10);
		assertEquals(0, headStarts.get(), "nothing runs on a failed load");
	}

	@Test
	void theRealLoadLeavesNd4jReady() {
		NativeStart.inBackground();
		NativeBackend.select();
		assertTrue(NativeThreads.configure() > 0);
		assertEquals(3f, Nd4j.scalar(1f).add(2f).getFloat(0), 0f);
	}
}
