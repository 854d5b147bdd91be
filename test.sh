#!/usr/bin/env bash
# Runs all tests: under a virtual display when xvfb-run is there (dialog and Macro Recorder tests
# need one; everything else runs headless either way), then core's tests on the GPU variant.
# Each pass's counts come from surefire's reports; a pass that ran fewer tests than it should
# fails, and with CI=true so does a skipped test (CI installs everything the suite needs).
set -euo pipefail
cd "$(dirname "$0")"
run() {
  if [ -z "${DISPLAY:-}" ] && command -v xvfb-run >/dev/null; then
    xvfb-run -a -s "-screen 0 1280x1024x24" "$@"
  else
    "$@"
  fi
}
# counts <reports dir> [class-name prefix]: "tests skipped" summed over surefire's XML reports
counts() {
  local t=0 s=0 f n k
  for f in "$1"/TEST-*.xml; do
    [ -e "$f" ] || continue
    case "$(basename "$f" .xml)" in TEST-"${2:-}"*) ;; *) continue ;; esac
    # the root element's attributes: <testsuite ... tests="N" ... skipped="K" ...>
    n=$(grep -m1 -o '<testsuite [^>]*' "$f" | grep -o ' tests="[0-9]*"' | grep -o '[0-9]*')
    k=$(grep -m1 -o '<testsuite [^>]*' "$f" | grep -o ' skipped="[0-9]*"' | grep -o '[0-9]*')
    t=$((t + ${n:-0})); s=$((s + ${k:-0}))
  done
  echo "$t $s"
}
check() { # check <pass> <tests> <skipped> <at least>
  echo "test.sh: $1: $2 tests, $3 skipped"
  if [ "$2" -lt "$4" ]; then
    echo "test.sh: FAILED: $1 ran $2 tests, fewer than the $4 it must run" >&2; exit 1
  fi
  if [ "${CI:-}" = true ] && [ "$3" -gt 0 ]; then
    echo "test.sh: FAILED: $1 skipped $3 tests in CI (see target/surefire-reports*)" >&2; exit 1
  fi
}
run mvn -B clean test "$@"
if [ "$#" -eq 0 ]; then
  read -r main_tests main_skipped < <(counts target/surefire-reports)
  read -r gui_tests gui_skipped < <(counts target/surefire-reports-gui)
  read -r core_tests _ < <(counts target/surefire-reports io.deepclass.core.)
  # MIN_TESTS: the suite's size when this line last changed; a pass running fewer lost tests
  check "main pass" "$main_tests" "$main_skipped" "${MIN_TESTS:-270}"
  check "dialog/Macro Recorder pass" "$gui_tests" "$gui_skipped" 2
fi
# The end-to-end checks that judge a result (ONNX Runtime against DeepClass; a headless macro
# in plain ImageJ 1.x on the real Fashion-MNIST files): in CI, or with E2E=1. The others in
# src/test/e2e/ are manual checks (README there).
if [ "$#" -eq 0 ] && { [ "${CI:-}" = true ] || [ -n "${E2E:-}" ]; }; then
  src/test/e2e/ci_e2e.sh target/e2e-ci
fi
# The GPU variant (both ND4J backends; CUDA's Java classes only, no CUDA natives) must compile,
# choose the CPU here, and pass core's backend-independent tests: every core test of the main
# pass. DEEPCLASS_SKIP_GPU_VARIANT=1 skips it, e.g. when running a single test with -Dtest=...
if [ -z "${DEEPCLASS_SKIP_GPU_VARIANT:-}" ]; then
  echo "test.sh: the GPU variant (-Dcuda=api), core tests"
  mvn -B -Dcuda=api clean test -Dtest='io/deepclass/core/**/*Test' -Dsurefire.failIfNoSpecifiedTests=false \
    -DskipGuiTests=true
  read -r gpu_tests gpu_skipped < <(counts target/surefire-reports io.deepclass.core.)
  check "GPU-variant pass" "$gpu_tests" "$gpu_skipped" "${core_tests:-1}"
  # leave target/ as the CPU build, which demo.sh and a plain `mvn test` expect
  mvn -q -B clean
fi
