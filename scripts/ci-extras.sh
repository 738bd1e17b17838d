#!/usr/bin/env bash
# CI extras, run by .ci/run after scripts/test.sh:
#   1. fuzz smoke: every libFuzzer target, seeded (GP_FUZZ_SEED, default 1) for GP_FUZZ_RUNS
#      (default 200000) inputs, at most GP_CI_FUZZ_SECONDS (default 60) s each (clang): the
#      same inputs for the same commit, so a red run is the commit's, not the dice's. Open-ended
#      exploration is `scripts/fuzz.sh SECONDS` unseeded, run by hand before a release;
#   2. the ASan + UBSan test suite (gcc, build-asan, bench label excluded).
# Both run even if the first fails; exits non-zero if either failed. Prints wall times.
#   GP_CI_FUZZ_SECONDS, GP_BUILD_UI (default ON: the whole suite, console tests included)
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/scripts/install-deps.sh" || exit 2
# libFuzzer needs clang and its runtime (not in install-deps.sh: scripts/test.sh needs neither).
fuzz_packages=(clang libclang-rt-14-dev)
if ! command -v clang++ >/dev/null 2>&1 || ! dpkg-query -W -f='${Status}' libclang-rt-14-dev 2>/dev/null | grep -q 'ok installed'; then
  sudo=()
  [[ $(id -u) -ne 0 ]] && sudo=(sudo -n)
  # Retry once after an update: install-deps.sh skips apt-get update when it had nothing to do.
  install=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends)
  "${install[@]}" "${fuzz_packages[@]}" || { "${sudo[@]}" apt-get update -qq && "${install[@]}" "${fuzz_packages[@]}"; } || {
    echo "ci-extras.sh: needs ${fuzz_packages[*]} (apt-get install them)" >&2
    exit 2
  }
fi
start=$(date +%s)
GP_FUZZ_SEED=${GP_FUZZ_SEED:-1} GP_FUZZ_RUNS=${GP_FUZZ_RUNS:-200000} \
  "$root/scripts/fuzz.sh" "${GP_CI_FUZZ_SECONDS:-60}"
fuzz_status=$?
fuzz_end=$(date +%s)
# The whole suite under ASan + UBSan, the console's widget tests included (offscreen).
GP_BUILD_UI=${GP_BUILD_UI:-ON} "$root/scripts/sanitize.sh"
sanitize_status=$?
end=$(date +%s)
echo "ci-extras.sh: fuzz smoke $((fuzz_end - start)) s (exit $fuzz_status)," \
  "sanitizer suite $((end - fuzz_end)) s (exit $sanitize_status), total $((end - start)) s"
((fuzz_status == 0 && sanitize_status == 0))
