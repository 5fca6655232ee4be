#!/usr/bin/env bash
# Builds OUTDIR/bare_loader from bare_loader.cpp against the system OpenCV 4 (Debian libopencv-dev); incremental
# (see ingest/Toolkit.Ingest.Native/opencv-build.sh).   Usage: build.sh OUTDIR
set -euo pipefail
if [ "$#" -ne 1 ] || [ -z "$1" ]; then
    echo "usage: $0 OUTDIR" >&2
    exit 2
fi
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec bash "$here/../../ingest/Toolkit.Ingest.Native/opencv-build.sh" bare_loader "$here/bare_loader.cpp" "$1/bare_loader" "$here/build.sh" \
    "-lopencv_imgcodecs -lopencv_imgproc -lopencv_core" -pthread
