#!/usr/bin/env bash
# The main job end to end on the bundled sample videos: set-up, then the plan (toolkit estimate: bytes, files, time, as an
# HTML report), then RGB + optical flow extraction, then lists, then a short CPU training run of a tiny model on the
# converted rawframes through the trainer plugin host (configs/demo.json).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
./setup.sh
out=demo-output
mkdir -p "$out"
# Plan first: bytes, files and time of the conversion below, measured on a seeded sample of 3 of the 6 videos
# (extracted to a temporary folder and deleted); rewritten on every run.
./toolkit estimate samples/videos --sample 3 --seed 0 --task both --flow dis --html "$out/estimate.html" --json-out "$out/estimate.json"
# The videos are cut into 32 windows (samples/segments.txt) so that every class has clips to train on and clips to hold
# out; only each window's time range is decoded. The lists put 20 % of each class's clips in the validation list.
rm -rf "$out/rawframes" "$out/lists"
./toolkit extract samples/videos "$out/rawframes" --segments samples/segments.txt --task both --flow dis --report "$out/extract-report.tsv"
./toolkit lists "$out/rawframes" --out "$out/lists" --val-fraction 0.2 --seed 0
# Train a small X3D-M for 30 epochs on the CPU (about 50 s) through the plugin host: the built-in trainer is loaded from
# plugins/ like any third-party one. The run is the demo's own, so it starts afresh each time (a real run resumes).
rm -rf "$out/train"
./toolkit train --plugin video-classifier --config configs/demo.json --work-dir "$out/train"
# Measure the best checkpoint on the held-out clips as papers do: 3 clips x 3 crops per video (the config's test section).
./toolkit test --checkpoint "$out/train"
echo "demo: plan in $out/estimate.html (and $out/estimate.json), rawframes in $out/rawframes, lists in $out/lists, report in $out/extract-report.tsv"
echo "demo: training metrics in $out/train/metrics (plot: $out/train/metrics/metrics.png), checkpoints in $out/train/checkpoints"
echo "demo: test results in $out/train/test (predictions.tsv, per_class.csv, confusion.png, summary.json); TensorBoard: tensorboard --logdir $out/train/tb"
