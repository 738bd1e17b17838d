#!/usr/bin/env bash
# grokpulse gateway benchmark, medians of 3 runs side by side.
#  paced:    4 node processes (openai SDK, maxRetries 0) send 300 requests in all through one gateway
#            to the simulator at 10 rps burst 5, no quota headers, no Retry-After, xAI 429 wording,
#            answers in 20-80 ms. Reports failures at the clients, utilization
#            (successes / (10 x wall)) and the 429 share of the attempts the simulator saw.
#  overhead: one client, one request at a time, 1000 (0 ms) / 300 (50 ms) requests each way, alternating, unpaced (--unpaced gateway, the
#            simulator without limits) at fixed 0 ms and 50 ms latency: p50/p99 through the gateway
#            against calling the simulator directly, and the gateway's CPU per request.
# usage: bench-gateway.sh GROKPULSE_BIN [RUNS]
set -euo pipefail
bin=$1 runs=${2:-3}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

# The pinned SDK (same package and lock as tests/gateway/node), installed once into the work dir.
node_dir=${GP_BENCH_NODE_DIR:-$work/node}
mkdir -p "$node_dir"
cp "$here/../../gateway/node/package.json" "$here/../../gateway/node/package-lock.json" "$here/worker.mjs" "$here/overhead.mjs" "$node_dir/"
if [[ ! -d $node_dir/node_modules/openai ]]; then
  (cd "$node_dir" && npm ci --cache "$node_dir/.npm-cache" --no-audit --no-fund --loglevel=error)
fi

export GP_UPSTREAM_KEY=upstream-key-for-the-bench
wait_port() {
  for _ in $(seq 100); do
    if grep -q 'listening on' "$1" 2>/dev/null; then grep -o '127.0.0.1:[0-9]*' "$1" | head -1 | cut -d: -f2; return; fi
    sleep 0.1
  done
  echo "no server in $1: $(cat "$1".err 2>/dev/null)" >&2; exit 1
}
start_sim() { # scenario-json -> sets sim_port, sim_pid
  echo "$1" >"$work/scenario.json"
  "$bin" sim --port 0 --scenario "$work/scenario.json" --api-key-env GP_UPSTREAM_KEY >"$work/sim" 2>"$work/sim.err" &
  sim_pid=$!; pids+=($sim_pid)
  sim_port=$(wait_port "$work/sim")
}
start_gateway() { # extra args -> sets gw_port, gw_pid, token
  "$bin" gateway --listen 127.0.0.1:0 --upstream "http://127.0.0.1:$sim_port/v1" --api-key-env GP_UPSTREAM_KEY \
    --token-file "$work/token" --quiet "$@" >"$work/gw" 2>"$work/gw.err" &
  gw_pid=$!; pids+=($gw_pid)
  gw_port=$(wait_port "$work/gw")
  token=$(cat "$work/token")
}
stop() { kill "$@" 2>/dev/null || true; wait "$@" 2>/dev/null || true; }
cpu_ms() { awk '{ print ($14 + $15) * 1000 / '"$(getconf CLK_TCK)"' }' "/proc/$1/stat"; }
js() { node -e "const lines=require('fs').readFileSync(0,'utf8').trim().split('\n').map(JSON.parse); $1"; }

paced_run() {
  start_sim '{"name":"bench-xai","headers":"none","retry_after":"none","retry_after_ms":false,"wording":"xai",
    "limits":{"requests_per_second":10,"burst":5},"completion":{"words":12},
    "latency":{"distribution":"uniform","min_ms":20,"max_ms":80}}'
  start_gateway
  local workers=()
  for i in 1 2 3 4; do
    node "$node_dir/worker.mjs" "http://127.0.0.1:$gw_port/v1" "$token" 75 8 "proc$i" >"$work/out$i" &
    workers+=($!)
  done
  wait "${workers[@]}"
  local stats; stats=$(curl -s "http://127.0.0.1:$sim_port/sim/stats")
  cat "$work"/out[1-4] | js "
    const ok = lines.reduce((a, l) => a + l.ok, 0), failed = lines.reduce((a, l) => a + l.failed, 0);
    const s = $stats; const r429 = s.statuses['429'] || 0;
    const wall = Math.max(...lines.map((l) => l.wallMs)) / 1000;
    console.log(JSON.stringify({ ok, failed, util: ok / (10 * wall), share429: r429 / s.requests,
      attempts: s.requests, wall, failures: lines.flatMap((l) => l.failures).slice(0, 3) }));"
  stop "$gw_pid" "$sim_pid"
}

overhead_run() { # latency json, requests each way -> one line: direct and gateway p50/p99, gateway CPU ms per request
  start_sim '{"name":"bench-open","headers":"none","limits":{"requests_per_second":100000,"burst":100000},
    "completion":{"words":12},"latency":'"$1"'}'
  start_gateway --unpaced
  local cpu0; cpu0=$(cpu_ms "$gw_pid")
  node "$node_dir/overhead.mjs" "http://127.0.0.1:$sim_port/v1" "$GP_UPSTREAM_KEY" \
    "http://127.0.0.1:$gw_port/v1" "$token" "$2" >"$work/pair"
  local cpu1; cpu1=$(cpu_ms "$gw_pid")
  js "const l = lines[0]; l.cpuMsPerRequest = ($cpu1 - $cpu0) / (l.ok + 20); console.log(JSON.stringify(l));" <"$work/pair"
  stop "$gw_pid" "$sim_pid"
}

median() { sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
field() { js "console.log(lines.map((l) => l.$1).join('\n'))"; }

: >"$work/paced" ; : >"$work/fixed0" ; : >"$work/uniform"
for run in $(seq "$runs"); do
  [[ -n ${GP_BENCH_SKIP_PACED:-} ]] || paced_run | tee -a "$work/paced" >&2
  # p99 of 1000 samples at 0 ms (the 10th worst, not the 3rd); 300 at 50 ms keeps the run short.
  overhead_run '{"distribution":"fixed","ms":0}' 1000 | tee -a "$work/fixed0" >&2
  overhead_run '{"distribution":"fixed","ms":50}' 300 | tee -a "$work/uniform" >&2
done

printf '\npaced, 4 SDK processes x 75 requests, sim 10 rps burst 5, no headers, xAI wording (median of %s)\n' "$runs"
printf '%-10s %-10s %-12s %-10s %-10s\n' failed util 429-share attempts wall-s
printf '%-10s %-10.3f %-12.4f %-10s %-10.1f\n' "$(field failed <"$work/paced" | median)" \
  "$(field util <"$work/paced" | median)" "$(field share429 <"$work/paced" | median)" \
  "$(field attempts <"$work/paced" | median)" "$(field wall <"$work/paced" | median)"
printf '\noverhead, unpaced, 1 client, 1000 (0 ms) / 300 (50 ms) requests each way, alternating (median of %s; ms)\n' "$runs"
# diff columns: the median of each run's own difference (both sides measured in the same run).
printf '%-18s %-10s %-10s %-10s %-10s %-10s %-10s %-12s\n' latency direct-p50 gw-p50 diff-p50 direct-p99 gw-p99 diff-p99 cpu-ms/req
for f in fixed0 uniform; do
  dp50=$(field dp50 <"$work/$f" | median) gp50=$(field gp50 <"$work/$f" | median)
  dp99=$(field dp99 <"$work/$f" | median) gp99=$(field gp99 <"$work/$f" | median)
  cpu=$(field cpuMsPerRequest <"$work/$f" | median)
  printf '%-18s %-10.3f %-10.3f %-10.3f %-10.3f %-10.3f %-10.3f %-12.3f\n' "$([[ $f == fixed0 ]] && echo '0 ms' || echo '50 ms')" \
    "$dp50" "$gp50" "$(field 'gp50 - l.dp50' <"$work/$f" | median)" "$dp99" "$gp99" \
    "$(field 'gp99 - l.dp99' <"$work/$f" | median)" "$cpu"
done
