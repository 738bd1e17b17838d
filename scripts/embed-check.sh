#!/usr/bin/env bash
# The core as a library: install GrokPulse's Development component into a scratch prefix,
# build examples/embed against it with find_package(GrokPulse), and run it against the
# simulator. Needs a configured build (scripts/build.sh) in $GP_BUILD_DIR or build/.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${GP_BUILD_DIR:-$root/build}
work=$(mktemp -d)
sim_pid=
cleanup() {
  [[ -n "$sim_pid" ]] && kill "$sim_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
start=$(date +%s)
cmake --install "$build_dir" --prefix "$work/prefix" --component Development >/dev/null
generator=()
command -v ninja >/dev/null 2>&1 && generator=(-G Ninja)
cmake -S "$root/examples/embed" -B "$work/build" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/build" --parallel "$(nproc)" >/dev/null

"$build_dir/app/grokpulse" sim --port 0 --scenario steady >"$work/sim.log" 2>&1 &
sim_pid=$!
for _ in $(seq 1 100); do
  grep -q 'listening on' "$work/sim.log" && break
  sleep 0.1
done
base=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/sim.log" | head -1)
[[ -n "$base" ]] || { echo "embed-check: FAILED: the simulator did not start:" >&2; cat "$work/sim.log" >&2; exit 1; }
answer=$(XAI_API_KEY=embed-check-key timeout 60 "$work/build/embed" "$base/v1" "Say hello from the embed example.")
if [[ -z "$answer" ]]; then
  echo "embed-check: FAILED: the example printed no answer" >&2
  exit 1
fi
echo "embed-check: passed in $(($(date +%s) - start)) s; the example answered: ${answer:0:80}" >&2
