// DeepClass end to end in the ImageJ GUI: export Fashion-MNIST images to class folders, then
// import, train (live plot), classify a stack and ROIs (overlays), evaluate, system check,
// taking a screenshot after each step, then looks inside the model (kernels, feature maps,
// saliency). Argument: fashion-mnist dir;work dir;shots dir;macros dir[;model to inspect]
args = split(getArgument(), ";");
fm = args[0]; work = args[1]; shots = args[2]; macros = args[3];

function shot(name) {
	wait(1500);
	exec("import", "-window", "root", shots + "/" + name + ".png");
}

function export(idxImages, idxLabels, folder, perClass) {
	// what a scientist would have: one folder of PNGs per class
	run("Import Dataset", "source=idx idx_images=[" + idxImages + "] idx_labels=[" + idxLabels + "] idx_classes=fashion-mnist");
	title = getTitle();
	counts = newArray(10);
	names = newArray("T-shirt-top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
	labels = newArray("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
	done = 0;
	for (s = 1; s <= nSlices && done < 10 * perClass; s++) {
		selectImage(title);
		setSlice(s);
		label = getInfo("slice.label");
		for (c = 9; c >= 0; c--) if (startsWith(label, labels[c] + "/")) break;
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
export(fm + "/train-images-idx3-ubyte.gz", fm + "/train-labels-idx1-ubyte.gz", work + "/train", 300);
export(fm + "/t10k-images-idx3-ubyte.gz", fm + "/t10k-labels-idx1-ubyte.gz", work + "/test", 50);
// a damaged file, as real folders have: it must be skipped and reported, not stop the import
File.saveString("not really a png", work + "/train/Bag/damaged.png");
setBatchMode(false);
print("exported 3000 training and 500 test images");

// 1. import a folder, train with the live plot
run("Import Dataset", "source=folder folder=[" + work + "/train] width=28 height=28 channels=gray");
setLocation(0, 0);
run("Train Classifier", "dataset=[DeepClass dataset train] architecture=bncnn epochs=4 batch_size=64 optimizer=sgd learning_rate=0.01 validation_fraction=0.2 seed=42 model_file=[" + work + "/fashion.zip]");
Table.setLocationAndSize(820, 560, 780, 260, "DeepClass Training History");
Table.setLocationAndSize(820, 0, 500, 300, "DeepClass Import Report");
shot("1-training");

// 2. classify a stack: table, per-slice overlay, legend
run("Import Dataset", "source=folder folder=[" + work + "/test] width=28 height=28 channels=gray");
test = getTitle();
run("Classify Images", "model_file=[" + work + "/fashion.zip] input=stack overlay");
selectImage(test);
run("Set... ", "zoom=800");
setLocation(0, 0);
setSlice(3);
Table.setLocationAndSize(0, 560, 1600, 420, "DeepClass Results");
shot("2-classify-stack");

// 3. classify ROIs on one image: a montage of test images with a ROI on each tile
selectImage(test);
run("Make Montage...", "columns=4 rows=3 scale=1 first=1 last=500 increment=41");
rename("montage");
Overlay.remove;
for (i = 0; i < 12; i++) {
	makeRectangle((i % 4) * 28, floor(i / 4) * 28, 28, 28);
	Overlay.addSelection;
}
run("Select None");
run("Classify Images", "model_file=[" + work + "/fashion.zip] input=rois patch_size=0 overlay");
selectImage("montage");
run("Set... ", "zoom=600");
setLocation(0, 0);
shot("3-classify-rois");

// 4. evaluate on the labelled test folder
run("Evaluate Classifier", "model_file=[" + work + "/fashion.zip] folder=[" + work + "/test] samples=36");
selectImage("DeepClass Confusion Matrix");
setLocation(0, 0);
selectImage("DeepClass Sample Predictions");
run("Set... ", "zoom=100");
setLocation(720, 0);
Table.setLocationAndSize(720, 600, 700, 380, "DeepClass Evaluation");
shot("4-evaluate");

// 5. system check, and an error as a user would make it (wrong model file)
run("DeepClass System Check");
Table.setLocationAndSize(0, 0, 900, 400, "DeepClass System Check");
shot("5-system-check");

// 6. the examples of macros/, headless style, on the same data
runMacro(macros + "/classify_folder_headless.ijm", "model=" + work + "/fashion.zip;folder=" + work + "/test/Sneaker;csv=" + work + "/sneakers.csv");
rows = split(File.openAsString(work + "/sneakers.csv"), "\n");
print("sneakers.csv rows: " + (rows.length - 1));
selectWindow("Log");
shot("6-log");
// 7. look inside the model (the full-data bncnn when the script was given one): kernels,
// feature maps of a sneaker, saliency on a sneaker and on a bag
inspect = work + "/fashion.zip";
if (args.length > 4 && args[4] != "") inspect = args[4];
close("*");
run("Visualize Filters", "view=kernels model_file=[" + inspect + "] layer=1");
selectImage("DeepClass Kernel Montage conv1 (32 filters x 1 channels)");
run("Set... ", "zoom=200");
setLocation(0, 0);
run("Visualize Filters", "view=kernels model_file=[" + inspect + "] layer=2");
setLocation(420, 0);
shot("7-kernels");
close("*");
sneakers = getFileList(work + "/test/Sneaker");
open(work + "/test/Sneaker/" + sneakers[0]);
sneaker = getTitle();
run("Set... ", "zoom=800");
setLocation(0, 0);
run("Visualize Filters", "view=[feature maps] model_file=[" + inspect + "] layer=1");
selectImage("DeepClass Feature Map Montage");
setLocation(260, 0);
shot("8-feature-maps");
close("*");
kinds = newArray("Sneaker", "Bag");
for (k = 0; k < 2; k++) {
	folder = work + "/test/" + kinds[k];
	files = getFileList(folder);
	open(folder + "/" + files[1]);
	item = getTitle();
	run("Set... ", "zoom=800");
	setLocation(k * 520, 0);
	run("Visualize Filters", "view=saliency model_file=[" + inspect + "] method=both opacity=55");
	run("Set... ", "zoom=800");
	setLocation(k * 520, 300);
	selectImage(nImages - 1);
	run("Set... ", "zoom=800");
	setLocation(k * 520 + 260, 300);
}
selectImage(item);
run("Visualize Filters", "view=[fixed filters] kernel=[vertical and horizontal edges] count=1");
setLocation(0, 620);
shot("9-saliency");

// done: close everything unsaved and quit (no JavaScript engine in Java 17 for System.exit)
close("*");
list = getList("window.titles");
for (i = 0; i < list.length; i++) { selectWindow(list[i]); run("Close"); }
run("Quit");
