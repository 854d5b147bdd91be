#!/usr/bin/env bash
# End-to-end run of DeepClass in a real ImageJ 1.x window, as a new user would use it, under a
# virtual display, with screenshots to look at. Not part of `mvn test` (it trains a real network
# on Fashion-MNIST images for a few minutes).
#   src/test/e2e/imagej_e2e.sh [out-dir] [model]   (needs xvfb, imagemagick, dataset-fashion-mnist)
# model: a bundle to look inside at the end (e.g. the demo's full-data bncnn); default: the
# model this run trains on 3000 images.
set -euo pipefail
cd "$(dirname "$0")/../../.."
OUT=$(realpath -m "${1:-target/e2e}")
FM=${FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}
MODEL=$([ -n "${2:-}" ] && realpath "$2" || true)
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

cd "$IJ"
export OMP_NUM_THREADS=$(nproc)
# the macro quits ImageJ at its end; the timeout stops a run stuck on an unexpected dialog
timeout 30m xvfb-run -a -s "-screen 0 1600x1000x24" \
  java -Xmx6g -Dplugins.dir="$IJ" -jar ij.jar -macro "$OLDPWD/src/test/e2e/imagej_e2e.ijm" \
  "$FM;$OUT/work;$OUT/shots;$OLDPWD/macros;$MODEL" 2>&1 | tee "$OUT/imagej.log"
ls -l "$OUT/shots"
