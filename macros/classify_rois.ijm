// DeepClass example: classify the ROIs (ROI Manager, else the image's overlay) of an image.
// Each ROI gets an outline coloured by its predicted class, named "class (confidence)".
// Argument (";"-separated): model=<model .zip>;image=<image file>[;patch=64;csv=<results .csv>]
List.clear();
args = split(getArgument(), ";");
for (i = 0; i < args.length; i++) {
	kv = split(args[i], "=");
	if (kv.length == 2) List.set(String.trim(kv[0]), String.trim(kv[1]));
}
model = List.get("model");
image = List.get("image");
if (model == "" || image == "") exit("usage: model=<model.zip>;image=<image with ROIs>");
patch = List.get("patch"); if (patch == "") patch = "0";
csv = List.get("csv");

setBatchMode(true);
open(image);
options = "model_file=[" + model + "] input=rois patch_size=" + patch + " overlay";
if (csv != "") options = options + " save_csv=[" + csv + "]";
run("Classify Images", options);
print(Overlay.size + " ROIs classified");
