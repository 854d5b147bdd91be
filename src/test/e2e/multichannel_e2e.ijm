// DeepClass end to end in the ImageJ GUI on fluorescence-like data made from real images:
// Fashion-MNIST objects of 4 classes placed into 2-channel 16-bit composites (channel 1: the
// object at a high gain with noise, channel 2: a blurred, dimmer copy with other noise), a third
// of them exported as 8-bit copies, as a lab's folders mix acquisitions. Imports them (the
// report warns), trains with dataset mean/std and with percentile normalisation, evaluates
// both, classifies the test folder, and looks inside the model; a screenshot after each step.
// Argument: fashion-mnist dir;work dir;shots dir
args = split(getArgument(), ";");
fm = args[0]; work = args[1]; shots = args[2];

function shot(name) {
	wait(1500);
	exec("import", "-window", "root", shots + "/" + name + ".png");
}

function export(idxImages, idxLabels, folder, perClass) {
	run("Import Dataset", "source=idx idx_images=[" + idxImages + "] idx_labels=[" + idxLabels + "] idx_classes=fashion-mnist");
	title = getTitle();
	names = newArray("T-shirt-top", "Trouser", "Sneaker", "Bag");
	labels = newArray("T-shirt/top", "Trouser", "Sneaker", "Bag");
	counts = newArray(4);
	done = 0;
	for (s = 1; s <= nSlices && done < 4 * perClass; s++) {
		selectImage(title);
		setSlice(s);
		label = getInfo("slice.label");
		c = -1;
		for (k = 0; k < 4; k++) if (startsWith(label, labels[k] + "/")) c = k;
		// the macro language evaluates both sides of ||: test c first
		if (c < 0) continue;
		if (counts[c] >= perClass) continue;
		File.makeDirectory(folder);
		File.makeDirectory(folder + "/" + names[c]);
		run("Duplicate...", "title=c1");
		run("16-bit");
		run("Multiply...", "value=" + (60 + 40 * (s % 3)));
		run("Add Specified Noise...", "standard=400");
		selectImage(title);
		run("Duplicate...", "title=c2");
		run("Gaussian Blur...", "sigma=1.5");
		run("16-bit");
		run("Multiply...", "value=12");
		run("Add Specified Noise...", "standard=150");
		run("Merge Channels...", "c1=c1 c2=c2 create");
		if (counts[c] % 3 == 2) {
			// an exported 8-bit copy
			Stack.setChannel(1); resetMinAndMax();
			Stack.setChannel(2); resetMinAndMax();
			run("8-bit");
		}
		saveAs("Tiff", folder + "/" + names[c] + "/" + IJ.pad(s, 5) + ".tif");
		close();
		counts[c]++;
		done++;
	}
	selectImage(title);
	close();
}

function evaluate(model) {
	run("Evaluate Classifier", "model_file=[" + model + "] folder=[" + work + "/test] samples=16");
	run("Get DeepClass Table", "table=[DeepClass Evaluation]");
	return Table.get("precision", Table.size("Results") - 1, "Results");
}

setBatchMode(true);
// keep the Fashion-MNIST values (0..255) when converting to 16-bit, then scale them ourselves
setOption("ScaleConversions", false);
// the same images every run: seeds the macro's and the noise filters' random numbers
random("seed", 42);
export(fm + "/train-images-idx3-ubyte.gz", fm + "/train-labels-idx1-ubyte.gz", work + "/train", 150);
export(fm + "/t10k-images-idx3-ubyte.gz", fm + "/t10k-labels-idx1-ubyte.gz", work + "/test", 50);
setBatchMode(false);
print("exported 600 training and 200 test images: 2-channel, 16-bit and 8-bit mixed");

// 1. import: a composite dataset stack, the report warns about the bit depths
run("Import Dataset", "source=folder folder=[" + work + "/train] channels=keep save_tables=[" + work + "/tables]");
run("Set... ", "zoom=800");
setLocation(0, 0);
getDimensions(w, h, channels, slices, frames);
print("dataset: " + w + "x" + h + ", " + channels + " channels, " + frames + " samples, " + bitDepth() + "-bit");
Table.setLocationAndSize(420, 0, 1180, 260, "DeepClass Import Report");
shot("1-import-report");

// 2. the same recipe with dataset mean/std, then with percentile normalisation
run("Train Classifier", "dataset=[DeepClass dataset train] architecture=custom custom_architecture=[cnn:16-32,dense=64] epochs=8 batch_size=32 optimizer=adam learning_rate=0.002 validation_fraction=0.2 normalization=dataset seed=42 model_file=[" + work + "/dataset.zip]");
dataset = evaluate(work + "/dataset.zip");
selectImage("DeepClass dataset train");
run("Train Classifier", "dataset=[DeepClass dataset train] architecture=custom custom_architecture=[cnn:16-32,dense=64] epochs=8 batch_size=32 optimizer=adam learning_rate=0.002 validation_fraction=0.2 normalization=percentile seed=42 model_file=[" + work + "/percentile.zip]");
Table.setLocationAndSize(820, 560, 780, 260, "DeepClass Training History");
percentile = evaluate(work + "/percentile.zip");
print("e2e: test accuracy on the mixed 2-channel set: normalization=dataset " + d2s(100 * dataset, 1) + " %, normalization=percentile " + d2s(100 * percentile, 1) + " %");
shot("2-train-evaluate");

// 3. classify the test folder with the percentile model
run("Classify Images", "model_file=[" + work + "/percentile.zip] input=folder folder=[" + work + "/test] save_tables=[" + work + "/tables]");
Table.setLocationAndSize(0, 420, 800, 400, "DeepClass Results");
shot("3-classify-folder");

// 4. inside the model, on one composite test image
list = getFileList(work + "/test/Bag");
open(work + "/test/Bag/" + list[0]);
run("Set... ", "zoom=800");
img = getTitle();
run("Visualize Filters", "model_file=[" + work + "/percentile.zip] view=[feature maps] layer=1");
selectImage(img);
run("Visualize Filters", "model_file=[" + work + "/percentile.zip] view=saliency method=both opacity=50");
selectImage(img);
run("Visualize Filters", "model_file=[" + work + "/percentile.zip] view=kernels layer=1");
shot("4-inside");
print("e2e: done");
run("Quit");
