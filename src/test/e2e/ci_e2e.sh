#!/usr/bin/env bash
# The end-to-end checks that judge a result; test.sh runs them in CI (CI=true) or with E2E=1,
# about 3 minutes on 2 cores. Each step fails the run on a wrong result:
#  1. export: models trained 1 epoch on 6 000 Fashion-MNIST images (linear, lenet) exported as
#     ONNX and bioimage.io; ONNX Runtime's probabilities on 2 000 test images within 1e-4 of
#     DeepClass's (ExportBench exits 1 otherwise); then export_check.py: the ONNX checker
#     (full_check), PyYAML and numpy.load on every file, SHA-256 by hashlib.
#  2. a headless macro in plain ImageJ 1.x with DeepClass installed as README says (the plugin
#     jar, its jars, ij.jar, DeepClass's launcher): import the real IDX files, train mlp100 for
#     1 epoch, evaluate on the 10 000 test images; accuracy >= 0.78 read from the CSV it wrote;
#     the launcher exits 0, and 1 for a macro that fails.
#  3. ./demo.sh itself, small (mlp100, 1 epoch on 10 000 images): exit code 0, a model file,
#     test accuracy of the reloaded model on the 10 000 test images >= 75 %.
# Needs dataset-fashion-mnist, python3-onnx, python3-yaml, python3-numpy (.ci/run installs them).
#   src/test/e2e/ci_e2e.sh [out-dir]
set -euo pipefail
cd "$(dirname "$0")/../../.."
OUT=$(realpath -m "${1:-target/e2e-ci}")
FM=${FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}
[ -d "$FM" ] || { echo "e2e: FAILED: $FM missing (apt-get install dataset-fashion-mnist)" >&2; exit 1; }
rm -rf "$OUT"; mkdir -p "$OUT/export" "$OUT/imagej/work"
fail() { echo "e2e: FAILED: $*" >&2; exit 1; }

echo "e2e 1/3: export against ONNX Runtime, then Python's ONNX checker, PyYAML and numpy"
mvn -q -B -DskipTests test-compile dependency:build-classpath -DincludeScope=test \
  -Dmdep.outputFile=target/test-classpath.txt
OMP_NUM_THREADS=$(nproc) java -Xmx3g -XX:TieredStopAtLevel=1 -Darchitectures=linear,lenet \
  -Dmax.difference=1e-4 -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
  io.deepclass.demo.ExportBench "$OUT/export" "$(nproc)" 2>&1 | grep -v SLF4J \
  || fail "ExportBench (ONNX Runtime differs from DeepClass, or an export failed)"
/usr/bin/python3 src/test/e2e/export_check.py "$OUT/export" || fail "export_check.py"

echo "e2e 2/3: a headless macro in plain ImageJ 1.x, DeepClass installed from its jars"
mvn -q -B -DskipTests package
IJ="$OUT/imagej"
mvn -q -B dependency:copy -Dartifact=net.imagej:ij:1.54p -DoutputDirectory="$IJ" -Dmdep.stripVersion=true
CP="$IJ/ij.jar:$(ls target/DeepClass_-*.jar | grep -v -- '-gpu' | head -n 1):target/jars/*"
WORK="$IJ/work"
set +e
OMP_NUM_THREADS=$(nproc) java -Djava.awt.headless=true -Xmx3g -cp "$CP" io.deepclass.ij.bridge.Headless \
  src/test/e2e/headless_ci.ijm "$FM;$WORK" 2>&1 | grep -v SLF4J | tee "$IJ/macro.log"
code=${PIPESTATUS[0]}
set -e
[ "$code" = 0 ] || fail "the macro exited $code (log: $IJ/macro.log)"
# the "all (accuracy)" row's precision (the accuracy) and support, columns found by their names
column() { # column <name>
  awk -F, -v want="$1" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == want) c = i; next }
    $1 == "all (accuracy)" { print $c }' "$WORK/DeepClass Evaluation.csv"
}
accuracy=$(column precision)
support=$(column support)
echo "e2e: Fashion-MNIST test accuracy $accuracy on $support images (from the CSV the macro wrote)"
[ "$support" = 10000 ] || fail "evaluated $support images, not 10000"
awk -v a="$accuracy" 'BEGIN { exit !(a >= 0.78) }' || fail "accuracy $accuracy < 0.78"
[ -s "$WORK/fashion-mnist-mlp100.zip" ] || fail "no model file"
printf 'run("Classify Images", "model_file=[%s/none.zip] input=folder folder=[%s]");\n' "$WORK" "$WORK" \
  > "$IJ/failing.ijm"
set +e
java -Djava.awt.headless=true -cp "$CP" io.deepclass.ij.bridge.Headless "$IJ/failing.ijm" > "$IJ/failing.log" 2>&1
code=$?
set -e
[ "$code" = 1 ] || fail "a failing macro exited $code, not 1 (log: $IJ/failing.log)"
grep -q "Classify Images: the model file" "$IJ/failing.log" || fail "no error line in $IJ/failing.log"

echo "e2e 3/3: ./demo.sh, small"
mkdir -p "$OUT/demo"
DEEPCLASS_NO_INSTALL=1 ./demo.sh --model mlp100 --epochs 1 --train-limit 10000 \
  --out "$OUT/demo/fashion-mnist-mlp100.zip" \
  2>&1 | grep -v SLF4J | tee "$OUT/demo.log" || fail "demo.sh exited ${PIPESTATUS[0]}"
[ -s "$OUT/demo/fashion-mnist-mlp100.zip" ] || fail "demo.sh wrote no model file"
demo=$(sed -n 's/^test accuracy: \([0-9.]*\) %$/\1/p' "$OUT/demo.log" | tail -n 1)
[ -n "$demo" ] || fail "demo.sh printed no test accuracy"
awk -v a="$demo" 'BEGIN { exit !(a >= 75) }' || fail "demo.sh's test accuracy $demo % < 75 %"
grep -q "^reloaded model classified 10,000 test images" "$OUT/demo.log" \
  || fail "demo.sh did not classify the 10 000 test images with the reloaded model"
echo "e2e: passed"
