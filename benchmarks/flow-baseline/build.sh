#!/usr/bin/env bash
# Builds OUTDIR/bare_flow from bare_flow.cpp against the system OpenCV 4
# (Debian: libopencv-dev + libopencv-contrib-dev); incremental (see ingest/Toolkit.Ingest.Native/opencv-build.sh).
#
# Usage: build.sh OUTDIR        (CXX overrides the compiler, default g++)
set -euo pipefail
if [ "$#" -ne 1 ] || [ -z "$1" ]; then
    echo "usage: $0 OUTDIR" >&2
    exit 2
fi
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec bash "$here/../../ingest/Toolkit.Ingest.Native/opencv-build.sh" bare_flow "$here/bare_flow.cpp" "$1/bare_flow" "$here/build.sh" \
    "-lopencv_optflow -lopencv_video -lopencv_videoio -lopencv_imgcodecs -lopencv_imgproc -lopencv_core" \
    -pthread
