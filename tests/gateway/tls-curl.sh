#!/usr/bin/env bash
# grokpulse gateway over TLS (--tls-cert/--tls-key), checked with curl --cacert against a
# self-signed certificate made here with the openssl CLI; upstream is the simulator.
# Also: where the upstream key comes from when the environment has none.
# usage: tls-curl.sh GROKPULSE_BIN
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
wait_port() { # file -> port
  for _ in $(seq 100); do
    if grep -q 'listening on' "$1" 2>/dev/null; then grep -o '127.0.0.1:[0-9]*' "$1" | head -1 | cut -d: -f2; return; fi
    sleep 0.1
  done
  echo "no server in $1" >&2; cat "$1".err >&2 || true; exit 1
}

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
  -keyout "$work/key.pem" -out "$work/cert.pem" -subj "/CN=127.0.0.1" \
  -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" 2>/dev/null
export GP_UPSTREAM_KEY=upstream-key-for-tls-tests
"$bin" sim --port 0 --scenario steady --api-key-env GP_UPSTREAM_KEY >"$work/sim" 2>"$work/sim.err" &
pids+=($!)
sim_port=$(wait_port "$work/sim")
upstream="http://127.0.0.1:$sim_port/v1"
"$bin" gateway --listen 127.0.0.1:0 --upstream "$upstream" --api-key-env GP_UPSTREAM_KEY --no-keychain \
  --token-file "$work/token" --tls-cert "$work/cert.pem" --tls-key "$work/key.pem" --quiet \
  >"$work/gw" 2>"$work/gw.err" &
pids+=($!)
gw_port=$(wait_port "$work/gw")
token=$(cat "$work/token")
grep -q "listening on https://127.0.0.1:$gw_port/v1" "$work/gw"; check "announces https ($(cat "$work/gw"))" $?

base="https://127.0.0.1:$gw_port"
code=$(curl -s -o "$work/body" -w '%{http_code}' --cacert "$work/cert.pem" "$base/healthz")
[[ $code == 200 ]] && grep -q '"status":"ok"' "$work/body"; check "healthz over TLS, verified with --cacert ($code)" $?

code=$(curl -s -o "$work/body" -w '%{http_code}' --cacert "$work/cert.pem" "$base/v1/chat/completions" \
  -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -H 'x-grokpulse-client: tls' \
  -d '{"model":"grok-4","messages":[{"role":"user","content":"hi"}]}')
[[ $code == 200 ]] && grep -q '"choices"' "$work/body"; check "chat over TLS: 200 ($code)" $?

curl -s -N --cacert "$work/cert.pem" "$base/v1/chat/completions" -H "Authorization: Bearer $token" \
  -d '{"model":"grok-4","stream":true,"messages":[{"role":"user","content":"hi"}]}' >"$work/stream"
grep -q '^data: {' "$work/stream" && grep -q '^data: \[DONE\]' "$work/stream"
check "stream over TLS: chunks and [DONE]" $?

code=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$work/cert.pem" "$base/v1/models")
[[ $code == 401 ]]; check "no token over TLS: still 401 ($code)" $?

rc=0; curl -s -o /dev/null "$base/healthz" || rc=$?
[[ $rc == 60 ]]; check "without --cacert curl refuses the self-signed certificate (exit $rc)" $?
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$gw_port/healthz" || true)
[[ $code != 200 ]]; check "plain HTTP to the TLS port gets no answer ($code)" $?

rc=0; "$bin" gateway --listen 127.0.0.1:0 --upstream "$upstream" --api-key-env GP_UPSTREAM_KEY --no-keychain \
  --token-file "$work/token" --tls-cert "$work/cert.pem" --tls-key "$work/missing.pem" >/dev/null 2>"$work/err" || rc=$?
[[ $rc == 2 ]] && grep -q -- '--tls-key' "$work/err"; check "a missing key file is refused at start ($rc: $(cat "$work/err"))" $?
rc=0; "$bin" gateway --tls-cert "$work/cert.pem" >/dev/null 2>"$work/err" || rc=$?
[[ $rc == 2 ]] && grep -q 'go together' "$work/err"; check "--tls-cert without --tls-key is refused ($rc)" $?

# No key in the environment: the error names every place tried, and no key.
rc=0; env -u GP_UPSTREAM_KEY "$bin" gateway --listen 127.0.0.1:0 --upstream "$upstream" \
  --api-key-env GP_UPSTREAM_KEY --no-keychain --token-file "$work/token" >/dev/null 2>"$work/err" || rc=$?
[[ $rc == 3 ]] && grep -q 'GP_UPSTREAM_KEY is empty or unset' "$work/err" && ! grep -q keychain "$work/err"
check "no key, --no-keychain: exit 3, the variable named ($(cat "$work/err"))" $?
rc=0; env -u GP_UPSTREAM_KEY -u DBUS_SESSION_BUS_ADDRESS timeout 20 "$bin" gateway --listen 127.0.0.1:0 \
  --upstream "$upstream" --api-key-env GP_UPSTREAM_KEY --token-file "$work/token" >/dev/null 2>"$work/err" || rc=$?
[[ $rc == 3 ]] && grep -q 'keychain' "$work/err"; check "no key, no keychain service: exit 3, the keychain named ($(cat "$work/err"))" $?

echo "$passes passed, $failures failed"
[[ $failures == 0 ]]
