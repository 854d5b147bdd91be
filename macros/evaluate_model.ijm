// DeepClass example: evaluate a model on a labelled folder (one sub-folder per class): accuracy,
// per-class precision/recall/F1, confusion matrix (table and heat map), sample predictions.
// Argument (";"-separated): model=<model .zip>;folder=<class folders>[;out=<folder for the pictures>]
List.clear();
args = split(getArgument(), ";");
for (i = 0; i < args.length; i++) {
	kv = split(args[i], "=");
	if (kv.length == 2) List.set(String.trim(kv[0]), String.trim(kv[1]));
}
model = List.get("model");
folder = List.get("folder");
out = List.get("out");
if (model == "" || folder == "") exit("usage: model=<model.zip>;folder=<class folders>");

setBatchMode(true);
run("Evaluate Classifier", "model_file=[" + model + "] folder=[" + folder + "] resize samples=36");
if (out != "") {
	selectImage("DeepClass Confusion Matrix");
	saveAs("PNG", out + "/confusion-matrix.png");
	selectImage("DeepClass Sample Predictions");
	saveAs("PNG", out + "/sample-predictions.png");
}
print("evaluation done");
