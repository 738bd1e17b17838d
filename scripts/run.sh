#!/usr/bin/env bash
# Set up, build and start the GrokPulse console. With no display, run the headless
# demo batch against the built-in simulator instead. Builds only the grokpulse executable
# (GP_BUILD_TARGETS="" builds everything, tests included).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/scripts/install-deps.sh"
GP_BUILD_TARGETS=${GP_BUILD_TARGETS-grokpulse} "$root/scripts/build.sh"
bin=${GP_BUILD_DIR:-$root/build}/app/grokpulse

if [[ -n "${DISPLAY:-}" || -n "${WAYLAND_DISPLAY:-}" ]]; then
  exec "$bin" "$@"
fi

echo "run.sh: no display (DISPLAY and WAYLAND_DISPLAY are unset), so running the headless demo batch" >&2
echo "        against the built-in simulator. For the window, run it in a desktop session (xvfb-run is for" >&2
echo "        screenshots only: scripts/screenshots.sh)." >&2
demo_dir=$(mktemp -d)
trap 'rm -rf "$demo_dir"' EXIT
for i in $(seq 1 40); do
  printf '{"id":"demo-%d","prompt":"Demo prompt number %d: say something about rate limits."}\n' "$i" "$i"
done >"$demo_dir/in.jsonl"
status=0
"$bin" batch --simulate=demo --input "$demo_dir/in.jsonl" --output "$demo_dir/out.jsonl" \
  --summary "$demo_dir/summary.json" "$@" || status=$?
echo "run.sh: demo summary:" >&2
cat "$demo_dir/summary.json" >&2 || true
exit $status
