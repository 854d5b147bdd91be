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

mvn -q -DskipTests package dependency:build-classpath -DincludeScope=runtime -Dmdep.outputFile=target/classpath.txt
# ND4J's native ops use one OpenMP thread per core unless told otherwise.
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-$(nproc)}"
exec java -Xmx2g -cp "target/classes:$(cat target/classpath.txt)" io.deepclass.demo.FashionMnistDemo "$@"
