#!/usr/bin/env bash
# Builds OUTDIR/bare_flow from bare_flow.cpp against the system OpenCV 4
# (Debian: libopencv-dev + libopencv-contrib-dev). Incremental: does nothing when the binary is
# newer than both bare_flow.cpp and this script.
#
# Usage: build.sh OUTDIR        (CXX overrides the compiler, default g++)
set -euo pipefail

if [ "$#" -ne 1 ] || [ -z "$1" ]; then
    echo "usage: $0 OUTDIR" >&2
    exit 2
fi

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
src="$script_dir/bare_flow.cpp"
self="$script_dir/build.sh"
outdir="$1"
out="$outdir/bare_flow"

if [ -f "$out" ] && [ "$out" -nt "$src" ] && [ "$out" -nt "$self" ]; then
    exit 0  # up to date
fi

missing_opencv() {
    echo "bare_flow: OpenCV 4 development files not found; install them with: apt-get install libopencv-dev libopencv-contrib-dev" >&2
    exit 1
}

command -v pkg-config >/dev/null 2>&1 || missing_opencv
pkg-config --exists opencv4 2>/dev/null || missing_opencv
cflags="$(pkg-config --cflags opencv4)"
have_optflow=0
for flag in $(pkg-config --cflags-only-I opencv4) -I/usr/include -I/usr/local/include; do
    if [ -f "${flag#-I}/opencv2/optflow.hpp" ]; then have_optflow=1; break; fi
done
[ "$have_optflow" -eq 1 ] || missing_opencv

cxx="${CXX:-g++}"
if ! command -v "$cxx" >/dev/null 2>&1; then
    echo "bare_flow: C++ compiler '$cxx' not found; install it with: apt-get install g++" >&2
    exit 1
fi

# Link only what the program uses (the full `pkg-config --libs opencv4` pulls in ~50 libraries).
libs="$(pkg-config --libs-only-L opencv4) -lopencv_optflow -lopencv_video -lopencv_videoio -lopencv_imgcodecs -lopencv_imgproc -lopencv_core"

mkdir -p "$outdir"
tmp="$(mktemp "$outdir/.bare_flow.XXXXXX")"
trap 'rm -f "$tmp"' EXIT
# shellcheck disable=SC2086  # word splitting of the flag lists is intended
"$cxx" -O2 -std=c++17 -pthread -Wall -Wextra -Wl,--as-needed \
    $cflags -o "$tmp" "$src" $libs
chmod 0755 "$tmp"
mv -f "$tmp" "$out"
trap - EXIT
echo "bare_flow: built $out"
