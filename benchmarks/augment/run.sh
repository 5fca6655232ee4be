#!/usr/bin/env bash
# Augment benchmarks (numbers in BENCHMARKS.md, section "augment"; raw output in benchmarks/results/augment-latest.md).
#   recipes: clips/s of `rrc` and `rescale` on 8-frame 340x256 clips, THREADS workers (default: all cores), against
#            bare_augment (OpenCV C++, Debian's OpenCV 4.6, the same ops) and a bare OpenCvSharp loop (the same calls
#            as the pipeline, no pipeline: separates our overhead from the OpenCV build's speed).
#            Runs are interleaved (toolkit, bare C#, C++, repeated REPEATS times) and the medians reported, because
#            the shared 2-core machines are noisy.
#   mix:     median ms per mixup / cutmix call on a CPU batch of 8 x 3 x 8 x 224 x 224 float32.
# Usage: benchmarks/augment/run.sh [REPEATS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
repeats="${1:-5}"
threads=$(nproc)
clips=400
work="$root/benchmarks/results/tmp/augment"
mkdir -p "$work"
bash benchmarks/augment/build.sh "$work" >/dev/null
dotnet build benchmarks/augment/AugmentBench -c Release -o "$work/bench" --nologo -v q -clp:ErrorsOnly >/dev/null
bench="$work/bench/AugmentBench"; bare="$work/bare_augment"

median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}'; }
report="$root/benchmarks/results/augment-latest.md"
{
  echo "# augment benchmark, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "| recipe | toolkit clips/s (median of $repeats) | bare OpenCvSharp clips/s | bare OpenCV C++ clips/s | toolkit / C++ | all toolkit runs | all C++ runs |"
  echo "|---|---|---|---|---|---|---|"
  for recipe in rrc rescale; do
    tk=(); cs=(); cpp=()
    for ((i = 0; i < repeats; i++)); do
      tk+=("$("$bench" recipe "$recipe" $clips "$threads" 3)")
      cs+=("$("$bench" recipe "bare-$recipe" $clips "$threads" 3)")
      cpp+=("$("$bare" "$recipe" $clips "$threads" 3)")
    done
    mt=$(printf '%s\n' "${tk[@]}" | median); mc=$(printf '%s\n' "${cs[@]}" | median); mp=$(printf '%s\n' "${cpp[@]}" | median)
    echo "| $recipe | $mt | $mc | $mp | $(awk -v a="$mt" -v b="$mp" 'BEGIN {printf "%.2f", a / b}') | ${tk[*]} | ${cpp[*]} |"
  done
  echo
  echo "| batch transform (CPU, 8 x 3 x 8 x 224 x 224 float32, torch threads = cores) | median ms per batch (20 calls) |"
  echo "|---|---|"
  for mix in mixup cutmix; do
    echo "| $mix | $("$bench" mix $mix 8 20) |"
  done
} | tee "$report"
