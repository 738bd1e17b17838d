#!/usr/bin/env bash
# The README's first command on a blank Debian 12 machine, for real: a fresh minbase
# bookworm root (mmdebstrap, or debootstrap when mmdebstrap is missing), the checkout copied
# in with `git archive HEAD` (no .git, no build dir), and inside it, as root with an empty
# environment (`env -i`, a login shell):
#   1. scripts/install-deps.sh                       (must install everything, start no service)
#   2. remove libqt6opengl6-dev, scripts/build.sh    (must fail and name that package)
#   3. scripts/install-deps.sh again                  (must put it back)
#   4. scripts/build.sh of the grokpulse executable
#   5. scripts/run.sh                                 (the headless demo: exit 0, every line succeeded)
#   6. cmake --install, then the installed grokpulse  (executable, desktop file, icon)
# Exit 0 only if every step did. Needs root (or password-less sudo) for chroot and mount.
#
# Cached between runs (both are only caches; delete them and the next run re-makes them):
#   $GP_BLANK_CACHE/bookworm-minbase.tar   Debian's pristine base (re-made after 7 days)
#   $GP_BLANK_CACHE/apt-archives          Debian's .deb files, apt's download cache (GP_BLANK_APT_CACHE=0: none)
#   the host's ccache directory, bind-mounted into the root (GP_BLANK_CCACHE=0: none)
# Environment: GP_BLANK_CACHE (default /var/cache/grokpulse-blank), GP_BLANK_CCACHE (1), GP_BLANK_APT_CACHE (1),
#   GP_BLANK_KEEP=1 keeps the root for a look (it is printed), GP_BLANK_MIRROR (a Debian
#   mirror URL; default: the one in /etc/apt/sources.list*).
set -euo pipefail
{ # parsed whole before it runs: editing this file during a run cannot change that run
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [[ $(id -u) -ne 0 ]]; then
  if sudo -n true 2>/dev/null; then
    exec sudo -n --preserve-env=GP_BLANK_CACHE,GP_BLANK_CCACHE,GP_BLANK_APT_CACHE,GP_BLANK_KEEP,GP_BLANK_MIRROR "$0" "$@"
  fi
  echo "blank-machine-check: needs root (chroot, mount) or password-less sudo" >&2
  exit 2
fi
cache=${GP_BLANK_CACHE:-/var/cache/grokpulse-blank}
base="$cache/bookworm-minbase.tar"
t0=$(date +%s)
times=()
lap() { # lap NAME START: records how long a stage took
  times+=("$1 $(($(date +%s) - $2)) s")
}
say() { echo "=== blank-machine-check: $* ($(date -u +%T))"; }

# --- Debian's own tools -----------------------------------------------------------------
tool=
if command -v mmdebstrap >/dev/null 2>&1; then tool=mmdebstrap; elif command -v debootstrap >/dev/null 2>&1; then tool=debootstrap; fi
if [[ -z $tool ]]; then
  say "installing mmdebstrap"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mmdebstrap >/dev/null ||
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mmdebstrap >/dev/null; }
  tool=mmdebstrap
fi

# The mirror this machine uses (deb822 "URIs:" or one-line "deb URI"), else Debian's CDN.
mirror_of() { # mirror_of SUFFIX: the first http(s) URI ending in /SUFFIX
  local files=(/etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources)
  grep -hoE "(URIs:[[:space:]]*|^deb[[:space:]]+(\[[^]]*\][[:space:]]+)?)https?://[^[:space:]]+/$1/?([[:space:]]|$)" \
    "${files[@]}" 2>/dev/null | grep -oE "https?://[^[:space:]]+" | head -1 | sed 's:/*$::' || true
}
mirror=${GP_BLANK_MIRROR:-$(mirror_of debian)}
mirror=${mirror:-http://deb.debian.org/debian}
security=$(mirror_of debian-security)
security=${security:-http://deb.debian.org/debian-security}

# --- the pristine base, cached ----------------------------------------------------------
mkdir -p "$cache"
exec 9>"$cache/lock"
flock 9 # one run at a time: they share the base tarball and the 2 cores
if [[ -f $base ]] && [[ -n $(find "$base" -mtime +7 2>/dev/null) ]]; then
  say "base older than 7 days: re-making it"
  rm -f "$base"
fi
if [[ ! -f $base ]]; then
  start=$(date +%s)
  say "making a pristine Debian 12 minbase root with $tool from $mirror"
  if [[ $tool == mmdebstrap ]]; then
    nice mmdebstrap --quiet --format=tar --variant=minbase --components=main bookworm "$base.part" \
      "deb $mirror bookworm main" "deb $mirror bookworm-updates main" "deb $security bookworm-security main"
  else
    staging=$(mktemp -d /var/tmp/grokpulse-debootstrap.XXXXXX)
    nice debootstrap --variant=minbase bookworm "$staging" "$mirror" >/dev/null
    printf 'deb %s bookworm main\ndeb %s bookworm-updates main\ndeb %s bookworm-security main\n' \
      "$mirror" "$mirror" "$security" >"$staging/etc/apt/sources.list"
    rm -rf "$staging"/var/lib/apt/lists/* "$staging"/var/cache/apt/archives/*.deb
    # debootstrap mounts /proc and /sys while it works; make sure they are gone before tar and rm.
    if findmnt -rn -o TARGET | grep -q "^$staging"; then
      echo "blank-machine-check: debootstrap left mounts under $staging; not touching it" >&2
      exit 2
    fi
    tar -C "$staging" --numeric-owner -cf "$base.part" .
    rm -rf --one-file-system "$staging"
  fi
  mv "$base.part" "$base"
  lap "base (made)" "$start"
else
  say "pristine base from cache: $base ($(du -h "$base" | cut -f1))"
  times+=("base (cached) 0 s")
fi

# --- a fresh root from it, mounts undone in a trap -------------------------------------
r=$(mktemp -d /var/tmp/grokpulse-blank.XXXXXX)
mounts=()
cleanup() {
  local status=$?
  # Anything still running inside the root is ours (the demo, a stray service): end it.
  local p
  for p in /proc/[0-9]*; do
    [[ $(readlink "$p/root" 2>/dev/null) == "$r" ]] && kill -KILL "${p#/proc/}" 2>/dev/null
  done
  local i
  for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
    umount "${mounts[i]}" 2>/dev/null || umount -l "${mounts[i]}" 2>/dev/null || true
  done
  if findmnt -rn -o TARGET | grep -q "^$r"; then
    echo "blank-machine-check: still mounted under $r, NOT deleting it:" >&2
    findmnt -rn -o TARGET | grep "^$r" >&2
    status=2
  elif [[ ${GP_BLANK_KEEP:-0} == 1 ]]; then
    echo "blank-machine-check: root kept in $r" >&2
  else
    rm -rf --one-file-system "$r"
  fi
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM
mnt() { # mnt TARGET MOUNT-ARGS...: mount and remember it for the trap
  mkdir -p "$1"
  mount "${@:2}" "$1"
  mounts+=("$1")
}

start=$(date +%s)
tar -C "$r" --numeric-owner -xpf "$base"
src=/src/grokpulse
mkdir -p "$r$src"
git -C "$root" archive HEAD | tar -C "$r$src" -x
cp /etc/resolv.conf "$r/etc/resolv.conf" # apt needs the mirror's name; the demo talks to loopback only
mnt "$r/proc" -t proc proc
mnt "$r/sys" -t sysfs sysfs
mnt "$r/dev" --bind /dev
mnt "$r/dev/shm" -t tmpfs tmpfs
mnt "$r/dev/pts" -t devpts -o newinstance,ptmxmode=0666 devpts
if [[ ${GP_BLANK_CCACHE:-1} != 0 ]] && command -v ccache >/dev/null 2>&1; then
  host_ccache=$(ccache -k cache_dir)
  mkdir -p "$host_ccache"
  mnt "$r/root/.cache/ccache" --bind "$host_ccache"
  say "host ccache $host_ccache bind-mounted as the root's cache"
fi
# Debian's .deb files may be cached too (apt still installs every one of them fresh).
if [[ ${GP_BLANK_APT_CACHE:-1} != 0 ]]; then
  mkdir -p "$cache/apt-archives/partial"
  mnt "$r/var/cache/apt/archives" --bind "$cache/apt-archives"
fi
lap "fresh root + git archive" "$start"

# run NAME SCRIPT: one stage inside the root, as root, empty environment, login shell.
run() {
  local name=$1 start
  start=$(date +%s)
  say "$name"
  # dpkg's per-package unpack lines are left out of the log (apt's errors and "Setting up" stay).
  set +e
  nice chroot "$r" /usr/bin/env -i HOME=/root TERM=dumb /bin/bash -l -c "set -euo pipefail; cd $src; $2" |
    grep --line-buffered -vE '^(\(Reading database |Selecting previously unselected|Preparing to unpack|Unpacking )'
  local codes=("${PIPESTATUS[@]}")
  set -e
  ((codes[0] == 0)) || fail "$name (exit ${codes[0]})"
  lap "$name" "$start"
}
fail() {
  echo "blank-machine-check: FAILED: $*" >&2
  exit 1
}

run "install-deps" "scripts/install-deps.sh"
# No service may have started: nothing but us runs inside the root.
for p in /proc/[0-9]*; do
  if [[ $(readlink "$p/root" 2>/dev/null) == "$r" ]]; then
    fail "install-deps left a process running in the root: $(tr '\0' ' ' <"$p/cmdline")"
  fi
done
[[ ! -e $r/usr/sbin/policy-rc.d ]] || fail "install-deps left /usr/sbin/policy-rc.d behind"

# The failure this check was made for: a package missing, configure fails, build.sh says which.
run "missing package is named" "apt-get remove -y -qq libqt6opengl6-dev >/dev/null
  if GP_BUILD_DIR=/tmp/hint-build scripts/build.sh >/tmp/hint.log 2>&1; then echo 'build.sh succeeded without libqt6opengl6-dev' >&2; exit 1; fi
  grep -E '^(build.sh|install-deps):' /tmp/hint.log >&2
  grep -q 'apt-get install.*libqt6opengl6-dev' /tmp/hint.log"
run "install-deps again" "scripts/install-deps.sh; dpkg-query -W libqt6opengl6-dev; apt-get autoclean -qq"
run "build grokpulse" "GP_BUILD_TARGETS=grokpulse scripts/build.sh"
run "run.sh demo" "scripts/run.sh 2>&1 | tee /tmp/demo.log"
# run.sh prints the summary JSON after "run.sh: demo summary:".
summary=$(sed -n '/^run.sh: demo summary:/,$p' "$r/tmp/demo.log" | tail -n +2)
jq -e '.exit_code == 0 and .lines > 0 and .counts.succeeded == .lines' <<<"$summary" >/dev/null ||
  fail "the demo summary is not 'every line succeeded': $summary"
say "demo: $(jq -c '{lines, counts, latency_ms}' <<<"$summary")"
run "cmake --install" "cmake --install build >/dev/null
  test -x /usr/local/bin/grokpulse
  test -f /usr/local/share/applications/grokpulse.desktop
  test -f /usr/local/share/icons/hicolor/scalable/apps/grokpulse.svg
  grokpulse --help >/dev/null
  printf '{\"id\":\"a\",\"prompt\":\"hi\"}\n' >/tmp/one-in.jsonl
  grokpulse batch --simulate=demo --quiet --input /tmp/one-in.jsonl --output /tmp/one.jsonl
  grep -q '\"status\":\"succeeded\"' /tmp/one.jsonl"

lap "total" "$t0"
say "PASSED"
printf '  %s\n' "${times[@]}"
exit 0
}
