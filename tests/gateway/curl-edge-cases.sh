#!/usr/bin/env bash
# curl against grokpulse gateway (simulator upstream): malformed JSON -> 400 in OpenAI shape,
# wrong token -> 401, huge body -> 413, a client that leaves mid-stream -> the job is cancelled,
# the upstream connection closed, and the request counted once. usage: curl-edge-cases.sh GROKPULSE_BIN
set -euo pipefail
bin=$1
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
failures=0 passes=0
check() { # name, condition result
  if [[ $2 == 0 ]]; then passes=$((passes + 1)); echo "ok - $1"; else failures=$((failures + 1)); echo "not ok - $1"; fi
}
json() { node -e "const o=JSON.parse(require('fs').readFileSync(0,'utf8')); const v=($1); process.stdout.write(String(v))"; }
wait_port() { # file -> port
  for _ in $(seq 100); do
    if grep -q 'listening on' "$1" 2>/dev/null; then grep -o '127.0.0.1:[0-9]*' "$1" | head -1 | cut -d: -f2; return; fi
    sleep 0.1
  done
  echo "no server in $1" >&2; cat "$1".err >&2 || true; exit 1
}

cat > "$work/slow.json" <<'JSON'
{"name":"slow-stream","headers":"none","retry_after":"none","limits":{"requests_per_second":100,"burst":100},
 "completion":{"words":200,"words_per_chunk":1,"chunk_interval_ms":50}}
JSON
export GP_UPSTREAM_KEY=upstream-key-for-curl-tests
"$bin" sim --port 0 --scenario "$work/slow.json" --api-key-env GP_UPSTREAM_KEY >"$work/sim" 2>"$work/sim.err" &
pids+=($!)
sim_port=$(wait_port "$work/sim")
"$bin" gateway --listen 127.0.0.1:0 --upstream "http://127.0.0.1:$sim_port/v1" --api-key-env GP_UPSTREAM_KEY \
  --token-file "$work/token" --max-body 65536 --quiet >"$work/gw" 2>"$work/gw.err" &
pids+=($!)
gw_port=$(wait_port "$work/gw")
token=$(cat "$work/token")
url="http://127.0.0.1:$gw_port/v1/chat/completions"
[[ $(stat -c %a "$work/token") == 600 ]]; check "token file is mode 600" $?

code=$(curl -s -o "$work/body" -w '%{http_code}' "$url" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d '{"model": "grok-4", "messages": [')
[[ $code == 400 && $(json 'o.error.type + "/" + o.error.code' <"$work/body") == invalid_request_error/invalid_json ]]
check "malformed JSON: 400 in OpenAI shape ($code $(cat "$work/body"))" $?

code=$(curl -s -o "$work/body" -w '%{http_code}' "$url" -H "Authorization: Bearer $GP_UPSTREAM_KEY" -d '{}')
[[ $code == 401 && $(json 'o.error.type' <"$work/body") == authentication_error ]]
check "wrong token (the upstream key itself): 401 ($code)" $?
code=$(curl -s -o "$work/body" -w '%{http_code}' "$url" -d '{}')
[[ $code == 401 ]]; check "no token: 401 ($code)" $?

head -c 200000 /dev/zero | tr '\0' 'a' >"$work/huge"
code=$(curl -s -o "$work/body" -w '%{http_code}' "$url" -H "Authorization: Bearer $token" --data-binary @"$work/huge")
[[ $code == 413 && $(json 'o.error.code' <"$work/body") == request_too_large ]]
check "huge body: 413 ($code)" $?

# Mid-stream disconnect: curl gives up after 1.5 s of a ~10 s stream.
curl -s -N --max-time 1.5 "$url" -H "Authorization: Bearer $token" -H 'x-grokpulse-client: leaver' \
  -d '{"model":"grok-4","stream":true,"messages":[{"role":"user","content":"long"}]}' >"$work/partial" || true
grep -q '^data: {' "$work/partial"; check "stream began before the client left" $?
health=""
for _ in $(seq 50); do
  health=$(curl -s "http://127.0.0.1:$gw_port/healthz" -H "Authorization: Bearer $token")
  [[ $(echo "$health" | json 'o.clients.leaver ? o.clients.leaver.cancelled : 0') == 1 ]] && break
  sleep 0.1
done
[[ $(echo "$health" | json 'o.clients.leaver.cancelled + "/" + o.clients.leaver.attempts + "/" + o.pending') == 1/1/0 ]]
check "client left: job cancelled, one attempt, nothing pending ($health)" $?
sim_requests=$(curl -s "http://127.0.0.1:$sim_port/sim/stats" | json 'o.requests')
[[ $sim_requests == 1 ]]; check "upstream saw the request once ($sim_requests)" $?
upstream_open=$(ss -Htn state established "( dport = :$sim_port )" | wc -l)
[[ $upstream_open == 0 ]]; check "upstream connection closed ($upstream_open open)" $?

echo "$passes passed, $failures failed"
[[ $failures == 0 ]]
