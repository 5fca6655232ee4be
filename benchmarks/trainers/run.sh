#!/usr/bin/env bash
# Trainer benchmarks (numbers in BENCHMARKS.md, section "Trainers"; raw output in benchmarks/results/trainers-latest.md).
# Hand-written timed loops (warm-up excluded, REPEATS repeats, mean ± sample sd), not BenchmarkDotNet: one measurement
# is seconds of training, and each plugin run needs a fresh work dir. Every model is width 0.25, depth 0.34, 10 classes,
# on the CPU with TorchSharp's default thread count; inputs are fixed random tensors held in memory (no data loading).
#   1. Per architecture, one process each (so its peak RSS is its own): 5 warm-up steps, one probe step, then REPEATS
#      repeats of as many steps as take about 2 s; train = zero_grad + forward + cross-entropy + backward + AdamW step,
#      test = no-grad forward (eval mode). Video models 2×3×8×64×64, DeiT 2×3×64×64 frames (position embeddings sized 64).
#   2. Plugin boundary: VideoClassifierPlugin.TrainAsync (one epoch of BOUNDARY_ITERS steps of i3d-r50 on 4 cycled
#      in-memory batches, then its checkpoint) called (a) directly, the plugin assembly referenced by the benchmark, and
#      (b) through PluginCatalog.Load(plugins/).Get("video-classifier").Instance, the copy in the plugin's own load
#      context (asserted); one untimed run of each, then A B A B … BOUNDARY_REPEATS times.
#   3. RSS over a long run: x3d-m (the demo model) through the host, 5 epochs × 400 steps = 2000 steps, with validation
#      (2 batches) and a checkpoint every epoch; VmRSS sampled every 100 steps.
#   4. The same with the real loaders (LoaderTrainingData) on ./demo.sh's rawframes (demo-output/, skipped if absent),
#      configs/demo.json's data and trainer sections, the 6-video train list repeated: 3 epochs × 450 steps with precise
#      BN (3 batches), then 5 epochs × 150 steps without.
# Usage: benchmarks/trainers/run.sh [REPEATS] [BOUNDARY_REPEATS] [BOUNDARY_ITERS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
repeats="${1:-5}"
boundary_repeats="${2:-7}"
boundary_iters="${3:-100}"
dotnet build benchmarks/trainers/Toolkit.Benchmarks.Trainers -c Release --nologo -v q -clp:ErrorsOnly >/dev/null
bench=benchmarks/trainers/Toolkit.Benchmarks.Trainers/bin/Release/net10.0/Toolkit.Benchmarks.Trainers
report="$root/benchmarks/results/trainers-latest.md"
tmp="$(mktemp)"
{
  echo "# trainers — $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "\`benchmarks/trainers/run.sh $repeats $boundary_repeats $boundary_iters\`; $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(free -g | awk '/Mem:/ {print $2}') GiB, load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "## Per architecture (width 0.25, depth 0.34, 10 classes; it/s mean ± sd of $repeats repeats)"
  echo
  echo "| model | input | params | GFLOPs (batch, train mode) | train it/s | test it/s | repeats × steps (train / test) | peak RSS MiB | RSS MiB start → after train → after test |"
  echo "|---|---|---|---|---|---|---|---|---|"
  for m in i3d-r50 slowonly-r50 x3d-m slowfast-r50 mvit-b deit-ti deit-s deit-b; do
    "$bench" arch "$m" 2 "$repeats" 5
  done
  echo
  echo "load average after the per-architecture runs: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "## Plugin boundary: the same TrainAsync, direct vs through the host (interleaved)"
  echo
  "$bench" boundary i3d-r50 "$boundary_iters" "$boundary_repeats"
  echo
  echo "## RSS over a long run (through the host)"
  echo
  "$bench" rss x3d-m 5 400
  echo
  echo "## RSS over a long run with the real loaders (through the host; ./demo.sh's rawframes)"
  echo
  if [ -d "$root/demo-output/rawframes" ]; then
    "$bench" rss-loader "$root/demo-output" 3 150 3
    echo
    "$bench" rss-loader "$root/demo-output" 5 50 0
  else
    echo "skipped: no demo-output/ (run ./demo.sh first)"
  fi
  echo
  echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$tmp"
mv "$tmp" "$report"
chmod 644 "$report"
