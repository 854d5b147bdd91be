package io.deepclass.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.deepclass.core.data.ImageFiles.ImageFile;

class ImageFilesTest {

	@TempDir
	Path dir;

	private Path touch(final String relative) throws IOException {
		final Path file = dir.resolve(relative);
		Files.createDirectories(file.getParent());
		return Files.writeString(file, "x");
	}

	private List<String> names(final List<ImageFile> files) {
		return files.stream().map(f -> dir.relativize(f.path()) + "=" + f.trueClass()).toList();
	}

	@Test
	void folderAsFolderReaderTakesIt() throws IOException {
		touch("b.png");
		touch("a.png");
		touch(".hidden.png");
		assertEquals(List.of("a.png=null", "b.png=null"), names(ImageFiles.inFolder(dir, false, List
			.of())));
		touch("cat/1.png");
		touch("dog/2.png");
		touch("dog/deeper/3.png");
		assertEquals(List.of("cat/1.png=cat", "dog/2.png=dog"), names(ImageFiles.inFolder(dir, false,
			List.of("cat", "dog"))), "class sub-folders, one level, as before");
	}

	@Test
	void recursiveFindsNestedFilesAndKeepsTheTruthOfClassFolders() throws IOException {
		touch("top.png");
		touch("cat/1.png");
		touch("dog/plate1/well2/3.png");
		touch("dog/.thumbs/4.png");
		touch(".git/5.png");
		assertEquals(List.of("cat/1.png=cat", "dog/plate1/well2/3.png=dog", "top.png=null"), names(
			ImageFiles.inFolder(dir, true, List.of("cat", "dog"))));
		assertEquals(List.of("cat/1.png=null", "dog/plate1/well2/3.png=null", "top.png=null"), names(
			ImageFiles.inFolder(dir, true, List.of("cat", "bird"))), "'dog' is not a class: no truth");
	}

	@Test
	void listTakesPathsInOrderRelativeToItsFolderOnce() throws IOException {
		final Path b = touch("images/b.png");
		final Path list = dir.resolve("lists/todo.txt");
		Files.createDirectories(list.getParent());
		Files.writeString(list, String.join("\n", Arrays.asList("# images to classify", b.toString(),
			"", "../images/a.png", b.toString(), "../missing.png")) + "\n");
		final ImageFiles.Listing listing = ImageFiles.inList(list);
		assertEquals(List.of("images/b.png=null", "images/a.png=null", "missing.png=null"), names(
			listing.files()), "a listed file that is not there is reported when classified");
		assertEquals(1, listing.duplicates());
	}
}
