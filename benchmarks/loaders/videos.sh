#!/usr/bin/env bash
# The video loader (clips decoded on the fly from video files) against the rawframe loader, on the data of
# benchmarks/loaders/run.sh (8 lavfi videos, 640x480, 6 s at 25 fps, listed 10 times: 80 items): `toolkit bench loader`
# with --videos libav (the toolkit's in-process decoder), --videos opencv (VideoCapture, the reader before issue 14) and
# the rawframe list (340x256 JPEGs), interleaved REPEATS times; medians of clips/s and peak RSS.
# Usage: benchmarks/loaders/videos.sh [REPEATS]
set -euo pipefail
repeats="${1:-3}"
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
for _ in $(seq 10); do sed "s|^|$work/videos/|" "$work/lists/dataset_train_list_videos.txt"; done > "$work/lists/x10_videos.txt"
bench() { ./toolkit bench loader --root "$work/rawframes" --recipe rrc --clip-len 8 --batch 8 --batches 30 --warmup 3 --workers "$threads" --json "$@"; }
log="$work/videos-bench.log"; : > "$log"
for ((r = 0; r < repeats; r++)); do
  echo "libav $(bench --list "$work/lists/x10_videos.txt" --videos libav)" >> "$log"
  echo "opencv $(bench --list "$work/lists/x10_videos.txt" --videos opencv)" >> "$log"
  echo "rawframes $(bench --list "$work/lists/x10_rawframes.txt")" >> "$log"
done
python3 - "$log" <<'PY'
import json, sys, statistics as st
rows = {}
for line in open(sys.argv[1]):
    name, text = line.split(' ', 1); rows.setdefault(name, []).append(json.loads(text))
for name, rs in rows.items():
    print(f"{name:10s} clips/s {st.median(r['clips_per_s'] for r in rs):7.1f}  peak RSS {st.median(r['peak_rss_mb'] for r in rs):6.0f} MB  ({len(rs)} runs)")
PY
