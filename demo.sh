#!/usr/bin/env bash
# DeepClass demo: trains a classifier on Fashion-MNIST, saves it, reloads it, classifies the
# test set and prints accuracy and the confusion matrix. Options: ./demo.sh --help
#
# Data: /usr/share/datasets/fashion-mnist (Debian package dataset-fashion-mnist). When it is
# missing and this runs as root with apt-get available, it is installed; otherwise the demo
# falls back to the small sample embedded in the project.
set -euo pipefail
cd "$(dirname "$0")"

if [ ! -d /usr/share/datasets/fashion-mnist ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null \
   && [ "${DEEPCLASS_NO_INSTALL:-}" = "" ]; then
  echo "demo: installing the Debian package dataset-fashion-mnist (set DEEPCLASS_NO_INSTALL=1 to skip)"
  { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q dataset-fashion-mnist; } \
    >/dev/null 2>&1 || echo "demo: could not install it; using the embedded sample"
fi

mvn -q -DskipTests package dependency:build-classpath -DincludeScope=test -Dmdep.outputFile=target/classpath.txt
# ND4J's native ops use one OpenMP thread per core unless told otherwise.
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-$(nproc)}"
# Only the quick JIT (C1): on small machines the optimising compiler (C2) competes with the
# native threads for the cores while it compiles DL4J's Java code, for several epochs. Measured on
# the 2-core reference machine, 3 epochs at batch 64: mlp100 36.5k/46.6k/46.3k img/s with C1 alone
# against 18.3k/34.6k/35.9k with both, lenet 7.3k/7.8k/7.6k against 5.6k/7.0k/7.5k, the same
# losses. Set DEEPCLASS_JVM_OPTS to choose others (e.g. "" for the JVM's defaults).
# shellcheck disable=SC2086
exec java -Xmx2g ${DEEPCLASS_JVM_OPTS--XX:TieredStopAtLevel=1} -cp "target/test-classes:target/classes:$(cat target/classpath.txt)" io.deepclass.demo.FashionMnistDemo "$@"
