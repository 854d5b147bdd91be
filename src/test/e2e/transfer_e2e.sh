#!/usr/bin/env bash
# Transfer learning end to end in a real ImageJ 1.x window under a virtual display, with
# screenshots to look at. The backbone: a resnet18 the PyTorch peer pretrains on six
# Fashion-MNIST classes (T-shirt to Sandal; 32x32, 1 epoch), written as ONNX. The target: the
# four classes it never saw (Shirt, Sneaker, Bag, Ankle boot) as 16-bit images, 25 labelled per
# class; from scratch, features and fine-tune (frozen BatchNorm) are trained and evaluated on 200
# test images, then the folder is classified and the fine-tuned model looked inside.
# Not part of `mvn test` (it trains for several minutes).
#   src/test/e2e/transfer_e2e.sh [out-dir]
# Needs xvfb, imagemagick, dataset-fashion-mnist, and /usr/bin/python3 with python3-torch,
# python3-torchvision and python3-onnx (for the backbone).
set -euo pipefail
cd "$(dirname "$0")/../../.."
OUT=$(realpath -m "${1:-target/e2e-transfer}")
PEER=${PEER:-../shared/bench/pytorch_transfer_peer.py}
BACKBONE=$(realpath -m target/transfer-backbone)
if [ ! -f "$BACKBONE/backbone.onnx" ]; then
  OMP_NUM_THREADS=$(nproc) /usr/bin/python3 "$PEER" pretrain --backbone resnet18 --size 32 \
    --epochs 1 --classes 0-5 --out "$BACKBONE" 2>/dev/null
fi
. src/test/e2e/imagej_setup.sh
run_macro "$PWD/src/test/e2e/transfer_e2e.ijm" "$FM;$OUT/work;$OUT/shots;$BACKBONE/backbone.onnx"
grep "^e2e:" "$OUT/e2e-log.txt" || { echo "e2e: the macro did not finish (see $OUT/imagej.log)"; exit 1; }
ls -l "$OUT/shots"
