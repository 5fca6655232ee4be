#!/usr/bin/env bash
# Builds OUTDIR/libNAME.so from NAME.c (C11, one file beside this script) against the system libraries named by
# pkg-config MODULES. Shared by video-build.sh and jpeg-build.sh. Incremental: does nothing when the library is newer
# than the source and this script. The result replaces the old file atomically (a loaded or
# half-written copy is never seen by another build).
#
# Usage: c-build.sh NAME OUTDIR "MODULES" "APT PACKAGES" "WHAT (for messages)"   (CC overrides the compiler, default gcc)
set -euo pipefail
if [ "$#" -ne 5 ] || [ -z "$2" ]; then
    echo "usage: $0 NAME OUTDIR MODULES PACKAGES WHAT" >&2
    exit 2
fi
name="$1" dir="$2" modules="$3" packages="$4" what="$5"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
src="$here/$name.c"
out="$dir/lib$name.so"
if [ -f "$out" ] && [ "$out" -nt "$src" ] && [ "$out" -nt "${BASH_SOURCE[0]}" ]; then
    exit 0  # up to date
fi
if ! command -v pkg-config >/dev/null 2>&1 || ! pkg-config --exists $modules 2>/dev/null; then
    echo "$name: $what development files not found; install them with: apt-get install pkg-config $packages" >&2
    exit 1
fi
cc="${CC:-gcc}"
if ! command -v "$cc" >/dev/null 2>&1; then
    echo "$name: C compiler '$cc' not found; install it with: apt-get install gcc" >&2
    exit 1
fi
mkdir -p "$dir"
tmp="$(mktemp "$dir/.lib$name.so.XXXXXX")"
trap 'rm -f "$tmp"' EXIT
# shellcheck disable=SC2046  # word splitting of pkg-config's flags is intended
"$cc" -O2 -std=c11 -Wall -Wextra -Werror -shared -fPIC -fvisibility=hidden -Wl,--no-undefined -Wl,--as-needed \
    -Wl,-soname,"lib$name.so" $(pkg-config --cflags $modules) -o "$tmp" "$src" $(pkg-config --libs $modules) -lpthread -lm
chmod 0755 "$tmp"
mv -f "$tmp" "$out"
trap - EXIT
echo "$name: built $out"
