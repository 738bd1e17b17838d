#!/usr/bin/env bash
# Runs the console under a virtual X server on a simulator scenario and saves a PNG of
# every view (prompt, charts, events). No ImageMagick: the app grabs its own window.
#   scripts/screenshots.sh [SECONDS=60] [OUT_DIR=$GP_BUILD_DIR/screenshots] [SCENARIO=flaky]
# Env: GP_BUILD_DIR (default build), GP_DEMO_RATE (demo prompts per second, default 5).
set -euo pipefail

seconds="${1:-60}"
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${GP_BUILD_DIR:-$root/build}"
out="${2:-$build/screenshots}"
scenario="${3:-flaky}"
app="$build/app/grokpulse"

if [[ ! -x "$app" ]]; then
  echo "screenshots: $app not found; build the grokpulse target first (GP_BUILD_DIR=...)" >&2
  exit 1
fi
command -v xvfb-run >/dev/null || { echo "screenshots: xvfb-run is not installed" >&2; exit 1; }

mkdir -p "$out"
out="$(cd "$out" && pwd)"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

# A private config and data home: no settings or journal of the user's are touched.
XDG_CONFIG_HOME="$scratch/config" XDG_DATA_HOME="$scratch/data" \
  xvfb-run -a -s "-screen 0 1400x1000x24" \
  "$app" --simulate="$scenario" --demo-rate "${GP_DEMO_RATE:-5}" --no-keychain \
  --journal "$scratch/journal.sqlite" --tab charts \
  --prompt "Explain in two sentences why clients should back off with jitter." \
  --screenshot "$out/{view}.png" --screenshot-after "$((seconds * 1000))"

ls -l "$out"/*.png
