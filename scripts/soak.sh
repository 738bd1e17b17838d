#!/usr/bin/env bash
# Chaos soak: builds bench_soak and runs REQUESTS (default 10000) requests through
# flaky/outage faults with cancellations and tight deadlines; prints the figures
# (statuses, attempts, exactly-once counts, VmRSS/VmHWM samples). Bounded: the test
# itself gives up after 240 s. Usage: scripts/soak.sh [REQUESTS]
#   GP_SOAK_BUILD_DIR (default build-soak, Release, no UI; point it at build-asan to
#   soak under ASan + UBSan), GP_SOAK_JOBS (default nproc)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${GP_SOAK_BUILD_DIR:-$root/build-soak}
jobs=${GP_SOAK_JOBS:-$(nproc)}
generator=()
command -v ninja >/dev/null 2>&1 && generator=(-G Ninja)
if [[ ! -f "$build_dir/CMakeCache.txt" ]]; then
  cmake -S "$root" -B "$build_dir" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release -DGP_BUILD_UI=OFF >/dev/null
fi
cmake --build "$build_dir" -j "$jobs" --target bench_soak >/dev/null
# Under ASan, a small quarantine keeps VmHWM meaningful; leaks still fail the run. ASan keeps
# every distinct malloc/free stack forever (its stack depot): with Qt's varied event-loop
# stacks that cost ~65 MB of RSS by 10,000 jobs (168 vs 102 MB) and kept growing, so no
# stacks are recorded (malloc_context_size=0;
# set ASAN_OPTIONS yourself to get them back when chasing a report).
export ASAN_OPTIONS=${ASAN_OPTIONS:-quarantine_size_mb=16:malloc_context_size=0:detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
export GP_SOAK_REQUESTS=${1:-10000}
start=$(date +%s)
status=0
"$build_dir/tests/bench/soak/bench_soak" -maxwarnings 20 || status=$?
echo "soak.sh: $GP_SOAK_REQUESTS requests, wall $(($(date +%s) - start)) s, exit $status"
exit $status
