// DeepClass example: train one model from the labelled cells of several images.
// The folder holds each image with its ROI set beside it, named after it (cells1.tif + cells1.zip,
// ROI Manager > More > Save), labelled in Classify Cells Interactively or by hand. A ROI's class is
// its DeepClass_class property, else its group, else its name (a name at least two ROIs share).
// Unlabelled ROIs and images without a ROI set are left out and counted in the Log.
// Argument (";"-separated): folder=<images with ROI sets>;model=<model .zip to write>
//   [;backbone=resnet18|<backbone .onnx>;size=96;patch=0;channels=;epochs=10;architecture=pretrained]
// size: the backbone's input (as in the panel); patch: the square patch around each ROI
// (0: its bounding box, the panel's default; use the same when classifying); channels: e.g. 1,3.
// architecture: pretrained (a backbone's features and a new head, as the panel trains),
// or any of Train Classifier's (bncnn, lenet, ...), trained on the patches at size x size.
List.clear();
args = split(getArgument(), ";");
for (i = 0; i < args.length; i++) {
	kv = split(args[i], "=");
	if (kv.length == 2) List.set(String.trim(kv[0]), String.trim(kv[1]));
}
folder = List.get("folder");
model = List.get("model");
if (folder == "" || model == "") exit("usage: folder=<images with ROI sets>;model=<model.zip>");
backbone = List.get("backbone"); if (backbone == "") backbone = "resnet18";
size = List.get("size"); if (size == "") size = "96";
patch = List.get("patch"); if (patch == "") patch = "0";
channels = List.get("channels");
epochs = List.get("epochs"); if (epochs == "") epochs = "10";
arch = List.get("architecture"); if (arch == "") arch = "pretrained";

setBatchMode(true);
run("Import Dataset", "source=[rois in folder] folder=[" + folder + "] patch_size=" + patch + " width=" + size + " height=" + size + " channels=keep select_channels=[" + channels + "]");
dataset = getTitle();
print("imported " + nSlices + " labelled cells into '" + dataset + "'");
network = "architecture=" + arch;
if (arch == "pretrained") {
	if (endsWith(backbone, ".onnx")) network = network + " backbone=file backbone_file=[" + backbone + "]";
	else network = network + " backbone=" + backbone;
	network = network + " strategy=features input_size=" + size;
}
run("Train Classifier", "dataset=[" + dataset + "] " + network + " epochs=" + epochs + " batch_size=32 optimizer=adam learning_rate=0.01 validation_fraction=0.2 normalization=percentile seed=42 model_file=[" + model + "]");
run("Get DeepClass Table", "table=[DeepClass Training History]");
last = Table.size("Results") - 1;
print("model saved to " + model + "; validation accuracy " + d2s(100 * Table.get("validation_accuracy", last, "Results"), 1) + " %");
