#!/usr/bin/env bash
# curl against grokpulse gateway's POST /v1/responses (simulator upstream): a plain answer is a
# Responses object, a stream is Responses events ending in response.completed, malformed JSON and
# an unreadable Responses body are 400 in OpenAI shape, a wrong token 401, client label and priority
# headers are read as for chat. usage: responses-curl.sh GROKPULSE_BIN
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

export GP_UPSTREAM_KEY=upstream-key-for-responses-tests
"$bin" sim --port 0 --api-key-env GP_UPSTREAM_KEY >"$work/sim" 2>"$work/sim.err" &
pids+=($!)
sim_port=$(wait_port "$work/sim")
"$bin" gateway --listen 127.0.0.1:0 --upstream "http://127.0.0.1:$sim_port/v1" --api-key-env GP_UPSTREAM_KEY \
  --token-file "$work/token" --quiet >"$work/gw" 2>"$work/gw.err" &
pids+=($!)
gw_port=$(wait_port "$work/gw")
token=$(cat "$work/token")
url="http://127.0.0.1:$gw_port/v1/responses"
auth=(-H "Authorization: Bearer $token" -H 'Content-Type: application/json')

code=$(curl -s -o "$work/body" -w '%{http_code}' "$url" "${auth[@]}" -H 'x-grokpulse-client: resp-plain' \
  -d '{"model":"grok-4","input":"Say hello.","instructions":"Be brief."}')
[[ $code == 200 && $(json 'o.object + "/" + o.status + "/" + o.output.some(i => i.type == "message")' <"$work/body") \
  == response/completed/true ]]
check "plain: 200, a completed Responses object with a message ($code $(head -c 300 "$work/body"))" $?
[[ $(json 'o.usage.input_tokens > 0 && o.usage.output_tokens > 0' <"$work/body") == true ]]
check "plain: usage in Responses terms (input_tokens, output_tokens)" $?

curl -s -N "$url" "${auth[@]}" -H 'x-grokpulse-client: resp-stream' -H 'x-grokpulse-priority: interactive' \
  -d '{"model":"grok-4","stream":true,"input":[{"role":"user","content":"Count to five."}]}' \
  -D "$work/stream.headers" >"$work/stream"
grep -qi '^content-type: text/event-stream' "$work/stream.headers"; check "stream: text/event-stream" $?
grep -q '^event: response.created' "$work/stream" && grep -q '^event: response.output_text.delta' "$work/stream" \
  && grep -q '^event: response.completed' "$work/stream"
check "stream: response.created, output_text deltas, response.completed" $?
last=$(grep '^data: ' "$work/stream" | tail -1 | cut -c7-)
[[ $(echo "$last" | json 'o.type + "/" + o.response.status') == response.completed/completed ]]
check "stream: the last event is the completed response ($last)" $?

code=$(curl -s -o "$work/body" -w '%{http_code}' "$url" "${auth[@]}" -d '{"model": "grok-4", "input": [')
[[ $code == 400 && $(json 'o.error.type + "/" + o.error.code' <"$work/body") == invalid_request_error/invalid_json ]]
check "malformed JSON: 400 in OpenAI shape ($code $(cat "$work/body"))" $?
code=$(curl -s -o "$work/body" -w '%{http_code}' "$url" "${auth[@]}" -d '{"model":"grok-4","input":42}')
[[ $code == 400 && $(json 'o.error.code' <"$work/body") == invalid_request ]]
check "input of the wrong type: 400 invalid_request ($code $(cat "$work/body"))" $?
code=$(curl -s -o "$work/body" -w '%{http_code}' "$url" "${auth[@]}" -H 'x-grokpulse-priority: urgent' \
  -d '{"model":"grok-4","input":"hi"}')
[[ $code == 400 && $(json 'o.error.code' <"$work/body") == invalid_priority ]]
check "unknown priority: 400 invalid_priority ($code)" $?
code=$(curl -s -o "$work/body" -w '%{http_code}' "$url" -H "Authorization: Bearer $GP_UPSTREAM_KEY" \
  -d '{"model":"grok-4","input":"hi"}')
[[ $code == 401 && $(json 'o.error.type' <"$work/body") == authentication_error ]]
check "wrong token (the upstream key itself): 401 ($code)" $?
code=$(curl -s -o "$work/body" -w '%{http_code}' "$url" "${auth[@]}")
[[ $code == 405 ]]; check "GET /v1/responses: 405 ($code)" $?

health=$(curl -s "http://127.0.0.1:$gw_port/healthz" -H "Authorization: Bearer $token")
[[ $(echo "$health" | json 'o.clients["resp-plain"].succeeded + "/" + o.clients["resp-stream"].succeeded') == 1/1 ]]
check "client labels counted per client ($health)" $?

echo "$passes passed, $failures failed"
[[ $failures == 0 ]]
