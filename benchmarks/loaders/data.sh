#!/usr/bin/env bash
# The loader benchmarks' data (shared by run.sh and videos.sh), made once under WORK: 8 lavfi videos (2 classes,
# 640x480, 6 s at 25 fps), their rawframes (`toolkit extract --size 340x256`) and lists (`toolkit lists`).
# Usage: benchmarks/loaders/data.sh WORK
set -euo pipefail
work="$1"
mkdir -p "$work/videos/a" "$work/videos/b"
i=0
for src in testsrc2 mandelbrot life cellauto smptehdbars rgbtestsrc testsrc yuvtestsrc; do
  cls=$([ $((i % 2)) -eq 0 ] && echo a || echo b)
  out="$work/videos/$cls/$src.mp4"
  [ -f "$out" ] || ffmpeg -nostdin -v error -f lavfi -i "$src=s=640x480:r=25" -t 6 -pix_fmt yuv420p "$out"
  i=$((i + 1))
done
./toolkit extract "$work/videos" "$work/rawframes" --size 340x256 --task rgb >/dev/null
./toolkit lists "$work/rawframes" --out "$work/lists" --val-fraction 0 >/dev/null
