#!/usr/bin/env bash
# Multi-view testing cost (BENCHMARKS.md, "toolkit test: views batched"): mmaction2's X3D-M test protocol (10 clips ×
# ThreeCrop 256 after Resize(-1, 256), 16 frames every 5) through the real toolkit test, against the same model's
# forward on plain batches of the same clips (Views.cs). The model is the zoo fixture mm_x3d.pth (mmaction2's X3D-M,
# 400 classes, random weights: the cost does not depend on them); the data are VIDEOS of the loader benchmarks' lavfi
# clips (benchmarks/loaders/data.sh, rawframes at 340x256). One forward pass per video: its 30 views together.
# Usage: benchmarks/trainers/views.sh [VIDEOS] [REPEATS] [BATCH]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
videos="${1:-4}"
repeats="${2:-3}"
batch="${3:-1}"
work="$root/benchmarks/results/tmp/loaders"
checkpoint="$root/../shared/fixtures/zoo/mm_x3d.pth"
[ -f "$checkpoint" ] || { echo "views.sh: $checkpoint not found (the zoo fixtures of ../shared)" >&2; exit 2; }
benchmarks/loaders/data.sh "$work" >/dev/null
head -n "$videos" "$work/lists/dataset_train_list_rawframes.txt" > "$work/views-test.txt"
config="$work/views-config.json"
cat > "$config" <<JSON
{
  "device": "cpu",
  "data": { "root": "$work/rawframes", "train": "$work/views-test.txt", "classes": 400, "workers": 2 },
  "test": { "list": "$work/views-test.txt", "clips": 10, "crops": "three", "crop": 256, "scale": 256, "clip_len": 16, "frame_interval": 5, "batch": $batch },
  "trainer": { "model": "x3d-m" }
}
JSON
dotnet build benchmarks/trainers/Toolkit.Benchmarks.Trainers -c Release --nologo -v q -clp:ErrorsOnly >/dev/null
bench=benchmarks/trainers/Toolkit.Benchmarks.Trainers/bin/Release/net10.0/Toolkit.Benchmarks.Trainers
echo "# toolkit test views — $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p')"
echo
echo "| test set | A: toolkit test wall s | A: its forward s | B: plain batches s | A / B | A forward / B | A clips/s | B clips/s | single-clip loop clips/s |"
echo "|---|---|---|---|---|---|---|---|---|"
"$bench" views "$checkpoint" "$config" "$repeats"
