package io.deepclass.core.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

import io.deepclass.core.DeepClassException;

/** The backbone download against a server on this machine's loopback interface. */
class DownloadTest {

	@TempDir
	Path cache;

	private HttpServer server;

	private final AtomicInteger requests = new AtomicInteger();

	private static final byte[] FILE = new byte[300_000];

	static {
		new Random(1).nextBytes(FILE);
	}

	@AfterEach
	void stop() {
		if (server != null) server.stop(0);
	}

	/** Downloads with a one-second stall limit. */
	private static Path fetch(final Download.Source source, final Path cache,
		final java.util.function.LongConsumer progress,
		final java.util.function.BooleanSupplier cancelled) throws IOException
	{
		return Download.fetch(source, cache, progress, cancelled, java.time.Duration.ofSeconds(1));
	}

	/** Serves /file: the whole file, or the first {@code send} bytes of it ({@code length} declared). */
	private URI serve(final long length, final int send) throws IOException {
		server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		server.createContext("/file", exchange -> {
			requests.incrementAndGet();
			exchange.sendResponseHeaders(200, length);
			final OutputStream out = exchange.getResponseBody();
			try {
				out.write(FILE, 0, send);
				out.flush();
				if (send < length) return; // stop sending, keep the connection: a stalled server
				out.close();
			}
			catch (final IOException e) {
				// the client went away
			}
			exchange.close();
		});
		server.start();
		return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/file");
	}

	private static String sha(final byte[] bytes) throws Exception {
		return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
	}

	private long filesInCache() throws IOException {
		try (Stream<Path> files = Files.list(cache)) {
			return files.count();
		}
	}

	@Test
	void aGoodDownloadIsCachedAndUsedAgain() throws Exception {
		final Download.Source source = new Download.Source(serve(FILE.length, FILE.length), "b.onnx",
			FILE.length, sha(FILE));
		final long[] progress = { 0 };
		final Path file = fetch(source, cache, done -> progress[0] = done, null);
		assertArrayEquals(FILE, Files.readAllBytes(file));
		assertEquals(FILE.length, progress[0]);
		assertEquals(file, fetch(source, cache, null, null));
		assertEquals(1, requests.get(), "the second call uses the cache");
		if (cache.getFileSystem().supportedFileAttributeViews().contains("posix")) {
			// the user's usual permissions (the umask), not the owner-only ones of a temp file
			final Path plain = Files.createFile(cache.resolve("plain"));
			assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(file));
			Files.delete(plain);
		}
		assertEquals(1, filesInCache(), "no temporary file left");
	}

	@Test
	void aWrongChecksumLeavesNothing() throws Exception {
		final Download.Source source = new Download.Source(serve(FILE.length, FILE.length), "b.onnx",
			FILE.length, sha(new byte[] { 1 }));
		final DeepClassException e = assertThrows(DeepClassException.class, () -> fetch(
			source, cache, null, null));
		assertTrue(e.getMessage().contains("wrong checksum") && e.getMessage().contains(
			"nothing was kept"), e.getMessage());
		assertEquals(0, filesInCache());
	}

	@Test
	void aTruncatedOrBrokenOffDownloadLeavesNothing() throws Exception {
		// the server says the whole size but stops sending half way: abandoned after the stall time
		final Download.Source broken = new Download.Source(serve(FILE.length, FILE.length / 2),
			"b.onnx", FILE.length, sha(FILE));
		final DeepClassException e = assertThrows(DeepClassException.class, () -> fetch(
			broken, cache, null, null));
		assertTrue(e.getMessage().contains("nothing was kept"), e.getMessage());
		assertEquals(0, filesInCache());
		server.stop(0);
		// a complete answer, but shorter than the file should be
		final Download.Source shorter = new Download.Source(serve(FILE.length / 2, FILE.length / 2),
			"b.onnx", FILE.length, sha(FILE));
		final DeepClassException s = assertThrows(DeepClassException.class, () -> fetch(
			shorter, cache, null, null));
		assertTrue(s.getMessage().contains("incomplete: 150000 of 300000 bytes"), s.getMessage());
		assertEquals(0, filesInCache());
	}

	@Test
	void aCancelledDownloadLeavesNothing() throws Exception {
		final Download.Source source = new Download.Source(serve(FILE.length, FILE.length), "b.onnx",
			FILE.length, sha(FILE));
		final DeepClassException e = assertThrows(DeepClassException.class, () -> fetch(
			source, cache, null, () -> true));
		assertTrue(e.getMessage().contains("cancelled"), e.getMessage());
		assertEquals(0, filesInCache());
	}

	@Test
	void noNetworkPointsToTheLocalFileOption() throws Exception {
		final URI uri = serve(1, 1);
		server.stop(0); // nobody listens there any more
		server = null;
		final DeepClassException e = assertThrows(DeepClassException.class, () -> fetch(
			new Download.Source(uri, "b.onnx", 1, sha(new byte[1])), cache, null, null));
		assertTrue(e.getMessage().contains("no network?") && e.getMessage().contains("local file"), e
			.getMessage());
		assertEquals(0, filesInCache());
	}

	@Test
	void anUnknownBackboneNameListsTheKnownOnes() {
		final DeepClassException e = assertThrows(DeepClassException.class, () -> Backbones.file(
			"alexnet", null, null));
		assertTrue(e.getMessage().contains("resnet18, mobilenetv2, vgg16, squeezenet"), e
			.getMessage());
	}
}
