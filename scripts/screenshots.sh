#!/usr/bin/env bash
# Runs the console under a virtual X server on simulator scenarios and saves a PNG of every
# view (prompt, charts at 5 min / 1 h / 24 h, events) at 1024x700 and 1920x1080, in the light
# and the dark palette. No ImageMagick: the app grabs its own window.
#   scripts/screenshots.sh [SECONDS=30] [OUT_DIR=$GP_BUILD_DIR/screenshots] [SCENARIOS="flaky tight-quota tpm-bound outage"]
# Files: OUT_DIR/<scenario>/<palette>-<size>-<view>.png
# Env: GP_BUILD_DIR (default build), GP_DEMO_RATE (demo prompts per second, default 5).
set -euo pipefail

seconds="${1:-30}"
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${GP_BUILD_DIR:-$root/build}"
out="${2:-$build/screenshots}"
scenarios="${3:-flaky tight-quota tpm-bound outage}"
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

for scenario in $scenarios; do
  mkdir -p "$out/$scenario" "$scratch/$scenario"
  # A private config and data home: no settings or journal of the user's are touched.
  XDG_CONFIG_HOME="$scratch/$scenario/config" XDG_DATA_HOME="$scratch/$scenario/data" \
    xvfb-run -a -s "-screen 0 2000x1200x24" \
    "$app" --simulate="$scenario" --demo-rate "${GP_DEMO_RATE:-5}" --no-keychain \
    --journal "$scratch/$scenario/journal.sqlite" --tab charts \
    --prompt "Explain in two sentences why clients should back off with jitter." \
    --screenshot "$out/$scenario/{palette}-{size}-{view}.png" --screenshot-after "$((seconds * 1000))"
  echo "screenshots: $scenario: $(ls "$out/$scenario"/*.png | wc -l) PNGs in $out/$scenario"
done
