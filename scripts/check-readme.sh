#!/usr/bin/env bash
# Runs every ```sh block of README.md exactly as printed, in order, each bounded by a
# timeout, and fails if one fails. Called by .ci/run after scripts/test.sh built build/.
#   scripts/check-readme.sh [README]
# Each block runs from the checkout with `bash -e` and a private HOME (so the README's
# `~/.local` install and the console's settings land in a scratch folder); what a block
# exports (PATH, XAI_API_KEY) is seen by the blocks after it. No block reaches the network:
# the README's examples use `--simulate`, and a block that talks to the real API is marked
# (see below) and runs against `grokpulse sim` on loopback instead.
#
# A comment line right above a block's fence tells the checker about it:
#   <!-- readme-check: timeout=SECONDS -->   a bound other than the default 120 s
#   <!-- readme-check: simulator -->         start `grokpulse sim` on a free loopback port and
#       export GROKPULSE_BASE_URL (the batch's default base URL) to it, so a block written for
#       api.x.ai with XAI_API_KEY runs as printed without a key or the network
#   <!-- readme-check: ci-stage -->          the block's commands are stages of CI itself
#       (scripts/test.sh is .ci/run's first stage, scripts/run.sh runs in its blank-machine
#       stage); the checker verifies each is called there instead of running it twice
# Environment: GP_BUILD_DIR (default build; the README names build/), GP_README_TIMEOUT.
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
readme=${1:-$root/README.md}
build=${GP_BUILD_DIR:-$root/build}
bin="$build/app/grokpulse"
default_timeout=${GP_README_TIMEOUT:-120}
cd "$root" || exit 2
[[ -x $bin ]] || { echo "check-readme: $bin not built (scripts/build.sh first)" >&2; exit 2; }

scratch=$(mktemp -d)
sim_pid=
cleanup() {
  [[ -n $sim_pid ]] && kill "$sim_pid" 2>/dev/null && wait "$sim_pid" 2>/dev/null
  rm -rf "$scratch"
}
trap cleanup EXIT
mkdir -p "$scratch/home"
# The blocks get a private HOME; the compiler cache stays the user's own.
if command -v ccache >/dev/null 2>&1; then
  export CCACHE_DIR=${CCACHE_DIR:-$(ccache -k cache_dir)}
fi
export HOME="$scratch/home"
unset XDG_CONFIG_HOME XDG_DATA_HOME XDG_CACHE_HOME XAI_API_KEY GROKPULSE_BASE_URL DISPLAY WAYLAND_DISPLAY
export QT_QPA_PLATFORM=offscreen
# Anything that would still try the internet through a proxy-aware tool gets a dead end.
export http_proxy=http://127.0.0.1:9 https_proxy=http://127.0.0.1:9 no_proxy=127.0.0.1,localhost

# Split the README: block N's commands in block-N.sh, its directive and line in block-N.meta.
awk -v dir="$scratch" '
  /^<!-- readme-check:.*-->[[:space:]]*$/ { d = $0; sub(/^<!-- readme-check:[[:space:]]*/, "", d); sub(/[[:space:]]*-->.*/, "", d); pending = d; next }
  !inblock && /^```sh[[:space:]]*$/ { n++; inblock = 1; print pending "|" NR > (dir "/block-" n ".meta"); pending = ""; next }
  inblock && /^```[[:space:]]*$/ { inblock = 0; next }
  inblock { print > (dir "/block-" n ".sh"); next }
  NF { pending = "" }
' "$readme"

untracked() { git -C "$root" ls-files --others --exclude-standard 2>/dev/null | sort; }
before=$(untracked)
: >"$scratch/state"
failed=0
count=0
for meta in $(ls "$scratch"/block-*.meta 2>/dev/null | sort -t- -k2 -n); do
  n=${meta##*/block-}
  n=${n%.meta}
  block="$scratch/block-$n.sh"
  [[ -f $block ]] || : >"$block"
  IFS='|' read -r directive line <"$meta"
  count=$((count + 1))
  where="$(basename "$readme"):$line"
  url=
  timeout_s=$default_timeout
  [[ $directive =~ timeout=([0-9]+) ]] && timeout_s=${BASH_REMATCH[1]}
  echo "=== check-readme: block $n ($where)${directive:+ [$directive]}:"
  sed 's/^/    $ /' "$block"

  if [[ $directive == *ci-stage* ]]; then
    missing=0
    while read -r word _; do
      [[ -z $word || $word == \#* ]] && continue
      if ! grep -qF -- "$word" "$root/.ci/run" "$root/scripts/blank-machine-check.sh"; then
        echo "check-readme: block $n: '$word' is marked as a CI stage but neither .ci/run nor scripts/blank-machine-check.sh calls it" >&2
        missing=1
      fi
    done <"$block"
    if ((missing)); then failed=$((failed + 1)); else echo "=== check-readme: block $n: run by CI's own stages"; fi
    continue
  fi

  if [[ $directive == *simulator* ]]; then
    "$bin" sim --port 0 >"$scratch/sim.out" 2>"$scratch/sim.err" &
    sim_pid=$!
    for _ in $(seq 1 100); do
      grep -q '^listening on ' "$scratch/sim.out" && break
      kill -0 "$sim_pid" 2>/dev/null || break
      sleep 0.1
    done
    url=$(sed -n 's/^listening on //p' "$scratch/sim.out")
    if [[ -z $url ]]; then
      echo "check-readme: block $n: the simulator did not start: $(cat "$scratch/sim.err")" >&2
      failed=$((failed + 1))
      continue
    fi
    echo "=== check-readme: block $n runs against grokpulse sim at $url (GROKPULSE_BASE_URL)"
  fi

  start=$(date +%s)
  # State in: the exports and folder the blocks before left; state out: this block's.
  sim_env=()
  [[ -n $url ]] && sim_env=("GROKPULSE_BASE_URL=$url/v1")
  # timeout makes its own process group; whatever a block left running in it goes after.
  env "${sim_env[@]}" timeout -k 10 "$timeout_s" bash -c '
    source "$1"
    set -e
    source "$2"
    set +e
    { export -p | grep -v "^declare -x GROKPULSE_BASE_URL="; printf "cd %q\\n" "$PWD"; } >"$1"
  ' check-readme "$scratch/state" "$block" &
  block_pid=$!
  wait "$block_pid"
  status=$?
  kill -KILL -- "-$block_pid" 2>/dev/null
  if [[ -n $sim_pid ]]; then
    kill "$sim_pid" 2>/dev/null
    wait "$sim_pid" 2>/dev/null
    sim_pid= url=
  fi
  if ((status == 0)); then
    echo "=== check-readme: block $n ok in $(($(date +%s) - start)) s"
  else
    ((status == 124)) && echo "check-readme: block $n timed out after $timeout_s s" >&2
    echo "check-readme: block $n ($where) FAILED (exit $status)" >&2
    failed=$((failed + 1))
  fi
done

# What the blocks wrote into the checkout (prompts.jsonl, results.jsonl, ...) goes again.
after=$(untracked)
comm -13 <(echo "$before") <(echo "$after") | while read -r f; do
  [[ -n $f ]] && rm -f -- "$root/$f"
done
if ((count == 0)); then
  echo "check-readme: no \`\`\`sh block found in $readme" >&2
  exit 1
fi
echo "check-readme: $count blocks, $failed failed"
((failed == 0))
