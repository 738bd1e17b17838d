#!/usr/bin/env bash
# Builds and runs every benchmark (ctest label "bench") and prints their output.
# Benchmarks are excluded from the default test run (scripts/test.sh).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${GP_BUILD_DIR:-$root/build}
export GP_BUILD_DIR=$build_dir
GP_BUILD_TYPE=${GP_BUILD_TYPE:-Release} "$root/scripts/build.sh"
cd "$build_dir"
export QT_QPA_PLATFORM=offscreen
ctest -L bench -V --timeout 1800 "$@"
