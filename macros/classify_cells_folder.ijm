// DeepClass example: classify the cells of every image of a folder with a model.
// The folder holds each image with its ROI set beside it (cells1.tif + cells1.zip). Each image's
// ROI set is written to the output folder (the input files are left as they are) with every
// ROI's predicted class in its group (the ROI Manager colours groups) and in the properties
// DeepClass_prediction and DeepClass_confidence; one table lists every ROI (image, ROI number
// and name, class, confidence, a probability per class), saved as <out>/results.csv.
// Argument (";"-separated): model=<model .zip>;folder=<images with ROI sets>;out=<output folder>[;patch=0]
// patch: the patch size the model was trained with (0: each ROI's bounding box).
List.clear();
args = split(getArgument(), ";");
for (i = 0; i < args.length; i++) {
	kv = split(args[i], "=");
	if (kv.length == 2) List.set(String.trim(kv[0]), String.trim(kv[1]));
}
model = List.get("model");
folder = List.get("folder");
out = List.get("out");
if (model == "" || folder == "" || out == "") exit("usage: model=<model.zip>;folder=<images with ROI sets>;out=<output folder>");
patch = List.get("patch"); if (patch == "") patch = "0";

setBatchMode(true);
run("Classify Images", "model_file=[" + model + "] input=[rois in folder] folder=[" + folder + "] output_folder=[" + out + "] patch_size=" + patch);
run("Get DeepClass Table", "table=[DeepClass Results]");
print(Table.size("Results") + " cells classified; ROI sets and results.csv in " + out);
