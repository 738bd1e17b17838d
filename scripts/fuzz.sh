#!/usr/bin/env bash
# Fuzz smoke: configures and builds the libFuzzer targets (clang, ASan + UBSan) in
# build-fuzz, runs each for SECONDS (default 20) from its seed corpus and prints the
# executions per target. Exits non-zero when a target crashes, keeping the input in
# tests/fuzz/crashes/<target>/ (gitignored); copy it to tests/fuzz/regressions/<target>/
# once fixed, so tst_fuzzreplay replays it in every build.
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]     (GP_FUZZ_BUILD_DIR, GP_FUZZ_JOBS)
# Unseeded (the default) every run explores new inputs. GP_FUZZ_SEED=N with GP_FUZZ_RUNS=M
# makes a run reproducible: the same inputs in the same order for the same commit, M per
# target (SECONDS then only bounds a hang). CI runs seeded, so its verdict is the commit's.
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/lib/ccache.sh
source "$root/scripts/lib/ccache.sh"
seconds=${1:-20}
shift || true
build_dir=${GP_FUZZ_BUILD_DIR:-$root/build-fuzz}
jobs=${GP_FUZZ_JOBS:-2}

all_targets=(sse_decoder error_body chat_response chat_chunk chat_request
  quota_headers retry_hint duration http_date structured_list
  responses_stream responses_response batch_bodies)
targets=("$@")
((${#targets[@]})) || targets=("${all_targets[@]}")

generator=()
command -v ninja >/dev/null 2>&1 && generator=(-G Ninja)
if [[ ! -f "$build_dir/CMakeCache.txt" ]]; then
  CC=clang CXX=clang++ cmake -S "$root" -B "$build_dir" "${generator[@]}" "${ccache_args[@]}" \
    -DGP_FUZZ=ON -DGP_BUILD_UI=OFF -DCMAKE_BUILD_TYPE= >/dev/null || exit 2
fi
build_start=$(date +%s)
cmake --build "$build_dir" -j "$jobs" --target "${targets[@]/#/fuzz_}" || exit 2
echo "fuzz.sh: build took $(($(date +%s) - build_start)) s"

export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
replay=()
if [[ -n ${GP_FUZZ_SEED:-} ]]; then
  replay=(-seed="$GP_FUZZ_SEED" -runs="${GP_FUZZ_RUNS:-200000}")
  export QT_HASH_SEED=0 # QHash order would otherwise change the coverage feedback per process
fi
failed=()
summary=()
for target in "${targets[@]}"; do
  work=$(mktemp -d)
  crashes=$root/tests/fuzz/crashes/$target
  mkdir -p "$crashes"
  # Seeds stay read-only: new coverage goes to a scratch corpus that is thrown away.
  "$build_dir/tests/fuzz/fuzz_$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -max_len=65536 "${replay[@]}" -print_final_stats=1 -artifact_prefix="$crashes/" \
    "$work" "$root/tests/fuzz/corpus/$target" >"$work.log" 2>&1
  status=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work.log" | tail -1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work.log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$work.log" | tail -1)
  if ((status != 0)); then
    failed+=("$target")
    summary+=("$(printf '%-16s CRASH (exit %d) after %s execs; input kept in %s' "$target" "$status" "${execs:-?}" "$crashes")")
    echo "---- $target: last lines of the libFuzzer log ----"
    grep -v '^#' "$work.log" | tail -40
  else
    rmdir "$crashes" 2>/dev/null
    summary+=("$(printf '%-16s %10s execs  %7s exec/s  %s' "$target" "${execs:-?}" "${speed:-?}" "$cov")")
  fi
  rm -rf "$work" "$work.log"
done

if ((${#replay[@]})); then
  echo "fuzz.sh: seed $GP_FUZZ_SEED, ${GP_FUZZ_RUNS:-200000} inputs per target (at most ${seconds} s)"
else
  echo "fuzz.sh: ${seconds} s per target"
fi
printf '  %s\n' "${summary[@]}"
if ((${#failed[@]})); then
  echo "fuzz.sh: FAILED: ${failed[*]}"
  exit 1
fi
echo "fuzz.sh: no crashes"
