#!/usr/bin/env bash
# Loader throughput per batch shape (issue 22: "small shapes cost proportionally less", which the Multigrid speed-up
# depends on). The data of run.sh (340x256 rawframes, 80-item list), recipe rrc, batch 8, all cores as workers; each
# figure is the median of REPEATS interleaved runs of `toolkit bench loader` (50 batches). The shapes are multigrid's
# for a 8x224 base (long cycle: 2x158, 4x158, 4x224; short cycle: 8x112, 8x158) plus 16x79, the issue's example of a
# small-crop, longer-clip shape. Three ways to decode, interleaved:
#   default          exact-half DCT scaling, and only the RandomResizedCrop box decoded when the recipe's first resize
#                    keeps the frame size (340x256 at 224, half size at 112)
#   --whole-frames   every frame decoded whole (the loader before cropped decoding)
#   --covering-scale the smallest of 1/8, 1/4, 1/2 that covers the recipe's first short side (16x79: 1/2 for 90)
# Cost per clip relative to 8x224 is compared with the pixels per clip (T x S^2) relative to 8x224: a ratio near 1
# means a clip costs in proportion to its pixels; above 1, the per-frame cost of reading and entropy-decoding a
# 340x256 JPEG (which no scale or crop saves) dominates.
# Usage: benchmarks/loaders/shapes.sh [REPEATS]   (writes benchmarks/results/loaders-shapes-latest.md)
set -euo pipefail
repeats="${1:-3}"
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
shapes=("8 224" "8 158" "8 112" "4 224" "4 158" "2 158" "16 79")
variants=("default" "whole" "covering")
declare -A runs
flag() { case "$1" in whole) echo --whole-frames ;; covering) echo --covering-scale ;; *) ;; esac; }
for ((r = 0; r < repeats; r++)); do
  for s in "${shapes[@]}"; do
    read -r t c <<< "$s"
    for v in "${variants[@]}"; do
      # shellcheck disable=SC2046  # an empty flag is no argument
      x=$(./toolkit bench loader --list "$small" --root "$work/rawframes" --recipe rrc --clip-len "$t" --crop "$c" --batch 8 --batches 50 --workers "$threads" --json $(flag "$v") | field clips_per_s)
      runs[$s/$v]="${runs[$s/$v]:-} $x"
    done
  done
done
report="$root/benchmarks/results/loaders-shapes-latest.md"
{
  echo "# loader throughput per shape, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "rrc from 340x256 rawframes, batch 8, $threads workers, float32 output, median of $repeats interleaved runs (50 batches each)."
  echo
  echo "| shape T x S² | default clips/s | whole frames | covering scale | default / whole | covering / default | pixels per clip vs 8x224² | cost per clip vs 8x224² (default) | cost / pixels (default) | cost / pixels (covering) | runs default / whole / covering |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|"
  base=$(printf '%s\n' ${runs["8 224/default"]} | median)
  for s in "${shapes[@]}"; do
    read -r t c <<< "$s"
    d=$(printf '%s\n' ${runs[$s/default]} | median); w=$(printf '%s\n' ${runs[$s/whole]} | median); k=$(printf '%s\n' ${runs[$s/covering]} | median)
    awk -v t="$t" -v c="$c" -v d="$d" -v w="$w" -v k="$k" -v b="$base" -v all="${runs[$s/default]} /${runs[$s/whole]} /${runs[$s/covering]}" 'BEGIN {
      px = t * c * c / (8 * 224 * 224);
      printf "| %dx%d² | %.1f | %.1f | %.1f | %.2f | %.2f | %.3f | %.3f | %.2f | %.2f | %s |\n", t, c, d, w, k, d / w, k / d, px, b / d, b / d / px, b / k / px, all }'
  done
} | tee "$report"
