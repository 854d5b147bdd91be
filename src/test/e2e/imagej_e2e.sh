#!/usr/bin/env bash
# End-to-end run of DeepClass in a real ImageJ 1.x window, as a new user would use it, under a
# virtual display, with screenshots to look at. Not part of `mvn test` (it trains a real network
# on Fashion-MNIST images for a few minutes).
#   src/test/e2e/imagej_e2e.sh [out-dir] [model]   (needs xvfb, imagemagick, dataset-fashion-mnist)
# model: a bundle to look inside at the end (e.g. the demo's full-data bncnn); default: the
# model this run trains on 3000 images.
set -euo pipefail
cd "$(dirname "$0")/../../.."
OUT=$(realpath -m "${1:-target/e2e}")
MODEL=$([ -n "${2:-}" ] && realpath "$2" || true)
. src/test/e2e/imagej_setup.sh
run_macro "$PWD/src/test/e2e/imagej_e2e.ijm" "$FM;$OUT/work;$OUT/shots;$PWD/macros;$MODEL"
ls -l "$OUT/shots"
