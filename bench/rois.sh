#!/usr/bin/env bash
# ROIs on a big multi-channel image: a 2048 x 2048, 3-channel 16-bit image with N round cells as
# overlay ROIs named by class. Prints ROIs/s for turning the ROIs into patches (Import Dataset's
# source=rois) and for Classify Images input=rois run as a headless macro (patches,
# classification, class-coloured overlay and table), and the peak memory of the whole run.
#   bench/rois.sh [N]      (default 1500)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1500}
mvn -q -DskipTests package dependency:build-classpath -DincludeScope=test \
  -Dmdep.outputFile=target/classpath.txt
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-$(nproc)}"
/usr/bin/time -f "peak RSS %M KB, wall %e s" java -Xmx4g -XX:TieredStopAtLevel=1 \
  -Djava.awt.headless=true -cp "target/test-classes:target/classes:$(cat target/classpath.txt)" \
  io.deepclass.demo.RoiBenchmark "$N" 2>&1 | grep -v SLF4J
