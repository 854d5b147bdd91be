// CI end to end (src/test/e2e/ci_e2e.sh): DeepClass installed as README says, in plain ImageJ
// 1.x, run headless by DeepClass's launcher: import the real Fashion-MNIST IDX files, train,
// evaluate on the 10 000 test images, and write the tables as CSV for the script to judge.
// Argument: fashion-mnist dir;work dir
args = split(getArgument(), ";");
fm = args[0]; work = args[1];
setBatchMode(true);
run("Import Dataset", "source=idx idx_images=[" + fm + "/train-images-idx3-ubyte.gz] idx_labels=[" + fm + "/train-labels-idx1-ubyte.gz] idx_classes=fashion-mnist");
train = getTitle();
print("imported " + nSlices + " training images into '" + train + "'");
run("Train Classifier", "dataset=[" + train + "] architecture=mlp100 epochs=1 batch_size=64 optimizer=adam learning_rate=0.001 validation_fraction=0.1 normalization=[bit depth] seed=42 model_file=[" + work + "/fashion-mnist-mlp100.zip] save_tables=[" + work + "]");
close(train);
run("Import Dataset", "source=idx idx_images=[" + fm + "/t10k-images-idx3-ubyte.gz] idx_labels=[" + fm + "/t10k-labels-idx1-ubyte.gz] idx_classes=fashion-mnist");
run("Evaluate Classifier", "model_file=[" + work + "/fashion-mnist-mlp100.zip] dataset=[" + getTitle() + "] samples=16 save_tables=[" + work + "]");
run("Get DeepClass Table", "table=[DeepClass Evaluation]");
for (row = 0; row < Table.size("Results"); row++)
	if (Table.getString("class", row, "Results") == "all (accuracy)")
		print("accuracy " + Table.get("precision", row, "Results") + " (95 % CI " + Table.get("recall_low95", row, "Results") + "-" + Table.get("recall_high95", row, "Results") + ") on " + Table.get("support", row, "Results") + " test images");
