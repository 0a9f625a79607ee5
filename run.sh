#!/usr/bin/env bash
# One entry point for README's two commands; both are idempotent.
#   ./run.sh main   install what is missing, build, run the main job (pictures and data in ./output)
#   ./run.sh test   install what is missing, build, run the whole test suite through CTest
set -euo pipefail
cd "$(dirname "$0")"

PACKAGES=(
  cmake g++ make libgtest-dev clang-format
  paraview paraview-dev python3-paraview libeigen3-dev libtbb-dev
  qtbase5-dev libqt5svg5-dev qttools5-dev qtxmlpatterns5-dev-tools libutfcpp-dev
  libopenmpi-dev openmpi-bin xvfb xauth
)
BUILD_DIR=${GS_BUILD_DIR:-build}
JOBS=${GS_JOBS:-2}

install_missing() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "Installing missing Debian packages: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

build() {
  cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release
  cmake --build "$BUILD_DIR" -j "$JOBS"
}

plugin_path() {
  find "$BUILD_DIR" -name 'GrayScott.so' -path '*paraview-plugins*' | head -n 1
}

case "${1:-}" in
  main)
    install_missing
    build
    pvbatch Scripts/main_job.py --plugin "$(plugin_path)" --output "${2:-output}"
    ;;
  test)
    install_missing
    build
    cd "$BUILD_DIR" && ctest --output-on-failure -j "$JOBS"
    ;;
  *)
    echo "usage: $0 main [output-folder] | test" >&2
    exit 2
    ;;
esac
