package io.deepclass.core.onnx;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.nd4j.shade.protobuf.CodedInputStream;
import org.nd4j.shade.protobuf.Descriptors.Descriptor;
import org.nd4j.shade.protobuf.Descriptors.FieldDescriptor;
import org.nd4j.shade.protobuf.InvalidProtocolBufferException;
import org.nd4j.shade.protobuf.UnsafeByteOperations;
import org.nd4j.shade.protobuf.WireFormat;

import onnx.OnnxMl;

/**
 * Reads an ONNX file a user was handed, with bounded work and memory before protobuf builds a
 * single object: the file must be a regular file of a size Java can hold, and a walk of its wire
 * format (guided by ONNX's own message descriptors) bounds how deeply its messages nest and how
 * many entries they hold, since protobuf turns a two-byte empty message into an object thirty
 * times larger and recurses into nested ones.
 */
final class OnnxFile {

	/**
	 * Largest file read: VGG-16, the largest backbone DeepClass supports, is 528 MB (VGG-19 548 MB);
	 * twice that leaves room for any classifier while keeping the byte array Java must hold at once
	 * (plus each tensor's decoded copy) within what a workstation's Fiji has; a file must also fit
	 * in half of Java's maximum memory.
	 */
	static final long MAX_BYTES = 1L << 30;

	/** Protobuf-java's own default recursion limit: ONNX image networks nest about 8 levels. */
	static final int MAX_DEPTH = 100;

	/**
	 * Most protobuf entries (fields and packed integers): a network with its weights as raw data
	 * has a few thousand; an empty message is 2 bytes in the file and an object of some 70 bytes
	 * (estimated from its fields), so this bounds the objects to about 150 MB.
	 */
	static final int MAX_ENTRIES = 2_000_000;

	/** Bytes read at a time (see {@link #readFully}). */
	private static final int READ_SLICE = 1 << 20;

	private final String file;

	private final byte[] bytes;

	private int entries;

	private OnnxFile(final String file, final byte[] bytes) {
		this.file = file;
		this.bytes = bytes;
	}

	/** The model in {@code path}, or an {@link OnnxException.Invalid} saying why it cannot be read. */
	static OnnxMl.ModelProto read(final Path path) throws IOException {
		final String file = path.getFileName().toString();
		if (!Files.isRegularFile(path)) throw new OnnxException.Invalid("'" + file + "' is not a " +
			"regular file (a folder, a device or a pipe); choose the .onnx network file itself.");
		final long size = Files.size(path);
		// the bytes and, one tensor at a time, their decoded copy: about twice the file. Half of
		// Java's maximum, not of what is free now, so the answer does not depend on garbage
		final long room = Runtime.getRuntime().maxMemory() / 2;
		if (size > MAX_BYTES) throw new OnnxException.Invalid("'" + file + "' is " + mb(size) +
			"; DeepClass reads ONNX networks up to " + mb(MAX_BYTES) + " (VGG-16, the largest " +
			"backbone it supports, is 528 MB): choose the network file itself, not an archive or data.");
		if (size > room) throw new OnnxException.Invalid("'" + file + "' is " + mb(size) + "; reading " +
			"it takes about twice that and Java may use " + mb(2 * room) + ": give Java more memory " +
			"(Fiji: Edit > Options > Memory & Threads) or choose a smaller network.");
		if (size == 0) throw new OnnxException.Invalid("'" + file + "' is empty (0 bytes): the " +
			"download or copy did not finish; get the file again.");
		final byte[] bytes = new byte[(int) size];
		try (FileChannel in = FileChannel.open(path)) {
			if (readFully(in, bytes) != bytes.length || in.read(ByteBuffer.allocate(1)) != -1)
				throw new OnnxException.Invalid("'" + file + "' changed size while it was read; read it " +
					"again when whatever writes it has finished.");
		}
		return parse(file, bytes);
	}

	/** The model in {@code bytes} (of the file named {@code file}), its raw weights views of them. */
	static OnnxMl.ModelProto parse(final String file, final byte[] bytes) {
		return new OnnxFile(file, bytes).parse();
	}

	/**
	 * Reads into {@code bytes} until it is full or the file ends; returns how many were read. In
	 * slices: a channel reads into a Java array through a temporary native buffer of the read's
	 * size, so one read of the whole file would allocate (and the system zero) a second copy of
	 * it (resnet18's 45 MB: 330 ms instead of 140 ms on the 2-core test machine).
	 */
	static int readFully(final FileChannel in, final byte[] bytes) throws IOException {
		int done = 0;
		while (done < bytes.length) {
			final int n = in.read(ByteBuffer.wrap(bytes, done, Math.min(READ_SLICE, bytes.length -
				done)));
			if (n < 0) break;
			done += n;
		}
		return done;
	}

	private OnnxMl.ModelProto parse() {
		try {
			final CodedInputStream in = CodedInputStream.newInstance(bytes);
			scan(in, OnnxMl.ModelProto.getDescriptor(), 0);
			// raw weights stay views of the file's bytes, not copies: protobuf aliases only input it
			// knows to be immutable, which a plain newInstance(bytes) is not (resnet18: 45 MB copied,
			// 0.2 s); the bytes are this reader's own and never written again
			final CodedInputStream parser = UnsafeByteOperations.unsafeWrap(bytes).newCodedInput();
			parser.enableAliasing(true);
			parser.setRecursionLimit(MAX_DEPTH);
			return OnnxMl.ModelProto.parseFrom(parser);
		}
		catch (final InvalidProtocolBufferException e) {
			throw new OnnxException.Invalid("'" + file + "' is not an ONNX model: " + (e.getMessage()
				.contains("ended unexpectedly") ? "it ends in the middle of a field (a truncated file)"
					: "its bytes are not protobuf (" + e.getMessage() + ")") + "; get or export the " +
				"file again.", e);
		}
		catch (final IOException e) { // a CodedInputStream over an array reads no file
			throw new OnnxException.Invalid("'" + file + "' is not an ONNX model (" + e.getMessage() +
				").", e);
		}
	}

	/** Walks one message of {@code type} up to the current limit, counting and skipping. */
	private void scan(final CodedInputStream in, final Descriptor type, final int depth)
		throws IOException
	{
		if (depth > MAX_DEPTH) throw invalid("its messages are nested more than " + MAX_DEPTH +
			" levels deep (an image network nests about 8)");
		for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
			count(1);
			final FieldDescriptor field = type.findFieldByNumber(WireFormat.getTagFieldNumber(tag));
			switch (WireFormat.getTagWireType(tag)) {
				case WireFormat.WIRETYPE_VARINT -> in.readRawVarint64();
				case WireFormat.WIRETYPE_FIXED32 -> in.skipRawBytes(4);
				case WireFormat.WIRETYPE_FIXED64 -> in.skipRawBytes(8);
				case WireFormat.WIRETYPE_LENGTH_DELIMITED -> {
					final int length = in.readRawVarint32();
					if (length < 0 || length > bytes.length - in.getTotalBytesRead())
						throw invalid("a field at byte " + in.getTotalBytesRead() + " claims " + length +
							" bytes, more than the file has left (a truncated or damaged file)");
					if (field != null && field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
						final int outer = in.pushLimit(length);
						scan(in, field.getMessageType(), depth + 1);
						in.popLimit(outer);
					}
					else {
						if (field != null && field.isRepeated() && isVarint(field)) countVarints(in
							.getTotalBytesRead(), length);
						in.skipRawBytes(length);
					}
				}
				default -> throw invalid("its bytes are not protobuf as ONNX writes it (a group or an " +
					"invalid field type at byte " + in.getTotalBytesRead() + ")");
			}
		}
	}

	private static boolean isVarint(final FieldDescriptor field) {
		return switch (field.getType()) {
			case INT32, INT64, UINT32, UINT64, SINT32, SINT64, BOOL, ENUM -> true;
			default -> false;
		};
	}

	/** A packed list of integers: each byte without its top bit ends one value. */
	private void countVarints(final int from, final int length) {
		int values = 0;
		for (int k = from; k < from + length; k++)
			if (bytes[k] >= 0) values++;
		count(values);
	}

	private void count(final int n) {
		entries += n;
		if (entries > MAX_ENTRIES || entries < 0) throw invalid("it holds more than " + String.format(
			Locale.ROOT, "%,d", MAX_ENTRIES) + " protobuf entries, which could exhaust memory; an " +
			"image network holds a few thousand (its weights as raw data)");
	}

	private OnnxException.Invalid invalid(final String why) {
		return new OnnxException.Invalid("'" + file + "' is not an ONNX model DeepClass reads: " + why +
			". It is damaged, not an ONNX file, or made to break readers: get the network from its " +
			"source again.");
	}

	static String mb(final long bytes) {
		return bytes >= 1L << 30 ? String.format(Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30))
			: String.format(Locale.ROOT, "%d MB", Math.max(1, bytes >> 20));
	}
}
