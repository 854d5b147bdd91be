package io.deepclass.core.transfer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

import io.deepclass.core.DeepClassException;
import io.deepclass.core.TemporaryFiles;

/**
 * Downloads a file whose size and SHA-256 are known in advance into a cache folder: into a
 * temporary file beside the target ({@link TemporaryFiles#writeAtomically}, so the file gets the
 * user's usual permissions), renamed into place only when size and checksum both match,
 * so a wrong, truncated, interrupted or cancelled download leaves nothing in the cache. A file
 * already in the cache is checked again and used without a download.
 */
public final class Download {

	/** What to fetch and what it must be. */
	public record Source(URI uri, String fileName, long size, String sha256) {}

	/** A download with no bytes for this long is abandoned. */
	static final Duration STALL = Duration.ofSeconds(60);

	private Download() {}

	/**
	 * The cached file for {@code source}, downloaded first when missing.
	 *
	 * @param progress receives the bytes received so far (may be null)
	 * @param cancelled asked between blocks (may be null)
	 */
	public static Path fetch(final Source source, final Path cacheDir, final LongConsumer progress,
		final BooleanSupplier cancelled) throws IOException
	{
		return fetch(source, cacheDir, progress, cancelled, STALL);
	}

	/** As above, abandoning the download when no bytes arrive for {@code stall}. */
	static Path fetch(final Source source, final Path cacheDir, final LongConsumer progress,
		final BooleanSupplier cancelled, final Duration stall) throws IOException
	{
		final Path target = cacheDir.resolve(source.fileName());
		if (Files.isRegularFile(target)) {
			if (Files.size(target) == source.size() && sha256(target).equals(source.sha256()))
				return target;
			Files.delete(target); // damaged or replaced by hand: fetch it again
		}
		final InputStream body = connect(source);
		// renamed into the cache only when size and checksum match; deleted otherwise
		TemporaryFiles.writeAtomically(target, ".part", out -> receive(source, body, out, progress,
			cancelled, stall));
		return target;
	}

	private static InputStream connect(final Source source) throws IOException {
		final HttpResponse<InputStream> response;
		try {
			response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20)).followRedirects(
				HttpClient.Redirect.NORMAL).build().send(HttpRequest.newBuilder(source.uri()).timeout(
					Duration.ofMinutes(30)).build(), HttpResponse.BodyHandlers.ofInputStream());
		}
		catch (final ConnectException | HttpConnectTimeoutException | UnknownHostException e) {
			throw offline(source, e);
		}
		catch (final IOException e) {
			if (e.getCause() instanceof ConnectException || e.getCause() instanceof UnknownHostException)
				throw offline(source, e);
			throw e;
		}
		catch (final InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new DeepClassException("the download of " + source.fileName() + " was interrupted; " +
				"nothing was kept.", e);
		}
		if (response.statusCode() != 200) {
			response.body().close();
			throw new DeepClassException("the download of " + source.fileName() + " failed: the server " +
				"answered " + response.statusCode() + " for " + source.uri() + ". Use a local .onnx file " +
				"(backbone=file) instead.");
		}
		return response.body();
	}

	/**
	 * Copies {@code body} to {@code out}, checking its size and checksum; a server that stops
	 * sending for {@code stall} is given up on (java.net.http has no read timeout).
	 */
	private static void receive(final Source source, final InputStream body, final OutputStream out,
		final LongConsumer progress, final BooleanSupplier cancelled, final Duration stall)
	{
		final MessageDigest digest = digest();
		final AtomicLong lastBytes = new AtomicLong(System.nanoTime());
		final AtomicBoolean stalled = new AtomicBoolean();
		final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
			final Thread t = new Thread(r, "DeepClass download watchdog");
			t.setDaemon(true);
			return t;
		});
		watchdog.scheduleAtFixedRate(() -> {
			if (System.nanoTime() - lastBytes.get() > stall.toNanos()) {
				stalled.set(true);
				try {
					body.close();
				}
				catch (final IOException e) {
					// closing is all that is wanted
				}
			}
		}, 100, 100, TimeUnit.MILLISECONDS);
		long received = 0;
		try (InputStream in = body) {
			final byte[] buffer = new byte[1 << 16];
			for (int n; (n = in.read(buffer)) > 0;) {
				lastBytes.set(System.nanoTime());
				if (cancelled != null && cancelled.getAsBoolean())
					throw new DeepClassException("the download of " + source.fileName() + " was " +
						"cancelled; nothing was kept.");
				out.write(buffer, 0, n);
				digest.update(buffer, 0, n);
				received += n;
				if (received > source.size())
					throw new DeepClassException("the download of " + source.fileName() + " is larger " +
						"than the " + source.size() + " bytes it should have; nothing was kept.");
				if (progress != null) progress.accept(received);
			}
		}
		catch (final IOException e) {
			throw new DeepClassException("the download of " + source.fileName() + " broke off after " +
				received + " of " + source.size() + " bytes (" + (stalled.get() ? "nothing arrived for " +
					stall.toSeconds() + " s" : e.getMessage()) + "); nothing was kept. Try again, or use a " +
				"local .onnx file.", e);
		}
		finally {
			watchdog.shutdownNow();
		}
		if (stalled.get() && received != source.size())
			throw new DeepClassException("the download of " + source.fileName() + " stalled after " +
				received + " of " + source.size() + " bytes; nothing was kept. Try again, or use a " +
				"local .onnx file.");
		if (received != source.size())
			throw new DeepClassException("the download of " + source.fileName() + " is incomplete: " +
				received + " of " + source.size() + " bytes; nothing was kept. Try again, or use a local " +
				".onnx file.");
		final String sha = HexFormat.of().formatHex(digest.digest());
		if (!sha.equals(source.sha256()))
			throw new DeepClassException("the download of " + source.fileName() + " has the wrong " +
				"checksum (SHA-256 " + sha + ", expected " + source.sha256() + "); nothing was kept.");
	}

	private static DeepClassException offline(final Source source, final Exception e) {
		return new DeepClassException("cannot download " + source.fileName() + " from " + source.uri()
			.getHost() + " (" + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e
				.getMessage()) + "): no network? Download it elsewhere and choose it as a local file " +
			"(backbone=file backbone_file=...), or export one with PyTorch (see docs/training.md).", e);
	}

	static String sha256(final Path file) throws IOException {
		final MessageDigest digest = digest();
		try (InputStream in = Files.newInputStream(file)) {
			final byte[] buffer = new byte[1 << 16];
			for (int n; (n = in.read(buffer)) > 0;)
				digest.update(buffer, 0, n);
		}
		return HexFormat.of().formatHex(digest.digest());
	}

	private static MessageDigest digest() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (final NoSuchAlgorithmException e) {
			throw new IllegalStateException("the JVM has no SHA-256", e);
		}
	}
}
