#!/usr/bin/env bash
# Configure and build GrokPulse in build/ (or $GP_BUILD_DIR). Used by run.sh and test.sh.
# Arguments go to the configure. GP_BUILD_TARGETS="a b" builds only those targets.
# When the configure fails for a missing package, says which Debian package to install.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if ! command -v cmake >/dev/null 2>&1; then
  echo "build.sh: cmake is not installed: run scripts/install-deps.sh (or: sudo apt-get install cmake)" >&2
  exit 1
fi
# shellcheck source=scripts/lib/ccache.sh
source "$root/scripts/lib/ccache.sh"
build_dir=${GP_BUILD_DIR:-$root/build}
build_type=${GP_BUILD_TYPE:-Release}
werror=OFF
[[ "${CI:-}" == "true" ]] && werror=ON
generator=()
command -v ninja >/dev/null 2>&1 && generator=(-G Ninja)
configure_log=$(mktemp)
trap 'rm -f "$configure_log"' EXIT
status=0
first=0
if [[ ! -f "$build_dir/CMakeCache.txt" ]]; then
  first=1
  cmake -S "$root" -B "$build_dir" "${generator[@]}" "${ccache_args[@]}" -DCMAKE_BUILD_TYPE="$build_type" \
    -DGP_WERROR="$werror" "$@" 2>&1 | tee "$configure_log" || status=${PIPESTATUS[0]}
else
  cmake "$build_dir" -DGP_WERROR="$werror" "$@" >"$configure_log" 2>&1 || { status=$?; cat "$configure_log"; }
fi
if ((status != 0)); then
  echo "build.sh: the configure of $build_dir failed (exit $status)" >&2
  "$root/scripts/install-deps.sh" --explain "$configure_log" || true
  # A failed first configure leaves a cache holding what it did not find (a compiler, say):
  # drop it, so the next run after the install configures from scratch.
  ((first)) && rm -rf "$build_dir/CMakeCache.txt" "$build_dir/CMakeFiles"
  exit "$status"
fi
targets=()
for target in ${GP_BUILD_TARGETS:-}; do
  targets+=(--target "$target")
done
cmake --build "$build_dir" --parallel "$(nproc)" "${targets[@]}"
