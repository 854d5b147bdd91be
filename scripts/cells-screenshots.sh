#!/usr/bin/env bash
# Re-makes docs/images/cells-panel-*.png: runs the GUI test that drives Classify Cells
# Interactively (CellPanelGuiTest) under a virtual 1280 x 1024 display; it saves its screenshots
# there. Needs xvfb-run.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p docs/images
DEEPCLASS_SCREENSHOTS="$PWD/docs/images" xvfb-run -a -s "-screen 0 1280x1024x24" \
  mvn -o -B -q test -Dtest=CellPanelGuiTest -Dsurefire.failIfNoSpecifiedTests=false
ls -la docs/images/cells-panel-*.png
