#!/usr/bin/env bash
# Runs all tests: under a virtual display when xvfb-run is there (dialog and Macro Recorder tests
# need one; everything else runs headless either way).
set -euo pipefail
cd "$(dirname "$0")"
if [ -z "${DISPLAY:-}" ] && command -v xvfb-run >/dev/null; then
  exec xvfb-run -a -s "-screen 0 1280x1024x24" mvn -B test "$@"
fi
exec mvn -B test "$@"
