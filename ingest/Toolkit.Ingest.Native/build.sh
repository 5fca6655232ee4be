#!/usr/bin/env bash
# Builds OUTDIR/libtoolkit_flow.so (DIS, and the ABI for TV-L1) from toolkit_flow.cpp against the system OpenCV 4's
# core, imgproc and video modules, and OUTDIR/libtoolkit_tvl1.so (TV-L1's factory, opencv_optflow) from
# toolkit_tvl1.cpp, which libtoolkit_flow.so opens only when TV-L1 is asked for (Debian: libopencv-dev +
# libopencv-contrib-dev); incremental (see opencv-build.sh).
#
# Usage: build.sh OUTDIR        (CXX overrides the compiler, default g++)
set -euo pipefail
if [ "$#" -ne 1 ] || [ -z "$1" ]; then
    echo "usage: $0 OUTDIR" >&2
    exit 2
fi
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bash "$here/opencv-build.sh" toolkit_tvl1 "$here/toolkit_tvl1.cpp" "$1/libtoolkit_tvl1.so" "$here/build.sh" \
    "-lopencv_optflow -lopencv_core" \
    -shared -fPIC -fvisibility=hidden -Wl,--no-undefined -Wl,-soname,libtoolkit_tvl1.so
exec bash "$here/opencv-build.sh" toolkit_flow "$here/toolkit_flow.cpp" "$1/libtoolkit_flow.so" "$here/build.sh" \
    "-lopencv_video -lopencv_imgproc -lopencv_core -ldl" \
    -shared -fPIC -fvisibility=hidden -Wl,--no-undefined -Wl,-soname,libtoolkit_flow.so
