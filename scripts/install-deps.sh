#!/usr/bin/env bash
# Installs every Debian 12 package GrokPulse needs. Idempotent and fast when all is
# present: dpkg is asked first, apt-get runs only for what is missing.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config git ccache
  qt6-base-dev qt6-base-dev-tools libgl-dev libqt6opengl6-dev
  qt6-charts-dev
  qt6-httpserver-dev qt6-websockets-dev
  libqt6sql6-sqlite libsqlite3-dev sqlite3
  libhiredis-dev
  qtkeychain-qt6-dev
  redis-server
  xvfb xauth
  clang-format
  nodejs npm curl iproute2
)

missing=()
for pkg in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done

if ((${#missing[@]} == 0)); then
  exit 0
fi

echo "install-deps: installing ${missing[*]}" >&2
SUDO=()
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO=(sudo -n)
  else
    echo "install-deps: these packages are missing and I am not root (and have no password-less sudo):" >&2
    echo "  ${missing[*]}" >&2
    echo "install them with: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
