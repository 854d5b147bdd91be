#!/usr/bin/env bash
# Datasets larger than memory (issue 18), side by side in one run: peak RSS (from /usr/bin/time)
# and images/s of importing and training one epoch with the images in memory and in the disk
# cache, on a subset that fits in memory, then the disk cache on the full number; then the
# import rate of a folder of PNG files decoded on every core.
#   bench/scale.sh [n] [size] [subset] [architecture] [pngs] [batches]
#   (defaults: 100000 128 5000 bncnn 20000 0; batches > 0 stops the full run's epoch after
#   that many batches of 64, for machines where one epoch of n images takes too long)
# Needs /usr/bin/time (apt-get install time). The synthetic images are 16-bit gray, 4 classes.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-100000}; SIZE=${2:-128}; SUBSET=${3:-5000}; ARCH=${4:-bncnn}; PNGS=${5:-20000}
BATCHES=${6:-0}
mvn -q -DskipTests package dependency:build-classpath -DincludeScope=test \
  -Dmdep.outputFile=target/classpath.txt
CP="target/test-classes:target/classes:$(cat target/classpath.txt)"
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-$(nproc)}
OUT=target/scale; mkdir -p "$OUT"
run() { # label, heap, java args...
  local label=$1 heap=$2; shift 2
  # JavaCPP refuses native memory past 4x the heap by default; the networks' native memory is
  # what is measured here, with the heap kept small on purpose
  /usr/bin/time -v -o "$OUT/time.txt" java -Xmx$heap -Dorg.bytedeco.javacpp.maxPhysicalBytes=0 \
    -Djava.awt.headless=true -cp "$CP" -Ddeepclass.cache="$OUT" io.deepclass.demo.ScaleBench "$@" \
    > "$OUT/run.txt" 2>&1 || true
  grep "^scale:" "$OUT/run.txt" || { echo "$label failed:"; grep -v SLF4J "$OUT/run.txt" | tail -5; }
  local rss; rss=$(awk -F: '/Maximum resident/ {print $2}' "$OUT/time.txt")
  local wall; wall=$(awk -F': ' '/Elapsed/ {print $2}' "$OUT/time.txt")
  printf '%-34s peak RSS %6.2f GiB, wall %s\n' "$label" "$(echo "$rss / 1048576" | bc -l)" "$wall"
}
echo "== $ARCH on ${SIZE}x${SIZE}, $OMP_NUM_THREADS threads; heap 4g in memory, 1g on disk =="
run "memory, $SUBSET images" 4g train "$SUBSET" "$SIZE" memory "$ARCH" 0
run "disk, $SUBSET images" 1g train "$SUBSET" "$SIZE" disk "$ARCH" 0
run "disk, $N images" 1g train "$N" "$SIZE" disk "$ARCH" "$BATCHES"
if [ "$PNGS" -gt 0 ]; then
  rm -rf "$OUT/pngs"
  java -Djava.awt.headless=true -cp "$CP" io.deepclass.demo.ScaleBench pngs "$PNGS" 64 "$OUT/pngs"
  run "read $PNGS PNG files (64x64)" 2g read "$OUT/pngs"
fi
