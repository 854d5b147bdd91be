// The screenshots' data: four Fashion-MNIST classes exported as 8-bit PNGs into one folder per
// class, as a scientist's images would come (train: 250 a class, test: 40 a class).
// Argument: <fashion-mnist dir>;<work dir>
args = split(getArgument(), ";");
fm = args[0]; work = args[1];
names = newArray("T-shirt", "Trouser", "Sneaker", "Bag");
labels = newArray("T-shirt/top", "Trouser", "Sneaker", "Bag");

function export(images, labelFile, folder, perClass) {
	run("Import Dataset", "source=idx idx_images=[" + images + "] idx_labels=[" + labelFile + "] idx_classes=fashion-mnist");
	title = getTitle();
	counts = newArray(0, 0, 0, 0);
	done = 0;
	for (s = 1; s <= nSlices && done < 4 * perClass; s++) {
		selectImage(title);
		setSlice(s);
		label = getInfo("slice.label");
		c = -1;
		for (k = 0; k < 4; k++) if (startsWith(label, labels[k] + "/")) c = k;
		if (c < 0) continue; // the macro language evaluates both sides of ||
		if (counts[c] >= perClass) continue;
		File.makeDirectory(folder);
		File.makeDirectory(folder + "/" + names[c]);
		run("Duplicate...", "title=one");
		setMinAndMax(0, 255);
		run("8-bit");
		saveAs("PNG", folder + "/" + names[c] + "/" + IJ.pad(s, 5) + ".png");
		close();
		counts[c]++;
		done++;
	}
	selectImage(title);
	close();
}

setBatchMode(true);
export(fm + "/train-images-idx3-ubyte.gz", fm + "/train-labels-idx1-ubyte.gz", work + "/train", 250);
export(fm + "/t10k-images-idx3-ubyte.gz", fm + "/t10k-labels-idx1-ubyte.gz", work + "/test", 40);
setBatchMode(false);
