package io.deepclass.core.transfer;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

import io.deepclass.core.DeepClassException;

/**
 * Pretrained backbones by name, as the tutorials' {@code vgg16(pretrained=True)}: ImageNet
 * classification networks of the ONNX Model Zoo, with the sizes and SHA-256 sums that the zoo's
 * Git LFS pointer files state, downloaded on first use into a per-user cache
 * ({@code ~/.deepclass/backbones}, or {@code -Ddeepclass.cache=...}).
 */
public final class Backbones {

	private static final String ZOO = "https://github.com/onnx/models/raw/main/validated/vision/" +
		"classification/";

	private static final Map<String, Download.Source> ZOO_ENTRIES = new LinkedHashMap<>();

	/**
	 * Name -> where it is and what it must be (from the zoo's LFS pointers at b1eeaa1a); read
	 * only, since a download is trusted by the size and SHA-256 said here.
	 */
	public static final Map<String, Download.Source> ZOO_BACKBONES = Collections.unmodifiableMap(
		ZOO_ENTRIES);

	static {
		add("resnet18", "resnet/model/resnet18-v1-7.onnx", 46820737,
			"4e8f8653e7a2222b3904cc3fe8e304cd8b339ce1d05fd24688162f86fb6df52c");
		add("mobilenetv2", "mobilenet/model/mobilenetv2-7.onnx", 14246826,
			"c1c513582d56afceff8516c73804e484c81c6a830712ab6d682253f4a3cd042f");
		add("vgg16", "vgg/model/vgg16-7.onnx", 553437328,
			"f20805a3ecccaa88647bbab4ad011ff2412a9838485ea844de0fcbce349820b9");
		add("squeezenet", "squeezenet/model/squeezenet1.1-7.onnx", 4956208,
			"1eeff551a67ae8d565ca33b572fc4b66e3ef357b0eb2863bb9ff47a918cc4088");
	}

	private Backbones() {}

	private static void add(final String name, final String path, final long size,
		final String sha256)
	{
		ZOO_ENTRIES.put(name, new Download.Source(URI.create(ZOO + path), path.substring(path
			.lastIndexOf('/') + 1), size, sha256));
	}

	/** The per-user cache folder. */
	public static Path cache() {
		final String own = System.getProperty("deepclass.cache");
		return own != null ? Path.of(own) : Path.of(System.getProperty("user.home"), ".deepclass",
			"backbones");
	}

	/** The ONNX file of backbone {@code name}, downloaded into the cache on first use. */
	public static Path file(final String name, final LongConsumer progress,
		final BooleanSupplier cancelled) throws IOException
	{
		final Download.Source source = ZOO_BACKBONES.get(name);
		if (source == null) throw new DeepClassException("no backbone called '" + name + "'; choose " +
			String.join(", ", ZOO_BACKBONES.keySet()) + ", or a local .onnx file.");
		return Download.fetch(source, cache(), progress, cancelled);
	}
}
