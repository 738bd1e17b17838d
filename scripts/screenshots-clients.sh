#!/usr/bin/env bash
# Screenshots of the console's charts by client: the console's gateway serves two curl clients
# (alice: plain chats every 0.3 s; bob: streams every 0.8 s), the
# demo sends the console's own prompts, and every view is grabbed with the client picker at each
# of PICKS, at 1024x700 and 1920x1080, light and dark.
#   scripts/screenshots-clients.sh [SECONDS=40] [OUT_DIR=$GP_BUILD_DIR/screenshots-clients] [PICKS="split alice all"]
# Files: OUT_DIR/<pick>/<palette>-<size>-<view>.png
set -euo pipefail

seconds="${1:-40}"
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${GP_BUILD_DIR:-$root/build}"
out="${2:-$build/screenshots-clients}"
picks="${3:-split alice all}"
app="$build/app/grokpulse"
[[ -x "$app" ]] || { echo "screenshots-clients: $app not found; build grokpulse first" >&2; exit 1; }
command -v xvfb-run >/dev/null || { echo "screenshots-clients: xvfb-run is not installed" >&2; exit 1; }
command -v curl >/dev/null || { echo "screenshots-clients: curl is not installed" >&2; exit 1; }

mkdir -p "$out"
out="$(cd "$out" && pwd)"
scratch="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$scratch"
}
trap cleanup EXIT

# One client: a request every `pause` seconds until the console exits.
client_loop() {
  local name=$1 base=$2 token=$3 stream=$4 pause=$5
  while [[ -e "$scratch/running" ]]; do
    curl -s -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
      -H "x-grokpulse-client: $name" \
      -d "{\"model\":\"grok-4\",\"stream\":$stream,\"messages\":[{\"role\":\"user\",\"content\":\"hello from $name\"}]}" \
      "$base/chat/completions" || true
    sleep "$pause"
  done
}

for pick in $picks; do
  mkdir -p "$out/$pick" "$scratch/$pick"
  touch "$scratch/running"
  log="$scratch/$pick/console.log"
  XDG_CONFIG_HOME="$scratch/$pick/config" XDG_DATA_HOME="$scratch/$pick/data" \
    xvfb-run -a -s "-screen 0 2000x1200x24" \
    "$app" --simulate=steady --demo-rate "${GP_DEMO_RATE:-1}" --no-keychain \
    --journal "$scratch/$pick/journal.sqlite" --tab charts --gateway 0 --client "$pick" \
    --screenshot "$out/$pick/{palette}-{size}-{view}.png" --screenshot-after "$((seconds * 1000))" \
    >"$log" 2>&1 &
  console=$!
  for _ in $(seq 100); do grep -q '^gateway: ' "$log" 2>/dev/null && break; sleep 0.2; done
  line=$(grep '^gateway: ' "$log") || { cat "$log" >&2; exit 1; }
  base=$(awk '{print $2}' <<<"$line")
  token=$(cat "$(awk '{print $5}' <<<"$line")")
  client_loop alice "$base" "$token" false 0.3 & pids+=($!)
  client_loop bob "$base" "$token" true 0.8 & pids+=($!)
  wait "$console" || { echo "screenshots-clients: the console failed" >&2; cat "$log" >&2; }
  rm -f "$scratch/running"
  wait "${pids[@]}" 2>/dev/null || true
  pids=()
  echo "screenshots-clients: $pick: $(ls "$out/$pick"/*.png | wc -l) PNGs in $out/$pick"
done
