#!/usr/bin/env bash
# ASan + UBSan build of the whole test suite in build-asan (gcc), then ctest without the
# bench label. Any sanitizer report fails its test: ASan aborts on the first error,
# UBSan is built with -fno-sanitize-recover, LeakSanitizer is on. Prints a summary with
# the first lines of every report. Extra arguments go to ctest (e.g. -R tst_fuzzreplay).
#   GP_ASAN_BUILD_DIR (default build-asan), GP_ASAN_JOBS (default nproc), GP_BUILD_UI=OFF
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/lib/ccache.sh
source "$root/scripts/lib/ccache.sh"
build_dir=${GP_ASAN_BUILD_DIR:-$root/build-asan}
jobs=${GP_ASAN_JOBS:-$(nproc)}
# -O0 and line tables only (-g1): the build is the slow part; ASan needs no optimiser.
flags="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined"

generator=()
command -v ninja >/dev/null 2>&1 && generator=(-G Ninja)
if [[ ! -f "$build_dir/CMakeCache.txt" ]]; then
  cmake -S "$root" -B "$build_dir" "${generator[@]}" "${ccache_args[@]}" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG=-g1 \
    -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" \
    -DCMAKE_SHARED_LINKER_FLAGS="-fsanitize=address,undefined" \
    -DGP_BUILD_UI="${GP_BUILD_UI:-ON}" -DGP_BUILD_BENCH=OFF >/dev/null || exit 2
elif [[ -n "${GP_BUILD_UI:-}" ]]; then
  cmake "$build_dir" -DGP_BUILD_UI="$GP_BUILD_UI" -DGP_BUILD_BENCH=OFF >/dev/null || exit 2
fi
start=$(date +%s)
if ! cmake --build "$build_dir" -j "$jobs" -- -k 0 >"$build_dir/sanitize-build.log" 2>&1; then
  echo "sanitize.sh: BUILD FAILED (the tests that did build still run); first errors:"
  grep -E 'error:|FAILED:' "$build_dir/sanitize-build.log" | head -20
  build_failed=1
fi
echo "sanitize.sh: build took $(($(date +%s) - start)) s"

log_dir=$build_dir/sanitizer-logs
rm -rf "$log_dir" && mkdir -p "$log_dir"
# log_path keeps each report in a file per process, so the summary can quote them.
export ASAN_OPTIONS="abort_on_error=1:halt_on_error=1:detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1:log_path=$log_dir/asan"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:log_path=$log_dir/ubsan"
export QT_QPA_PLATFORM=offscreen
cd "$build_dir" || exit 2
start=$(date +%s)
ctest --output-on-failure --parallel "$jobs" --label-exclude bench "$@" >"$build_dir/sanitize-ctest.log" 2>&1
ctest_status=$?
echo "sanitize.sh: ctest took $(($(date +%s) - start)) s"

echo "===== sanitize.sh summary ====="
grep -E '^[0-9]+% tests passed|^Total Test time' "$build_dir/sanitize-ctest.log"
grep -E '^\s+[0-9]+ - ' "$build_dir/sanitize-ctest.log" | sed 's/^/  failed: /'
reports=0
for report in "$log_dir"/*; do
  [[ -f "$report" ]] || continue
  reports=$((reports + 1))
  echo "--- $(basename "$report"):"
  grep -m1 -E 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$report"
  grep -E '^\s+#[0-9]+ .* in ' "$report" | grep -v -E 'libasan|libubsan|/usr/include|libQt6|libc\.so' | head -4
done
echo "sanitizer reports: $reports (full text in $log_dir)"
if ((ctest_status != 0 || reports != 0)) || [[ -n "${build_failed:-}" ]]; then
  echo "sanitize.sh: FAILED"
  exit 1
fi
echo "sanitize.sh: clean"
