// DeepClass example: share a model. Writes it as an ONNX file (ONNX Runtime, OpenCV, the browser)
// and as a bioimage.io model package (deepImageJ, ilastik, QuPath, BiaPy, bioimageio.core); the
// package needs labelled test images (one sub-folder per class) for its test tensors and docs.
// Argument (";"-separated): model=<model .zip>;folder=<class folders>;out=<output folder>
//                           [;name=<model name>;authors=<names, comma separated>]
List.clear();
args = split(getArgument(), ";");
for (i = 0; i < args.length; i++) {
	kv = split(args[i], "=");
	if (kv.length == 2) List.set(String.trim(kv[0]), String.trim(kv[1]));
}
model = List.get("model");
folder = List.get("folder");
out = List.get("out");
if (model == "" || folder == "" || out == "")
	exit("usage: model=<model.zip>;folder=<class folders>;out=<output folder>");
name = List.get("name");
if (name == "") name = "DeepClass model";
authors = List.get("authors");

setBatchMode(true);
run("Export Model", "model_file=[" + model + "] format=onnx output=[" + out + "/model.onnx]");
run("Export Model", "model_file=[" + model + "] format=bioimage.io output=[" + out +
	"/model.bioimage.io.zip] folder=[" + folder + "] name=[" + name + "] authors=[" + authors + "]");
print("exported " + out + "/model.onnx and " + out + "/model.bioimage.io.zip");
