#!/usr/bin/env bash
# Set up, build and run every test through ctest.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/scripts/install-deps.sh"
start=$(date +%s)
"$root/scripts/build.sh"
echo "test.sh: build took $(($(date +%s) - start)) s" >&2
cd "${GP_BUILD_DIR:-$root/build}"
export QT_QPA_PLATFORM=offscreen
ctest --output-on-failure --parallel "$(nproc)" --label-exclude bench "$@"
