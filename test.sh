#!/usr/bin/env bash
# Runs all tests: under a virtual display when xvfb-run is there (dialog and Macro Recorder tests
# need one; everything else runs headless either way), then core's tests on the GPU variant.
set -euo pipefail
cd "$(dirname "$0")"
run() {
  if [ -z "${DISPLAY:-}" ] && command -v xvfb-run >/dev/null; then
    xvfb-run -a -s "-screen 0 1280x1024x24" "$@"
  else
    "$@"
  fi
}
run mvn -B clean test "$@"
# The GPU variant (both ND4J backends; CUDA's Java classes only, no CUDA natives) must compile,
# choose the CPU here, and pass core's backend-independent tests. DEEPCLASS_SKIP_GPU_VARIANT=1
# skips it, e.g. when running a single test with -Dtest=...
if [ -z "${DEEPCLASS_SKIP_GPU_VARIANT:-}" ]; then
  echo "test.sh: the GPU variant (-Dcuda=api), core tests"
  mvn -B -Dcuda=api clean test -Dtest='io/deepclass/core/**/*Test' -Dsurefire.failIfNoSpecifiedTests=false \
    -DskipGuiTests=true
  # leave target/ as the CPU build, which demo.sh and a plain `mvn test` expect
  mvn -q -B clean
fi
