// DeepClass example: classify every image of a folder with a model and save the results as CSV.
// Argument (";"-separated): model=<model .zip>;folder=<images>;csv=<results .csv to write>
// Headless: java -Djava.awt.headless=true -cp <jars> io.deepclass.ij.bridge.Headless classify_folder_headless.ijm "model=m.zip;folder=/data/new;csv=/data/new.csv"
// Fiji:     ImageJ-linux64 --headless -batch classify_folder_headless.ijm "model=m.zip;folder=/data/new;csv=/data/new.csv"
List.clear();
args = split(getArgument(), ";");
for (i = 0; i < args.length; i++) {
	kv = split(args[i], "=");
	if (kv.length == 2) List.set(String.trim(kv[0]), String.trim(kv[1]));
}
model = List.get("model");
folder = List.get("folder");
csv = List.get("csv");
if (model == "" || folder == "" || csv == "") exit("usage: model=<model.zip>;folder=<images>;csv=<out.csv>");

setBatchMode(true);
run("Classify Images", "model_file=[" + model + "] input=folder folder=[" + folder + "] resize save_csv=[" + csv + "]");
print("results saved to " + csv);
