#!/usr/bin/env bash
# Builds OUTDIR/libtoolkit_flow.so from toolkit_flow.cpp against the system OpenCV 4
# (Debian: libopencv-dev + libopencv-contrib-dev); incremental (see opencv-build.sh).
#
# Usage: build.sh OUTDIR        (CXX overrides the compiler, default g++)
set -euo pipefail
if [ "$#" -ne 1 ] || [ -z "$1" ]; then
    echo "usage: $0 OUTDIR" >&2
    exit 2
fi
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec bash "$here/opencv-build.sh" toolkit_flow "$here/toolkit_flow.cpp" "$1/libtoolkit_flow.so" "$here/build.sh" \
    "-lopencv_optflow -lopencv_video -lopencv_imgproc -lopencv_core" \
    -shared -fPIC -fvisibility=hidden -Wl,--no-undefined -Wl,-soname,libtoolkit_flow.so
