#!/usr/bin/env bash
# Loader throughput per batch shape (issue 22: "small shapes cost proportionally less", which the Multigrid speed-up
# depends on). The data of run.sh (340x256 rawframes, 80-item list), recipe rrc, batch 8, all cores as workers; each
# shape's clips/s is the median of REPEATS interleaved runs of `toolkit bench loader` (50 batches). The shapes are
# multigrid's for a 8x224 base (long cycle: 2x158, 4x158, 4x224; short cycle: 8x112, 8x158) plus 16x79, the issue's
# example of a small-crop, longer-clip shape.
# Cost per clip relative to 8x224 is compared with the pixels per clip (T x S^2) relative to 8x224: a ratio of the two
# near 1 means a clip costs in proportion to its pixels; above 1, the fixed per-clip cost (reading 340x256 JPEGs at
# half or full scale, whatever the crop) dominates.
# Usage: benchmarks/loaders/shapes.sh [REPEATS]   (writes benchmarks/results/loaders-shapes-latest.md)
set -euo pipefail
repeats="${1:-3}"
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
shapes=("8 224" "8 158" "8 112" "4 224" "4 158" "2 158" "16 79")
declare -A runs
for ((r = 0; r < repeats; r++)); do
  for s in "${shapes[@]}"; do
    read -r t c <<< "$s"
    v=$(./toolkit bench loader --list "$small" --root "$work/rawframes" --recipe rrc --clip-len "$t" --crop "$c" --batch 8 --batches 50 --workers "$threads" --json | field clips_per_s)
    runs[$s]="${runs[$s]:-} $v"
  done
done
report="$root/benchmarks/results/loaders-shapes-latest.md"
{
  echo "# loader throughput per shape, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs))"
  echo
  echo "rrc from 340x256 rawframes, batch 8, $threads workers, float32 output, median of $repeats interleaved runs (50 batches each)."
  echo
  echo "| shape T x S² | clips/s | runs | pixels per clip vs 8x224² | cost per clip vs 8x224² | cost / pixels |"
  echo "|---|---|---|---|---|---|"
  base=$(printf '%s\n' ${runs["8 224"]} | median)
  for s in "${shapes[@]}"; do
    read -r t c <<< "$s"
    m=$(printf '%s\n' ${runs[$s]} | median)
    awk -v t="$t" -v c="$c" -v m="$m" -v b="$base" -v all="${runs[$s]}" 'BEGIN {
      px = t * c * c / (8 * 224 * 224); cost = b / m;
      printf "| %dx%d² | %.1f | %s | %.3f | %.3f | %.2f |\n", t, c, m, all, px, cost, cost / px }'
  done
} | tee "$report"
