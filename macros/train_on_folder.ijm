// DeepClass example: import a folder with one sub-folder per class, train a classifier, save it.
// Argument (";"-separated): folder=<class folders>;model=<model .zip to write>[;epochs=10;architecture=bncnn;size=28]
// Headless: java -Djava.awt.headless=true -cp <jars> io.deepclass.ij.Headless train_on_folder.ijm "folder=/data/cells;model=/data/cells.zip"
List.clear();
args = split(getArgument(), ";");
for (i = 0; i < args.length; i++) {
	kv = split(args[i], "=");
	if (kv.length == 2) List.set(String.trim(kv[0]), String.trim(kv[1]));
}
folder = List.get("folder");
model = List.get("model");
if (folder == "" || model == "") exit("usage: folder=<class folders>;model=<model.zip>");
epochs = List.get("epochs"); if (epochs == "") epochs = "10";
arch = List.get("architecture"); if (arch == "") arch = "bncnn";
size = List.get("size"); if (size == "") size = "28";

setBatchMode(true);
run("Import Dataset", "source=folder folder=[" + folder + "] width=" + size + " height=" + size + " channels=gray");
dataset = getTitle();
print("imported " + nSlices + " images into '" + dataset + "'");
run("Train Classifier", "dataset=[" + dataset + "] architecture=" + arch + " epochs=" + epochs + " batch_size=64 optimizer=sgd learning_rate=0.01 validation_fraction=0.2 seed=42 model_file=[" + model + "]");
print("model saved to " + model);
