// Transfer learning in the ImageJ GUI: four Fashion-MNIST classes a backbone never saw, as
// 16-bit images, few labels; from scratch, features, fine-tune; evaluate, classify, look inside.
// A screenshot after each step. Argument: fashion-mnist dir;work dir;shots dir;backbone.onnx
args = split(getArgument(), ";");
fm = args[0]; work = args[1]; shots = args[2]; backbone = args[3];

function shot(name) {
	wait(1500);
	exec("import", "-window", "root", shots + "/" + name + ".png");
}

function export(idxImages, idxLabels, folder, perClass) {
	run("Import Dataset", "source=idx idx_images=[" + idxImages + "] idx_labels=[" + idxLabels + "] idx_classes=fashion-mnist");
	title = getTitle();
	names = newArray("Shirt", "Sneaker", "Bag", "Ankle-boot");
	labels = newArray("Shirt", "Sneaker", "Bag", "Ankle boot");
	counts = newArray(4);
	done = 0;
	for (s = 1; s <= nSlices && done < 4 * perClass; s++) {
		selectImage(title);
		setSlice(s);
		label = getInfo("slice.label");
		c = -1;
		for (k = 0; k < 4; k++) if (startsWith(label, labels[k] + "/")) c = k;
		if (c < 0) continue;
		if (counts[c] >= perClass) continue;
		File.makeDirectory(folder);
		File.makeDirectory(folder + "/" + names[c]);
		run("Duplicate...", "title=one");
		// a 16-bit camera's range: gain, offset and noise that differ from image to image
		run("16-bit");
		run("Multiply...", "value=" + (40 + 10 * (s % 5)));
		run("Add...", "value=" + (300 + 50 * (s % 7)));
		run("Add Specified Noise...", "standard=200");
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
setOption("ScaleConversions", false);
random("seed", 7);
export(fm + "/train-images-idx3-ubyte.gz", fm + "/train-labels-idx1-ubyte.gz", work + "/train", 25);
export(fm + "/t10k-images-idx3-ubyte.gz", fm + "/t10k-labels-idx1-ubyte.gz", work + "/test", 50);
setBatchMode(false);
print("e2e: exported 100 training and 200 test images (16-bit) of 4 classes the backbone never saw");

common = "folder=[" + work + "/train] epochs=15 batch_size=16 optimizer=adam learning_rate=0.001 validation_fraction=0.2 normalization=percentile seed=42";
run("Train Classifier", common + " architecture=custom custom_architecture=[cnn:16-32,dense=64] model_file=[" + work + "/scratch.zip]");
scratch = evaluate(work + "/scratch.zip");
run("Train Classifier", common + " architecture=pretrained backbone=file backbone_file=[" + backbone + "] strategy=features input_size=32 model_file=[" + work + "/features.zip]");
features = evaluate(work + "/features.zip");
run("Train Classifier", common + " architecture=pretrained backbone=file backbone_file=[" + backbone + "] strategy=fine-tune input_size=32 fine_tune_epochs=5 unfreeze=0 batchnorm=freeze model_file=[" + work + "/finetune.zip]");
Table.setLocationAndSize(820, 560, 780, 260, "DeepClass Training History");
finetune = evaluate(work + "/finetune.zip");
print("e2e: test accuracy, 25 labels per class: scratch " + d2s(100 * scratch, 1) + " %, features " + d2s(100 * features, 1) + " %, fine-tune " + d2s(100 * finetune, 1) + " %");
shot("1-train-evaluate");

run("Classify Images", "model_file=[" + work + "/finetune.zip] input=folder folder=[" + work + "/test] save_tables=[" + work + "/tables]");
Table.setLocationAndSize(0, 420, 800, 400, "DeepClass Results");
shot("2-classify-folder");

list = getFileList(work + "/test/Ankle-boot");
open(work + "/test/Ankle-boot/" + list[0]);
run("Set... ", "zoom=800");
img = getTitle();
run("Visualize Filters", "model_file=[" + work + "/finetune.zip] view=[feature maps] layer=1");
selectImage(img);
run("Visualize Filters", "model_file=[" + work + "/finetune.zip] view=saliency method=both opacity=50");
selectImage(img);
run("Visualize Filters", "model_file=[" + work + "/finetune.zip] view=kernels layer=1");
shot("3-inside");
print("e2e: done");
File.saveString(getInfo("log"), work + "/../e2e-log.txt");
run("Quit");
