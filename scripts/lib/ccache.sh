# Sourced by build.sh, sanitize.sh and fuzz.sh after they set $root: compile through ccache
# when it is installed, with paths relative to the checkout, so that a fresh clone in another
# folder (as CI makes) still hits the cache. Sets ccache_args for the cmake configure line.
ccache_args=()
if command -v ccache >/dev/null 2>&1 && [[ "${GP_CCACHE:-1}" != 0 ]]; then
  ccache_args=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=true
fi
