#!/usr/bin/env bash
# Builds OUTDIR/bare_augment from bare_augment.cpp against the system OpenCV 4 (Debian libopencv-dev); incremental
# (see ingest/Toolkit.Ingest.Native/opencv-build.sh).   Usage: build.sh OUTDIR
set -euo pipefail
if [ "$#" -ne 1 ] || [ -z "$1" ]; then
    echo "usage: $0 OUTDIR" >&2
    exit 2
fi
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec bash "$here/../../ingest/Toolkit.Ingest.Native/opencv-build.sh" bare_augment "$here/bare_augment.cpp" "$1/bare_augment" "$here/build.sh" \
    "-lopencv_imgproc -lopencv_core" -pthread
