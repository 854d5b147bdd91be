#!/usr/bin/env bash
# Re-makes the user guide's screenshots (docs/images/*.png) in one command: DeepClass driven in a
# real ImageJ 1.x window (io.deepclass.demo.DocScreenshots) under a 1280 x 1024 virtual display,
# on four Fashion-MNIST classes exported to class folders and on nuclei of a real
# immunohistochemistry image (the README's picture); then the plots (docs/plots.py).
#   scripts/screenshots.sh [out-dir]     (needs xvfb, dataset-fashion-mnist; about 3 minutes)
#   scripts/screenshots.sh out-dir dialogs   only the dialogs (dialog-*.png), in seconds
# Look at every picture before committing it. Dialogs show the defaults: preferences (remembered
# dialog values) are kept in the work folder, not in yours.
# docs/images/dialog-train-before.png is Train Classifier's dialog before its fields were grouped
# (one column, taller than the screen); it was made at commit "Screenshot of Train Classifier's
# dialog before grouping" with
#   SCREENSHOTS_JAVA_OPTS=-Ddeepclass.dialogTrain=dialog-train-before scripts/screenshots.sh /tmp/before dialogs
# (git log --grep 'before grouping' finds it); check that commit out in a worktree to re-make it.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=$(realpath -m "${1:-docs/images}")
FM=${FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}
command -v xvfb-run >/dev/null || { echo "screenshots: xvfb-run missing (apt-get install xvfb)"; exit 2; }
[ -d "$FM" ] || { echo "screenshots: $FM missing (apt-get install dataset-fashion-mnist)"; exit 2; }
# the README's picture: scikit-image's immunohistochemistry sample (real cells)
IHC=${IHC_IMAGE:-/usr/lib/python3/dist-packages/skimage/data/ihc.png}
[ -f "$IHC" ] || { echo "screenshots: $IHC missing (apt-get install python3-skimage)"; exit 2; }
mvn -B -q ${MVN_OFFLINE:+-o} test-compile
mvn -B -q ${MVN_OFFLINE:+-o} dependency:build-classpath -DincludeScope=test -Dmdep.outputFile=target/test-classpath.txt
if [ -n "${SCREENSHOTS_WORK:-}" ]; then WORK=$SCREENSHOTS_WORK; mkdir -p "$WORK"  # keeps the exported images
else WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT; fi
mkdir -p "$OUT"
OMP_NUM_THREADS=$(nproc) timeout 20m xvfb-run -a -s "-screen 0 1280x1024x24" \
  java -Xmx3g -Djava.util.prefs.userRoot="$WORK/prefs" ${SCREENSHOTS_JAVA_OPTS:-} -cp "target/classes:target/test-classes:$(cat target/test-classpath.txt)" \
  io.deepclass.demo.DocScreenshots "$OUT" "$WORK" "$FM" "$IHC" ${2:-}
# 256 colours keep the PNGs small (ImageJ's windows have few colours); then the plots
/usr/bin/python3 - "$OUT" <<'PY'
import sys
from pathlib import Path
from PIL import Image
for f in sorted(Path(sys.argv[1]).glob("*.png")):
    Image.open(f).convert("RGB").quantize(256).save(f, optimize=True)
PY
[ "${2:-}" = dialogs ] || /usr/bin/python3 docs/plots.py "$OUT"
ls -l "$OUT"
