#!/usr/bin/env bash
# grokpulse batch: the same 2,000-prompt file sent three ways, medians of 3 runs side by side:
#   direct     live calls, paced (--concurrency 128)
#   xai-batch  the Batch API (--via xai-batch): create, add in chunks, poll, page the results
#   deferred   deferred completions (--via deferred): submit paced, poll each id, fetch once
# against `grokpulse sim` on loopback with xAI behaviour: 20 requests/s per model stated only in
# 429 bodies (no quota headers, no Retry-After), LLM-like latency (lognormal, median 1.5 s, p99
# 15 s) plus generation at 50 tokens/s; a batch request finishes within 60 s of being added (the
# real Batch API: typically within 24 h, so the batch wall here is the simulator's setting, not a
# prediction), batch price 50 % of live. Reports wall time, cost (the server's cost_in_usd_ticks),
# HTTP requests the server saw, 429 answers, and lines that did not succeed.
# usage: bench-batch.sh GROKPULSE_BIN [RUNS] [PROMPTS]
set -euo pipefail
bin=$1 runs=${2:-3} prompts=${3:-2000}
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
export GP_BENCH_KEY=bench-key-0123456789

cat >"$work/scenario.json" <<'JSON'
{
  "name": "bench-batch",
  "description": "xAI-like limits stated in 429 bodies, LLM-like latency, a 60 s batch completion window",
  "wording": "xai",
  "limits": { "requests_per_second": 20, "burst": 20, "tokens_per_minute": 5000000 },
  "completion": { "words": 40, "words_per_chunk": 2, "tokens_per_second": 50 },
  "latency": { "distribution": "lognormal", "median_ms": 1500, "p99_ms": 15000, "min_ms": 150, "max_ms": 60000 },
  "batch": { "completion_ms": 60000, "price_factor": 0.5 }
}
JSON
for i in $(seq 1 "$prompts"); do
  printf '{"id":"p-%d","prompt":"Write one sentence about the number %d.","max_completion_tokens":100}\n' "$i" "$i"
done >"$work/in.jsonl"

start_sim() { # -> sim_url, sim_pid
  "$bin" sim --port 0 --scenario "$work/scenario.json" --api-key-env GP_BENCH_KEY >"$work/sim" 2>"$work/sim.err" &
  sim_pid=$!; pids+=($sim_pid)
  for _ in $(seq 100); do
    if grep -q 'listening on' "$work/sim" 2>/dev/null; then
      sim_url=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/sim" | head -1); return
    fi
    sleep 0.1
  done
  echo "no simulator: $(cat "$work/sim.err")" >&2; exit 1
}

run_one() { # mode -> "wall cost requests 429s failed"
  local mode=$1
  start_sim
  local out="$work/out-$mode.jsonl" summary="$work/summary-$mode.json"
  rm -f "$out" "$out.via"
  local t0 t1
  t0=$(date +%s.%N)
  XAI_API_KEY=$GP_BENCH_KEY "$bin" batch --base-url "$sim_url/v1" --via "$mode" --concurrency 128 \
    --poll-interval 1 --input "$work/in.jsonl" --output "$out" --summary "$summary" --quiet || true
  t1=$(date +%s.%N)
  local stats
  stats=$(curl -s "$sim_url/sim/stats")
  kill "$sim_pid" 2>/dev/null || true; wait "$sim_pid" 2>/dev/null || true
  python3 - "$t0" "$t1" "$summary" "$stats" <<'PY'
import json, sys
t0, t1, summary, stats = float(sys.argv[1]), float(sys.argv[2]), json.load(open(sys.argv[3])), json.loads(sys.argv[4])
counts = summary.get("counts", {})
failed = sum(v for k, v in counts.items() if k != "succeeded" and k != "skipped" and isinstance(v, int) and k in ("failed", "cancelled", "interrupted"))
print(f"{t1 - t0:.1f} {summary.get('cost_usd', 0):.4f} {stats.get('http_requests', 0)} {stats.get('statuses', {}).get('429', 0)} {failed}")
PY
}

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

declare -A rows
for r in $(seq 1 "$runs"); do
  for mode in direct xai-batch deferred; do
    line=$(run_one "$mode")
    rows[$mode]+="$line"$'\n'
    echo "run $r $mode: wall_s cost_usd http_requests 429s not_succeeded = $line" >&2
  done
done

echo "bench-batch: $prompts prompts, medians of $runs runs (the machine is shared: other builds run beside it)"
printf '%-10s %9s %10s %14s %6s %14s %10s\n' mode wall_s cost_usd http_requests 429s not_succeeded wall_ratio
direct_wall=$(printf '%s' "${rows[direct]}" | awk '{print $1}' | median)
for mode in direct xai-batch deferred; do
  col() { printf '%s' "${rows[$mode]}" | awk -v c="$1" 'NF {print $c}' | median; }
  wall=$(col 1)
  printf '%-10s %9s %10s %14s %6s %14s %10s\n' "$mode" "$wall" "$(col 2)" "$(col 3)" "$(col 4)" "$(col 5)" \
    "$(awk -v a="$wall" -v b="$direct_wall" 'BEGIN {printf "%.2f", a / b}')"
done
