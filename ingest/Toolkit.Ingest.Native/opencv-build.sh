#!/usr/bin/env bash
# Compiles one C++ source against the system OpenCV 4 (Debian: libopencv-dev + libopencv-contrib-dev), shared by the
# flow shim (ingest/Toolkit.Ingest.Native/build.sh) and the bare-OpenCV benchmark baseline
# (benchmarks/flow-baseline/build.sh). Incremental: does nothing when OUT is newer than SRC, this script and the
# calling script. The result replaces OUT atomically, so concurrent builds and loaded copies never see a partial file.
#
# Usage: opencv-build.sh NAME SRC OUT CALLER "OPENCV LIBS" [COMPILER FLAGS...]   (CXX overrides the compiler, default g++)
set -euo pipefail

if [ "$#" -lt 5 ]; then
    echo "usage: $0 NAME SRC OUT CALLER \"-lopencv_x ...\" [flags...]" >&2
    exit 2
fi
name="$1"; src="$2"; out="$3"; caller="$4"; opencv_libs="$5"; shift 5
self="${BASH_SOURCE[0]}"

if [ -f "$out" ] && [ "$out" -nt "$src" ] && [ "$out" -nt "$self" ] && [ "$out" -nt "$caller" ]; then
    exit 0  # up to date
fi

missing_opencv() {
    echo "$name: OpenCV 4 development files not found; install them with: apt-get install libopencv-dev libopencv-contrib-dev" >&2
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
    echo "$name: C++ compiler '$cxx' not found; install it with: apt-get install g++" >&2
    exit 1
fi

# Link only what the program uses (the full `pkg-config --libs opencv4` pulls in ~50 libraries).
libs="$(pkg-config --libs-only-L opencv4) $opencv_libs"

outdir="$(dirname "$out")"
mkdir -p "$outdir"
tmp="$(mktemp "$outdir/.$(basename "$out").XXXXXX")"
trap 'rm -f "$tmp"' EXIT
# shellcheck disable=SC2086  # word splitting of the flag lists is intended
"$cxx" -O2 -std=c++17 -Wall -Wextra -Wl,--as-needed "$@" $cflags -o "$tmp" "$src" $libs
chmod 0755 "$tmp"
mv -f "$tmp" "$out"
trap - EXIT
echo "$name: built $out"
