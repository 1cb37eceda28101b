# Sourced by the build scripts: sets `launcher` (cmake arguments) to compile through ccache
# when it is installed (scripts/packages.txt). Paths are hashed relative to the folder that
# holds the checkout, and the build directory is left out of the hash (CCACHE_NOHASHDIR; with
# -g ccache would hash it, for the debug info), so a fresh clone or another worktree hits the
# same cache (an object's debug info then names the checkout that compiled it first).
# Needs $root (the checkout).
launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
  export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$(dirname "$root")}"
  export CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-true}"
fi
