#!/usr/bin/env bash
# Re-makes docs/images/cells-panel-*.png: runs the GUI test that drives Classify Cells
# Interactively (CellPanelGuiTest) under a virtual 1280 x 1024 display; it saves its screenshots
# there. Needs xvfb-run.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p docs/images
DEEPCLASS_SCREENSHOTS="$PWD/docs/images" xvfb-run -a -s "-screen 0 1280x1024x24" \
  mvn -o -B -q test -Dtest=CellPanelGuiTest -Dsurefire.failIfNoSpecifiedTests=false
# 256 colours, as scripts/screenshots.sh keeps the guide's pictures small
/usr/bin/python3 - <<'PY'
import glob
from PIL import Image
for f in glob.glob("docs/images/cells-panel-*.png"):
    Image.open(f).convert("RGB").quantize(256).save(f, optimize=True)
PY
ls -la docs/images/cells-panel-*.png
