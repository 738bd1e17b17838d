#!/usr/bin/env bash
# Configure and build GrokPulse in build/ (or $GP_BUILD_DIR). Used by run.sh and test.sh.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/lib/ccache.sh
source "$root/scripts/lib/ccache.sh"
build_dir=${GP_BUILD_DIR:-$root/build}
build_type=${GP_BUILD_TYPE:-Release}
werror=OFF
[[ "${CI:-}" == "true" ]] && werror=ON
generator=()
command -v ninja >/dev/null 2>&1 && generator=(-G Ninja)
if [[ ! -f "$build_dir/CMakeCache.txt" ]]; then
  cmake -S "$root" -B "$build_dir" "${generator[@]}" "${ccache_args[@]}" -DCMAKE_BUILD_TYPE="$build_type" -DGP_WERROR="$werror" "$@"
else
  cmake "$build_dir" -DGP_WERROR="$werror" "$@" >/dev/null
fi
cmake --build "$build_dir" --parallel "$(nproc)"
