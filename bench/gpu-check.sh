#!/usr/bin/env bash
# On a machine with an NVIDIA GPU: builds DeepClass's GPU variant, prints the System Check, trains
# bncnn for one epoch on Fashion-MNIST and classifies the test set, printing img/s for each phase
# and the device that computed. On a GPU that ND4J 1.0.0-M2.1's CUDA build supports (compute
# 3.7-8.9, CUDA 11.6 runtime and cuDNN 8 installed) it must train on the GPU; on newer GPUs
# (Hopper, Blackwell) it must say why it falls back and still finish on the CPU.
#
#   bench/gpu-check.sh [--epochs N] [--batch N]
#
# Needs: Java 17, Maven (Central reachable: the GPU variant downloads about 1 GB of CUDA natives
# once), dataset-fashion-mnist (installed when run as root with apt-get) or FASHION_MNIST_DIR.
# The CUDA 11.6 runtime and cuDNN 8.3 come from the machine; without them it reports the
# fallback. Set DEEPCLASS_BACKEND=cpu to compare with the CPU on the same machine.
set -euo pipefail
cd "$(dirname "$0")/.."
EPOCHS=1; BATCH=64
while [ $# -gt 0 ]; do
  case "$1" in
    --epochs) EPOCHS=$2; shift 2 ;;
    --batch) BATCH=$2; shift 2 ;;
    *) echo "gpu-check: unknown option $1 (see the header of $0)"; exit 2 ;;
  esac
done
FM=${FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}
if [ ! -d "$FM" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q dataset-fashion-mnist; } \
    >/dev/null 2>&1 || true
fi
[ -d "$FM" ] || { echo "gpu-check: $FM missing (apt-get install dataset-fashion-mnist)"; exit 2; }

echo "== nvidia-smi"
nvidia-smi --query-gpu=name,compute_cap,memory.total,driver_version --format=csv 2>&1 \
  || echo "(nvidia-smi not found or failed: no NVIDIA driver)"

echo "== building the GPU variant (mvn -Dcuda package)"
start=$(date +%s)
mvn -q -B -Dcuda -DskipTests clean package dependency:build-classpath -DincludeScope=test \
  -Dmdep.outputFile=target/classpath.txt
echo "built in $(( $(date +%s) - start )) s: $(ls target/DeepClass_-*-gpu.jar)"
CP="target/test-classes:target/classes:$(cat target/classpath.txt)"
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-$(nproc)}"

echo "== System Check"
java -Xmx4g -cp "$CP" io.deepclass.cluster.SystemCheck

echo "== bncnn, $EPOCHS epoch(s), batch $BATCH: train, save, reload, classify the test set"
java -Xmx4g -cp "$CP" io.deepclass.demo.FashionMnistDemo --model bncnn --epochs "$EPOCHS" \
  --batch "$BATCH" --data-dir "$FM" --out target/gpu-check/bncnn.zip \
  | grep -E "^(backend|model|epoch [0-9]+:|reloaded|test accuracy|result)"
echo "== whole run: $(( $(date +%s) - start )) s"
