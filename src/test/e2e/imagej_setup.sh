# Sourced by the e2e scripts: checks the tools and data, builds DeepClass, installs it with a
# fresh ImageJ 1.x into $OUT/ImageJ, and runs a macro there under a virtual display.
# Needs OUT set; sets FM and IJ.
FM=${FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}
for tool in xvfb-run import; do
  command -v $tool >/dev/null || { echo "e2e: $tool missing (apt-get install xvfb imagemagick)"; exit 2; }
done
[ -d "$FM" ] || { echo "e2e: $FM missing (apt-get install dataset-fashion-mnist)"; exit 2; }

mvn -q -DskipTests package
IJ="$OUT/ImageJ"
rm -rf "$OUT"; mkdir -p "$IJ/plugins/jars" "$OUT/work" "$OUT/shots"
mvn -q dependency:copy -Dartifact=net.imagej:ij:1.54p -DoutputDirectory="$IJ" -Dmdep.stripVersion=true
cp target/DeepClass_-*.jar "$IJ/plugins/"
cp target/jars/*.jar "$IJ/plugins/jars/"

# run_macro MACRO ARGUMENT: the macro quits ImageJ at its end; the timeout stops a run stuck on
# an unexpected dialog. The output goes to $OUT/imagej.log too.
run_macro() {
  (cd "$IJ" && OMP_NUM_THREADS=$(nproc) timeout 30m xvfb-run -a -s "-screen 0 1600x1000x24" \
    java -Xmx6g -Dplugins.dir="$IJ" -jar ij.jar -macro "$1" "$2" 2>&1 | tee "$OUT/imagej.log")
}
