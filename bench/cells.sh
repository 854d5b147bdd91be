#!/usr/bin/env bash
# Classify Cells Interactively, how fast: 500 ROIs (Fashion-MNIST T-shirts, trousers, sneakers,
# bags pasted into a 1024 x 1024 image), every cell's backbone features once, then retrain +
# recolour of every ROI at 20, 50 and 100 labels (goal: within 1 s on 2 cores), and the
# cross-validation the panel runs after each retrain; the PyTorch peer doing the same steps
# (resnet18 features of the 500 patches, a linear head by Adam on the labelled ones, predict all).
#   bench/cells.sh [input size, default 64]
# The backbone: resnet18 exported by the peer (untrained weights: speed does not depend on them;
# bench/active_learning.sh uses a pretrained one). Needs /usr/bin/python3 with torch and torchvision.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE=${1:-64}
PEER=${PEER:-../shared/bench/pytorch_transfer_peer.py}
OUT=target/cells-bench; mkdir -p "$OUT"
export OMP_NUM_THREADS=2
[ -f "$OUT/untrained/backbone.onnx" ] || /usr/bin/python3 "$PEER" pretrain --backbone resnet18 \
  --size 32 --epochs 0 --out "$OUT/untrained" >/dev/null 2>&1
mvn -q -o -DskipTests package dependency:build-classpath -DincludeScope=test \
  -Dmdep.outputFile=target/classpath.txt
CP="target/test-classes:target/classes:$(cat target/classpath.txt)"
# the two sides alternate, twice, so that both meet the same load on a shared machine
for round in 1 2; do
  java -Xmx3g -Djava.awt.headless=true -cp "$CP" io.deepclass.demo.CellsBench \
    "$OUT/untrained/backbone.onnx" "$SIZE" 2>/dev/null | grep '^{' | tee -a "$OUT/speed.jsonl"
  /usr/bin/python3 bench/cells_peer.py --size "$SIZE" 2>/dev/null | tee -a "$OUT/speed.jsonl"
done
java -Xmx3g -Djava.awt.headless=true -cp "$CP" io.deepclass.demo.CellsBench scratch 2>/dev/null \
  | grep '^{' | tee -a "$OUT/speed.jsonl"
