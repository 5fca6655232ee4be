#!/usr/bin/env bash
# Builds OUTDIR/libtoolkit_video.so from toolkit_video.c against the system FFmpeg libraries (Debian 12: FFmpeg 5.1,
# apt libavformat-dev libavcodec-dev libswscale-dev libavutil-dev). Incremental: does nothing when the library is newer
# than the source and this script. The result replaces the old file atomically (a loaded or half-written copy is never
# seen by another build).
#
# Usage: video-build.sh OUTDIR        (CC overrides the compiler, default gcc)
set -euo pipefail
if [ "$#" -ne 1 ] || [ -z "$1" ]; then
    echo "usage: $0 OUTDIR" >&2
    exit 2
fi
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
src="$here/toolkit_video.c"
out="$1/libtoolkit_video.so"
if [ -f "$out" ] && [ "$out" -nt "$src" ] && [ "$out" -nt "${BASH_SOURCE[0]}" ]; then
    exit 0  # up to date
fi
modules="libavformat libavcodec libswscale libavutil"
if ! command -v pkg-config >/dev/null 2>&1 || ! pkg-config --exists $modules 2>/dev/null; then
    echo "toolkit_video: FFmpeg development files not found; install them with: apt-get install pkg-config libavformat-dev libavcodec-dev libswscale-dev libavutil-dev" >&2
    exit 1
fi
cc="${CC:-gcc}"
if ! command -v "$cc" >/dev/null 2>&1; then
    echo "toolkit_video: C compiler '$cc' not found; install it with: apt-get install gcc" >&2
    exit 1
fi
mkdir -p "$1"
tmp="$(mktemp "$1/.libtoolkit_video.so.XXXXXX")"
trap 'rm -f "$tmp"' EXIT
# shellcheck disable=SC2046  # word splitting of pkg-config's flags is intended
"$cc" -O2 -std=c11 -Wall -Wextra -Werror -shared -fPIC -fvisibility=hidden -Wl,--no-undefined -Wl,--as-needed \
    -Wl,-soname,libtoolkit_video.so $(pkg-config --cflags $modules) -o "$tmp" "$src" $(pkg-config --libs $modules) -lpthread -lm
chmod 0755 "$tmp"
mv -f "$tmp" "$out"
trap - EXIT
echo "toolkit_video: built $out"
