package io.deepclass.core;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * Names that come from files someone else made (a model's class names, folder names, table
 * titles) turned into something safe to use as a file name or to show in a one-line message.
 */
public final class SafeNames {

	/** Names Windows reserves for devices, with or without an extension. */
	private static final Set<String> WINDOWS_DEVICES = Set.of("CON", "PRN", "AUX", "NUL", "COM1",
		"COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9", "LPT1", "LPT2", "LPT3", "LPT4",
		"LPT5", "LPT6", "LPT7", "LPT8", "LPT9");

	/** Most file systems allow 255 bytes a name; this leaves room for an extension. */
	private static final int MAX_NAME_BYTES = 200;

	private static final int MAX_SHOWN = 200;

	private SafeNames() {}

	/**
	 * {@code name} as one file name that stays inside the folder it is put in, on Linux, macOS
	 * and Windows: path separators, characters Windows refuses and control characters become
	 * '_', as do leading and trailing dots and spaces (so ".." and "." cannot name a folder); a
	 * Windows device name (CON, NUL, COM1, ... also as "con.txt") gets a leading '_'; an empty
	 * name becomes "_"; the name is cut to 200 UTF-8 bytes.
	 */
	public static String fileName(final String name) {
		final StringBuilder safe = new StringBuilder();
		name.codePoints().forEach(c -> safe.appendCodePoint(c < 0x20 || c == 0x7f || "\\/:*?\"<>|"
			.indexOf(c) >= 0 ? '_' : c));
		for (int i = 0; i < safe.length() && (safe.charAt(i) == '.' || safe.charAt(i) == ' '); i++)
			safe.setCharAt(i, '_');
		for (int i = safe.length() - 1; i >= 0 && (safe.charAt(i) == '.' || safe.charAt(i) == ' '); i--)
			safe.setCharAt(i, '_');
		String result = safe.length() == 0 ? "_" : safe.toString();
		final int dot = result.indexOf('.');
		if (WINDOWS_DEVICES.contains((dot < 0 ? result : result.substring(0, dot)).toUpperCase(
			Locale.ROOT))) result = "_" + result;
		while (result.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES)
			result = result.substring(0, result.offsetByCodePoints(result.length(), -1));
		return result;
	}

	/**
	 * {@code folder}/{@link #fileName}({@code name}){@code extension}.
	 *
	 * @throws DeepClassException if the result is not directly inside {@code folder} (it cannot
	 *           be, by construction; checked so that a change to {@link #fileName} cannot undo it)
	 */
	public static Path in(final Path folder, final String name, final String extension) {
		final Path file = folder.resolve(fileName(name) + extension);
		if (!folder.toAbsolutePath().normalize().equals(file.toAbsolutePath().normalize()
			.getParent()))
			throw new DeepClassException("the name '" + shown(name) + "' would leave the folder '" +
				folder + "'; rename it.");
		return file;
	}

	/** {@code text} on one line: control characters (line ends, NUL, escapes) shown as '?'. */
	public static String oneLine(final String text) {
		final StringBuilder shown = new StringBuilder();
		text.codePoints().forEach(c -> shown.appendCodePoint(Character.isISOControl(c) ? '?' : c));
		return shown.toString();
	}

	/**
	 * {@code text} fit for a one-line message: control characters (line ends, NUL, escapes)
	 * shown as '?', cut to 200 characters.
	 */
	public static String shown(final String text) {
		final StringBuilder shown = new StringBuilder();
		text.codePoints().limit(MAX_SHOWN).forEach(c -> shown.appendCodePoint(Character
			.isISOControl(c) ? '?' : c));
		if (text.codePointCount(0, text.length()) > MAX_SHOWN) shown.append("...");
		return shown.toString();
	}
}
