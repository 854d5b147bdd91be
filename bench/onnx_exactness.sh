#!/usr/bin/env bash
# Exactness of DeepClass's ONNX import on full torchvision networks: each exported by PyTorch with
# random weights, imported by DeepClass, both run on the same input; prints the largest
# difference of the outputs against their scale (the goal: below 1e-4 of it).
#   bench/onnx_exactness.sh [size] [models...]   (default: 224 resnet18 mobilenet_v2 vgg16
#                                                 squeezenet1_1 densenet121)
# Needs /usr/bin/python3 with python3-torch, python3-torchvision and python3-onnx.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE=${1:-224}; shift || true
MODELS=${*:-resnet18 mobilenet_v2 vgg16 squeezenet1_1 densenet121}
OUT=target/onnx-exactness
/usr/bin/python3 bench/onnx_exactness.py "$OUT" "$SIZE" $MODELS 2>&1 | grep -v -i warn
mvn -q -DskipTests package dependency:build-classpath -DincludeScope=test \
  -Dmdep.outputFile=target/classpath.txt
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-$(nproc)}"
for m in $MODELS; do
  java -Xmx6g -cp "target/test-classes:target/classes:$(cat target/classpath.txt)" io.deepclass.demo.OnnxCheck \
    "$OUT/$m.onnx" "$OUT/$m.input.bin" "$OUT/$m.output.bin" "$OUT/$m.json" 2>&1 | grep -v SLF4J
done
