#!/usr/bin/env bash
# The core stands alone: configure with GP_BUILD_UI=OFF, build the headless grokpulse (batch,
# sim, export), check with ldd that it links no Gui, Widgets or Charts, and run a short batch
# against the built-in simulator. Exit 0 only when all of that holds.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/lib/ccache.sh
source "$root/scripts/lib/ccache.sh"
build_dir=${GP_HEADLESS_BUILD_DIR:-$root/build-headless}
generator=()
command -v ninja >/dev/null 2>&1 && generator=(-G Ninja)
start=$(date +%s)
cmake -S "$root" -B "$build_dir" "${generator[@]}" "${ccache_args[@]}" -DCMAKE_BUILD_TYPE=Release \
  -DGP_BUILD_UI=OFF -DGP_BUILD_TESTS=OFF -DGP_WERROR="$([[ "${CI:-}" == true ]] && echo ON || echo OFF)" >/dev/null
cmake --build "$build_dir" --target grokpulse --parallel "$(nproc)"
bin=$build_dir/app/grokpulse
gui_libs=$(ldd "$bin" | grep -E 'libQt6(Gui|Widgets|Charts|OpenGL)' || true)
if [[ -n "$gui_libs" ]]; then
  echo "headless-check: FAILED: the headless grokpulse links GUI libraries:" >&2
  echo "$gui_libs" >&2
  exit 1
fi
echo "headless-check: $bin links no Gui/Widgets/Charts ($(ldd "$bin" | grep -c 'libQt6') Qt libraries:" \
  "$(ldd "$bin" | grep -o 'libQt6[A-Za-z]*' | sort -u | tr '\n' ' '))" >&2

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for i in 1 2 3 4 5; do printf '{"id":"h-%d","prompt":"headless %d"}\n' "$i" "$i"; done >"$work/in.jsonl"
status=0
timeout 120 "$bin" batch --simulate=steady --input "$work/in.jsonl" --output "$work/out.jsonl" \
  --summary "$work/summary.json" >/dev/null 2>"$work/stderr" || status=$?
if ((status != 0)) || [[ $(grep -c '"status":"succeeded"' "$work/out.jsonl") != 5 ]]; then
  echo "headless-check: FAILED: the headless batch exited $status; output and stderr:" >&2
  cat "$work/out.jsonl" "$work/stderr" >&2 || true
  exit 1
fi
no_console=0
timeout 20 "$bin" >/dev/null 2>&1 || no_console=$?
if ((no_console != 2)); then
  echo "headless-check: FAILED: grokpulse without a command should exit 2 in a headless build (got $no_console)" >&2
  exit 1
fi
echo "headless-check: passed (5/5 lines succeeded) in $(($(date +%s) - start)) s" >&2
