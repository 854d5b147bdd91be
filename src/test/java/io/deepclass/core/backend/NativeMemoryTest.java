package io.deepclass.core.backend;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;

class NativeMemoryTest {

	/**
	 * Freed small blocks below a block still in use stay resident under glibc until trimmed:
	 * 200 MB of them must mostly leave the process's resident memory.
	 */
	@Test
	void trimReturnsFreedHeapMemoryToTheSystem() {
		assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"), "Linux only");
		assertTrue(NativeMemory.available(), "malloc_trim through JNA on Linux");
		final int blocks = 2000, size = 100_000; // below glibc's 128 kB mmap threshold
		final Pointer[] pointers = new Pointer[blocks];
		for (int i = 0; i < blocks; i++) {
			pointers[i] = Pointer.malloc(size);
			Pointer.memset(pointers[i], 1, size); // touch the pages so they are resident
		}
		for (int i = 0; i < blocks - 1; i++)
			Pointer.free(pointers[i]); // the last block keeps the heap's top in use
		final long before = Pointer.physicalBytes();
		assertTrue(NativeMemory.trim());
		final long after = Pointer.physicalBytes();
		Pointer.free(pointers[blocks - 1]);
		assertTrue(before - after > 100_000_000L, "resident memory went from " + before + " to " +
			after + " bytes");
	}
}
