#!/usr/bin/env bash
# Runs tests/gateway/node with the pinned openai package: npm ci into the build tree (its
# cache there too), then node's test runner. usage: run-node-tests.sh SRC_DIR WORK_DIR GROKPULSE_BIN [FILE]
set -euo pipefail
src=$1 work=$2 bin=$3 file=${4:-gateway.test.mjs}
for tool in node npm; do
  command -v "$tool" >/dev/null || { echo "run-node-tests: $tool is missing (scripts/install-deps.sh installs nodejs npm)" >&2; exit 1; }
done
mkdir -p "$work"
cp "$src"/package.json "$src"/package-lock.json "$src"/*.mjs "$work"/
cd "$work"
# npm ci only when the lock changed since the last install.
if ! cmp -s package-lock.json node_modules/.gp-installed-lock 2>/dev/null; then
  npm ci --cache "$work/.npm-cache" --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.gp-installed-lock
fi
GROKPULSE_BIN="$bin" exec node --test --test-concurrency=1 "$file"
