#!/usr/bin/env bash
# End to end in a real ImageJ 1.x window under a virtual display, on fluorescence-like data
# made from real images (see multichannel_e2e.ijm), with screenshots to look at. Not part of
# `mvn test` (it trains two networks for a few minutes).
#   src/test/e2e/multichannel_e2e.sh [out-dir]   (needs xvfb, imagemagick, dataset-fashion-mnist)
set -euo pipefail
cd "$(dirname "$0")/../../.."
OUT=$(realpath -m "${1:-target/e2e-multichannel}")
. src/test/e2e/imagej_setup.sh
run_macro "$PWD/src/test/e2e/multichannel_e2e.ijm" "$FM;$OUT/work;$OUT/shots"
ls -l "$OUT/shots" "$OUT/work/tables"
