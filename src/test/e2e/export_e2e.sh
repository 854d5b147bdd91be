#!/usr/bin/env bash
# Export end to end: models trained on Fashion-MNIST (every reference architecture, and any
# DeepClass model files given, such as the transfer e2e's) exported as ONNX files and bioimage.io
# packages; ONNX Runtime's probabilities against DeepClass's on 2 000 test images and both
# inference rates (same machine, same threads); then Python's ONNX checker (full_check),
# PyYAML and numpy.load on every file. Not part of `mvn test`.
#   src/test/e2e/export_e2e.sh [out-dir] [model.zip ...]
# Needs dataset-fashion-mnist and Debian's python3-onnx, python3-yaml, python3-numpy.
set -euo pipefail
cd "$(dirname "$0")/../../.."
OUT=$(realpath -m "${1:-target/e2e-export}"); shift || true
THREADS=${THREADS:-$(nproc)}
mvn -q -DskipTests test-compile dependency:build-classpath -DincludeScope=test \
  -Dmdep.outputFile=target/test-classpath.txt
rm -rf "$OUT"; mkdir -p "$OUT"
OMP_NUM_THREADS=$THREADS java -Xmx6g -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
  io.deepclass.demo.ExportBench "$OUT" "$THREADS" "$@" 2>&1 | grep -v SLF4J
/usr/bin/python3 src/test/e2e/export_check.py "$OUT"
