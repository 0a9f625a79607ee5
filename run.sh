#!/usr/bin/env bash
# One entry point for README's commands; each is idempotent.
#   ./run.sh main   install what is missing, build, run the main job (pictures and data in ./output)
#   ./run.sh test   install what is missing, build, run the whole test suite through CTest
#   ./run.sh gui    install what is missing, build, open ParaView with the plugin and the state
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
  # Configured once (a configuration that failed leaves no Makefile, so it runs again); the
  # build step configures again by itself when a CMake file changed.
  [ -f "$BUILD_DIR/Makefile" ] || cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release
  cmake --build "$BUILD_DIR" -j "$JOBS"
}

plugins_file() {
  find "$BUILD_DIR" -name 'GrayScott.plugins.xml' -path '*paraview-plugins*' | head -n 1
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
  gui)
    install_missing
    build
    # ParaView loads the plugin at start from its configuration file, then
    # Scripts/gui_start.py opens the state (GS_GUI_STATE, or Data/gray_scott.pvsm); further
    # arguments go to paraview.
    shift
    if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
      echo "./run.sh gui: no display to open ParaView on (DISPLAY is not set)" >&2
      exit 1
    fi
    PV_PLUGIN_CONFIG_FILE="$(realpath "$(plugins_file)")" exec paraview --script=Scripts/gui_start.py "$@"
    ;;
  *)
    echo "usage: $0 main [output-folder] | test | gui [paraview arguments]" >&2
    exit 2
    ;;
esac
