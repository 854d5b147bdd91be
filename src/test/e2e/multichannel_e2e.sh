#!/usr/bin/env bash
# End to end in a real ImageJ 1.x window under a virtual display, on fluorescence-like data
# made from real images (see multichannel_e2e.ijm), with screenshots to look at. Not part of
# `mvn test` (it trains two networks for a few minutes).
#   src/test/e2e/multichannel_e2e.sh [out-dir]   (needs xvfb, imagemagick, dataset-fashion-mnist)
set -euo pipefail
cd "$(dirname "$0")/../../.."
OUT=$(realpath -m "${1:-target/e2e-multichannel}")
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
cd "$IJ"
export OMP_NUM_THREADS=$(nproc)
timeout 30m xvfb-run -a -s "-screen 0 1600x1000x24" \
  java -Xmx6g -Dplugins.dir="$IJ" -jar ij.jar -macro "$OLDPWD/src/test/e2e/multichannel_e2e.ijm" \
  "$FM;$OUT/work;$OUT/shots" 2>&1 | tee "$OUT/imagej.log"
ls -l "$OUT/shots" "$OUT/work/tables"
