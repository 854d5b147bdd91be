// DeepClass example: classify the images listed in a text file (one path per line), streaming the
// results to CSV a batch at a time; resume=true continues an interrupted run's CSV.
// Argument (";"-separated): model=<model .zip>;list=<paths .txt>;csv=<results .csv>[;resume=true]
// Headless: java -Djava.awt.headless=true -cp <jars> io.deepclass.ij.bridge.Headless classify_list_headless.ijm "model=m.zip;list=todo.txt;csv=out.csv"
// Used per shard by scripts/shard_classify.sh.
List.clear();
args = split(getArgument(), ";");
for (i = 0; i < args.length; i++) {
	kv = split(args[i], "=");
	if (kv.length == 2) List.set(String.trim(kv[0]), String.trim(kv[1]));
}
model = List.get("model");
list = List.get("list");
csv = List.get("csv");
if (model == "" || list == "" || csv == "") exit("usage: model=<model.zip>;list=<paths.txt>;csv=<out.csv>[;resume=true]");
resume = "";
if (List.get("resume") == "true") resume = " resume";

setBatchMode(true);
run("Classify Images", "model_file=[" + model + "] input=list list_file=[" + list + "] resize save_csv=[" + csv + "]" + resume);
print("results saved to " + csv);
