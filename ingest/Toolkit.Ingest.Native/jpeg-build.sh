#!/usr/bin/env bash
# Builds OUTDIR/libtoolkit_jpeg.so from toolkit_jpeg.c (incremental and atomic, c-build.sh) and places beside it
# OUTDIR/libtoolkit_libjpeg.so, a copy of the system's libjpeg (Debian 12: libjpeg-turbo 2.1, apt
# libjpeg62-turbo-dev) that the library opens privately (see the top of toolkit_jpeg.c for why).
#
# Usage: jpeg-build.sh OUTDIR        (CC overrides the compiler, default gcc)
set -euo pipefail
if [ "$#" -ne 1 ] || [ -z "$1" ]; then
    echo "usage: $0 OUTDIR" >&2
    exit 2
fi
bash "$(dirname "${BASH_SOURCE[0]}")/c-build.sh" toolkit_jpeg "$1" "libjpeg" "libjpeg62-turbo-dev" "libjpeg-turbo"
lib="$(pkg-config --variable=libdir libjpeg)/libjpeg.so"
copy="$1/libtoolkit_libjpeg.so"
if [ ! -e "$lib" ]; then
    echo "toolkit_jpeg: $lib not found; install it with: apt-get install libjpeg62-turbo-dev" >&2
    exit 1
fi
if [ ! -f "$copy" ] || [ "$(readlink -f "$lib")" -nt "$copy" ]; then
    tmp="$(mktemp "$1/.libtoolkit_libjpeg.so.XXXXXX")"
    trap 'rm -f "$tmp"' EXIT
    cp -L "$lib" "$tmp"
    chmod 0755 "$tmp"
    mv -f "$tmp" "$copy"
    trap - EXIT
    echo "toolkit_jpeg: copied $(readlink -f "$lib") to $copy"
fi
