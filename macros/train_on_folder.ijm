// DeepClass example: import a folder with one sub-folder per class, train a classifier, save it.
// Argument (";"-separated): folder=<class folders>;model=<model .zip to write>
//   [;epochs=10;architecture=bncnn;size=28;normalization=percentile;class_weights=none;channels=;tables=<folder>]
// channels: e.g. 1,3 to keep those channels of multi-channel images, in that order (empty: all).
// tables: a folder where the import report and training history are written as CSV.
// Headless: java -Djava.awt.headless=true -cp <jars> io.deepclass.ij.bridge.Headless train_on_folder.ijm "folder=/data/cells;model=/data/cells.zip"
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
norm = List.get("normalization"); if (norm == "") norm = "percentile";
weights = List.get("class_weights"); if (weights == "") weights = "none";
channels = List.get("channels");
tables = List.get("tables");
tableOption = ""; if (tables != "") tableOption = " save_tables=[" + tables + "]";

setBatchMode(true);
run("Import Dataset", "source=folder folder=[" + folder + "] width=" + size + " height=" + size + " channels=keep select_channels=[" + channels + "]" + tableOption);
dataset = getTitle();
print("imported " + nSlices + " images into '" + dataset + "'");
run("Train Classifier", "dataset=[" + dataset + "] architecture=" + arch + " epochs=" + epochs + " batch_size=64 optimizer=sgd learning_rate=0.01 validation_fraction=0.2 normalization=[" + norm + "] class_weights=" + weights + " seed=42 model_file=[" + model + "]" + tableOption);
// DeepClass's tables reach a headless macro through "Results"
run("Get DeepClass Table", "table=[DeepClass Training History]");
last = Table.size("Results") - 1;
print("model saved to " + model + "; validation accuracy " + d2s(100 * Table.get("validation_accuracy", last, "Results"), 1) + " %");
