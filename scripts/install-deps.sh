#!/usr/bin/env bash
# Installs every Debian 12 package GrokPulse needs: this list is the one home of what the
# project needs from Debian (build, run, test). Idempotent and fast when all is present:
# dpkg is asked first, apt-get runs only for what is missing.
#
# No surprise services: redis-server (and any other package here that ships a system
# service) is installed with a policy-rc.d that forbids starting services, the Debian way,
# and the services of the packages this run installed are disabled; the tests start their
# own servers on free loopback ports. `systemctl enable --now redis-server` if you want one.
#
#   scripts/install-deps.sh              install what is missing
#   scripts/install-deps.sh --explain LOG
#       read a failed CMake configure's output and say which Debian package is missing
#       (build.sh does this for you); exit 0 if it named one, 1 if not
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
  prometheus
  xvfb xauth
  clang-format
  nodejs npm curl iproute2
)

installed() { [[ $(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true) == "install ok installed" ]]; }

# What a CMake configure says when a package is missing, and the Debian package that has it.
# Qt components are mapped by name below; everything else here.
package_for() { # package_for NAME: the Debian package providing a CMake/pkg-config NAME
  case $1 in
    Qt6OpenGL | Qt6OpenGLWidgets | OpenGL) echo libqt6opengl6-dev ;;
    WrapOpenGL | OPENGL) echo libgl-dev ;;
    Qt6Charts) echo qt6-charts-dev ;;
    Qt6HttpServer) echo qt6-httpserver-dev ;;
    Qt6WebSockets) echo qt6-websockets-dev ;;
    Qt6Keychain) echo qtkeychain-qt6-dev ;;
    Qt6CoreTools | Qt6GuiTools | Qt6WidgetsTools | Qt6DBusTools) echo qt6-base-dev-tools ;;
    Qt6 | Qt6Core | Qt6Gui | Qt6Widgets | Qt6Network | Qt6Sql | Qt6Test | Qt6DBus | Qt6Concurrent) echo qt6-base-dev ;;
    hiredis | HIREDIS) echo libhiredis-dev ;;
    SQLite3 | sqlite3) echo libsqlite3-dev ;;
    PkgConfig) echo pkg-config ;;
    CMAKE_CXX_COMPILER | CXX) echo build-essential ;;
    Ninja) echo ninja-build ;;
    *)
      # Qt6Foo is usually qt6-foo-dev, pkg-config's foo libfoo-dev: if apt knows the name.
      local guess
      if [[ $1 == Qt6?* ]]; then guess="qt6-$(tr '[:upper:]' '[:lower:]' <<<"${1#Qt6}")-dev"; else guess="lib$(tr '[:upper:]' '[:lower:]' <<<"${1#lib}")-dev"; fi
      [[ -n $(apt-cache policy "$guess" 2>/dev/null | grep -v 'Candidate: (none)' | grep 'Candidate:') ]] || return 1
      echo "$guess"
      ;;
  esac
}

explain() { # explain LOG
  local log=$1 names=() name pkg named=0
  # "Could NOT find Qt6OpenGL (missing: ...)", "Could not find a package configuration file
  # provided by "Qt6"", "Failed to find required Qt component "Charts"", pkg-config's
  # "No package 'hiredis' found", no compiler, no Ninja.
  mapfile -t names < <(
    set +e +o pipefail # a pattern that does not occur is no error here
    grep -oE 'Could NOT find [A-Za-z0-9_]+' "$log" | awk '{print $4}'
    grep -oE 'package configuration file provided by "[A-Za-z0-9_]+"' "$log" | grep -oE '"[^"]+"' | tr -d '"'
    grep -oE 'required Qt component "[A-Za-z0-9_]+"' "$log" | grep -oE '"[^"]+"' | tr -d '"' | sed 's/^/Qt6/'
    grep -oE "No package '[A-Za-z0-9_.+-]+' found" "$log" | cut -d"'" -f2
    grep -qE 'No CMAKE_CXX_COMPILER could be found|CMAKE_CXX_COMPILER not set' "$log" && echo CMAKE_CXX_COMPILER
    grep -qE 'unable to find a build program corresponding to "Ninja"' "$log" && echo Ninja
  )
  local -A seen=()
  local unknown=() present=()
  for name in "${names[@]}"; do
    # Optional finds (Qt's XKB, say) also print "Could NOT find": named only if nothing else is.
    pkg=$(package_for "$name") || { unknown+=("$name"); continue; }
    [[ -n ${seen[$pkg]:-} ]] && continue
    seen[$pkg]=1
    # A component that failed only because of another (Charts needs OpenGL) is installed: skip it.
    if installed "$pkg"; then
      present+=("$name ($pkg)")
      continue
    fi
    named=1
    echo "install-deps: configure could not find $name: the Debian package $pkg is missing." >&2
    if printf '%s\n' "${PACKAGES[@]}" | grep -qx "$pkg"; then
      echo "install-deps:   run scripts/install-deps.sh (or: sudo apt-get install $pkg)" >&2
    else
      echo "install-deps:   sudo apt-get install $pkg   (and add it to PACKAGES in scripts/install-deps.sh)" >&2
    fi
  done
  ((named)) && return 0
  ((${#present[@]})) && echo "install-deps: configure could not find ${present[*]}, though installed" >&2
  ((${#unknown[@]})) && echo "install-deps: configure could not find: ${unknown[*]} (no Debian package known for it here)" >&2
  echo "install-deps: no missing Debian package found; the lines that say what is missing:" >&2
  grep -E 'Could NOT find|Could not find|Failed to find|not found|CMake Error' "$log" | head -10 | sed 's/^/  /' >&2 || true
  return 1
}

if [[ ${1:-} == --explain ]]; then
  explain "${2:?usage: install-deps.sh --explain CONFIGURE-LOG}"
  exit
fi

# Node.js from another source (NodeSource's nodejs package) ships its own npm and conflicts
# with Debian's: a working npm beside an installed nodejs counts as npm installed.
satisfied() { # satisfied PKG: installed, or provided another way
  installed "$1" && return 0
  [[ $1 == npm ]] && installed nodejs && command -v npm >/dev/null 2>&1
}

missing=()
for pkg in "${PACKAGES[@]}"; do
  satisfied "$pkg" || missing+=("$pkg")
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

# policy-rc.d exiting 101 tells invoke-rc.d and deb-systemd-invoke "do not start services"
# while apt-get runs; it is removed in a trap. One that is already there (a container's) stays.
policy=/usr/sbin/policy-rc.d
own_policy=0
if [[ ! -e $policy ]]; then
  "${SUDO[@]}" sh -c "printf '#!/bin/sh\n# scripts/install-deps.sh: no services start during its apt-get\nexit 101\n' >$policy && chmod 755 $policy"
  own_policy=1
  trap '"${SUDO[@]}" rm -f "$policy"' EXIT
fi

export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"

# A package's postinst enables its service for the next boot even when policy-rc.d stops it
# from starting now: disable the services of the packages this run installed (only those).
units=()
for pkg in "${missing[@]}"; do
  while read -r f; do
    units+=("$pkg:$(basename "$f")")
  done < <(dpkg-query -L "$pkg" 2>/dev/null | grep -E '^(/usr)?/lib/systemd/system/[^@/]+\.service$' || true)
done
disabled=()
for entry in "${units[@]}"; do
  pkg=${entry%%:*} unit=${entry#*:}
  if command -v systemctl >/dev/null 2>&1; then
    "${SUDO[@]}" systemctl disable --quiet "$unit" 2>/dev/null || true
  fi
  # Also where systemd is not installed (a chroot, a container): the helper dpkg itself uses
  # keeps the "disabled" state, so a later upgrade or systemd install does not enable it.
  if command -v deb-systemd-helper >/dev/null 2>&1; then
    "${SUDO[@]}" env DPKG_MAINTSCRIPT_PACKAGE="$pkg" deb-systemd-helper disable "$unit" 2>/dev/null || true
  fi
  if [[ -x /etc/init.d/${unit%.service} ]] && command -v update-rc.d >/dev/null 2>&1; then
    "${SUDO[@]}" update-rc.d "${unit%.service}" disable >/dev/null 2>&1 || true
  fi
  disabled+=("$unit")
done
if ((${#disabled[@]})); then
  echo "install-deps: installed without starting or enabling: ${disabled[*]} (systemctl enable --now NAME to run one)" >&2
fi
((own_policy)) && echo "install-deps: services were not started during the install (policy-rc.d); removed it again" >&2
exit 0
