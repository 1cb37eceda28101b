# Sourced by the build scripts: sets `launcher` (cmake arguments) to compile through ccache
# when it is installed (scripts/packages.txt). Paths are hashed relative to the folder that
# holds the checkout, so a fresh clone elsewhere (CI after a session) hits the same cache.
# Needs $root (the checkout).
launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
  export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$(dirname "$root")}"
fi
