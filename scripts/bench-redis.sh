#!/usr/bin/env bash
# Shared-quota benchmark: 4 `grokpulse batch` processes share ONE simulator limited to 10 req/s,
# with a common Redis gate and without it, and prints utilization, 429 share and losses.
#
# Usage: scripts/bench-redis.sh
#   GP_BIN=path/to/grokpulse   use this binary instead of building via scripts/build.sh
#   RUNS=3                     repeat every mode (the table shows medians)
#   HEADERS="openai none"      simulator header styles to run (default: openai)
#   MODES="..."                subset of: redis-rps redis solo-rps solo (default: all four)
#   LINES=75 PROCS=4 CONCURRENCY=8
#   BURST=5                    simulator bucket size (the issue: 5)
#   TRACE=1                    also print per round the 429s the server answered in each second
#   TRACE_RATE=1               with TRACE: also the request rate published in Redis, each second
# Modes: redis-rps = --redis and --rps 10 (told the limit); redis-burst = also --burst BURST;
# redis = --redis only (learns it from quota headers, or with HEADERS=none from 429s);
# solo-rps = --rps 10 each, no Redis; solo = neither. Default: all but redis-burst.
# Targets: with Redis, utilization >= 0.95 and <= 1% 429s.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
runs=${RUNS:-1}
header_styles=${HEADERS:-openai}
modes=${MODES:-redis-rps redis solo-rps solo}
lines=${LINES:-75}
procs=${PROCS:-4}
concurrency=${CONCURRENCY:-8}
rate=10
burst=${BURST:-5}

if [[ -z "${GP_BIN:-}" ]]; then
  "$root/scripts/build.sh" >&2
  GP_BIN=${GP_BUILD_DIR:-$root/build}/app/grokpulse
fi
[[ -x "$GP_BIN" ]] || { echo "bench-redis: no executable $GP_BIN" >&2; exit 2; }
command -v redis-server >/dev/null || { echo "bench-redis: redis-server not found" >&2; exit 2; }
command -v curl >/dev/null || { echo "bench-redis: curl not found" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/gp-bench-redis.XXXXXX")
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# Waits (bounded, 10 s) until FILE has a line matching REGEX; prints that line.
wait_line() {
  local file=$1 regex=$2 i
  for ((i = 0; i < 100; i++)); do
    if grep -m1 -E "$regex" "$file" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  return 1
}

start_redis() {
  redis_port=$(free_port)
  redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --daemonize no \
    >"$work/redis.log" 2>&1 &
  pids+=($!)
  wait_line "$work/redis.log" 'Ready to accept connections' >/dev/null \
    || { echo "bench-redis: redis-server did not start" >&2; cat "$work/redis.log" >&2; exit 2; }
}

# Starts the simulator with header style $1; sets sim_port and sim_pid.
start_sim() {
  local style=$1 scenario=$work/scenario-$1.json
  cat >"$scenario" <<EOF
{
  "name": "bench-redis-$style",
  "description": "4 processes share one 10 req/s limit, no faults",
  "headers": "$style",
  "retry_after": "seconds",
  "retry_after_ms": true,
  "limits": { "requests_per_second": $rate, "burst": $burst },
  "completion": { "words": 24, "chunk_interval_ms": 2, "words_per_chunk": 1 }
}
EOF
  "$GP_BIN" sim --port 0 --scenario "$scenario" --seed 1 >"$work/sim-$style.log" 2>&1 &
  sim_pid=$!
  pids+=("$sim_pid")
  local line
  line=$(wait_line "$work/sim-$style.log" 'listening on http://127\.0\.0\.1:[0-9]+') \
    || { echo "bench-redis: simulator did not start" >&2; cat "$work/sim-$style.log" >&2; exit 2; }
  sim_port=${line##*:}
  sim_port=${sim_port%%[!0-9]*}
}

make_inputs() {
  local p i
  for ((p = 1; p <= procs; p++)); do
    for ((i = 1; i <= lines; i++)); do
      printf '{"id":"p%d-%d","prompt":"Say something short about the number %d in process %d."}\n' \
        "$p" "$i" "$i" "$p"
    done >"$work/in-$p.jsonl"
  done
}

# Samples /sim/stats about every second (until killed); prints "second:new429s" when nonzero.
trace_429() {
  local last=0 now sec=0
  while true; do
    sleep 1
    sec=$((sec + 1))
    now=$(curl -fsS "http://127.0.0.1:$sim_port/sim/stats" 2>/dev/null \
      | python3 -c 'import json,sys; print(int(json.load(sys.stdin).get("statuses",{}).get("429",0)))' 2>/dev/null) || continue
    ((now > last)) && echo "${sec}s:$((now - last))"
    last=$now
    if [[ -n ${TRACE_RATE:-} ]]; then
      echo "${sec}s:rate=$(redis-cli -p "$redis_port" GET grokpulse:grok-4:rate 2>/dev/null | cut -c1-5)"
    fi
  done
}

# Runs one round: mode $1, style $2; appends a result line to $work/results.tsv.
run_round() {
  local mode=$1 style=$2 run=$3 p extra=() batch_pids=()
  case $mode in
    redis-rps) extra=(--redis "redis://127.0.0.1:$redis_port/0" --rps "$rate") ;;
    redis-burst) extra=(--redis "redis://127.0.0.1:$redis_port/0" --rps "$rate" --burst "$burst") ;;
    redis) extra=(--redis "redis://127.0.0.1:$redis_port/0") ;;
    solo-rps) extra=(--rps "$rate") ;;
    solo) extra=() ;;
    *) echo "bench-redis: unknown mode $mode" >&2; exit 2 ;;
  esac
  curl -fsS -X POST "http://127.0.0.1:$sim_port/sim/reset" >/dev/null
  [[ $mode == redis* ]] && redis-cli -p "$redis_port" FLUSHALL >/dev/null 2>&1 || true
  rm -f "$work"/out-*.jsonl "$work"/sum-*.json "$work"/err-*.log
  local t0 t1 rc=0
  t0=$(date +%s.%N)
  for ((p = 1; p <= procs; p++)); do
    XAI_API_KEY=sim-key "$GP_BIN" batch --input "$work/in-$p.jsonl" --output "$work/out-$p.jsonl" \
      --summary "$work/sum-$p.json" --base-url "http://127.0.0.1:$sim_port/v1" \
      --concurrency "$concurrency" --quiet "${extra[@]}" 2>"$work/err-$p.log" &
    batch_pids+=($!)
    pids+=($!)
  done
  local tracer=
  if [[ -n "${TRACE:-}" ]]; then
    trace_429 "$t0" >"$work/trace.txt" &
    tracer=$!
    pids+=("$tracer")
  fi
  for p in "${batch_pids[@]}"; do wait "$p" || rc=$?; done
  t1=$(date +%s.%N)
  curl -fsS "http://127.0.0.1:$sim_port/sim/stats" >"$work/stats.json"
  if [[ -n $tracer ]]; then
    kill "$tracer" 2>/dev/null || true
    wait "$tracer" 2>/dev/null || true
    echo "  429s per second since start: $(tr '\n' ' ' <"$work/trace.txt")"
  fi
  if ((rc >= 2)); then
    # Exit 1 = some lines failed (counted as lost); 2+ (bad option, crash) voids the numbers.
    echo "bench-redis: a batch exited $rc ($mode/$style); stderr:" >&2
    cat "$work"/err-*.log >&2
    exit 1
  fi
  python3 - "$work" "$procs" "$lines" "$rate" "$t0" "$t1" "$mode" "$style" "$run" <<'PY' >>"$work/results.tsv"
import json, sys, glob, os
work, procs, lines, rate, t0, t1, mode, style, run = sys.argv[1:]
procs, lines, rate = int(procs), int(lines), float(rate)
wall = float(t1) - float(t0)
ok = 0
for p in range(1, procs + 1):
    try:
        with open(os.path.join(work, f"sum-{p}.json")) as f:
            ok += json.load(f)["counts"]["succeeded"]
    except (OSError, ValueError, KeyError):
        pass
stats = json.load(open(os.path.join(work, "stats.json")))
attempts = stats.get("requests", 0)
n429 = int(stats.get("statuses", {}).get("429", 0))
util = ok / (rate * wall) if wall > 0 else 0.0
share = n429 / attempts if attempts else 0.0
print(f"{mode}\t{style}\t{run}\t{wall:.2f}\t{ok}\t{attempts}\t{n429}\t{util:.3f}\t{share:.4f}\t{procs*lines-ok}")
PY
  tail -n1 "$work/results.tsv" | awk -F'\t' '{printf "  %-11s %-6s run %s: wall %s s, ok %s, attempts %s, 429 %s, util %s, 429 share %s, lost %s\n",$1,$2,$3,$4,$5,$6,$7,$8,$9,$10}'
}

start_redis
make_inputs
: >"$work/results.tsv"
for style in $header_styles; do
  start_sim "$style"
  for ((run = 1; run <= runs; run++)); do
    for mode in $modes; do run_round "$mode" "$style" "$run"; done
  done
  kill "$sim_pid" 2>/dev/null || true
  wait "$sim_pid" 2>/dev/null || true
done

echo
echo "bench-redis: $procs processes x $lines lines, concurrency $concurrency, limit $rate req/s burst $burst, $runs run(s); medians"
python3 - "$work/results.tsv" <<'PY'
import sys, statistics
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
groups = {}
for r in rows:
    groups.setdefault((r[0], r[1]), []).append(r)
print(f"{'mode':<12}{'headers':<8}{'runs':>5}{'wall s':>8}{'ok':>6}{'attempts':>10}{'429s':>6}{'util':>7}{'429 %':>8}{'lost':>6}  target")
for (mode, style), rs in groups.items():
    med = lambda i: statistics.median(float(r[i]) for r in rs)
    util, share = med(7), med(8)
    verdict = ""
    if mode.startswith("redis"):
        verdict = "met" if util >= 0.95 and share <= 0.01 else "MISSED"
    print(f"{mode:<12}{style:<8}{len(rs):>5}{med(3):>8.2f}{med(4):>6.0f}{med(5):>10.0f}{med(6):>6.0f}"
          f"{util:>7.3f}{100*share:>7.2f}%{med(9):>6.0f}  {verdict}")
PY
