#!/usr/bin/env bash
# Builds OUTDIR/libtoolkit_video.so from toolkit_video.c against the system FFmpeg libraries (Debian 12: FFmpeg 5.1,
# apt libavformat-dev libavcodec-dev libswscale-dev libavutil-dev); incremental and atomic (c-build.sh).
#
# Usage: video-build.sh OUTDIR        (CC overrides the compiler, default gcc)
set -euo pipefail
if [ "$#" -ne 1 ] || [ -z "$1" ]; then
    echo "usage: $0 OUTDIR" >&2
    exit 2
fi
exec bash "$(dirname "${BASH_SOURCE[0]}")/c-build.sh" toolkit_video "$1" "libavformat libavcodec libswscale libavutil" \
    "libavformat-dev libavcodec-dev libswscale-dev libavutil-dev" "FFmpeg"
