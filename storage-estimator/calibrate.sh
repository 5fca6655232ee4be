#!/usr/bin/env bash
# Measures bytes per pixel of RGB and flow JPEGs and extraction throughput by running the real `./toolkit extract` on
# the bundled sample videos, and writes the calibration table that `toolkit estimate` uses in model-only mode:
#   storage-estimator/Toolkit.Estimator/Calibration/calibration.json
#
# Grid: short side {128, 256, 340} x JPEG quality {75, 90, 95}, task both with DIS flow (bytes), plus throughput of
# rgb-only and of each flow algorithm (DIS, Farneback, TV-L1) at short side 256, quality 95.
# Calibration set: tree.avi, Megamind.avi, box.mp4, cup.mp4 from samples/videos (vtest.avi is left out to keep the
# run short; Megamind_bugy.avi is the same clip as Megamind.avi). TV-L1 is timed on tree.avi alone (it is ~50x slower).
# Usage: storage-estimator/calibrate.sh [OUTPUT.json]   (needs ./setup.sh to have created samples/videos; uses jq, python3)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out_json="${1:-$here/storage-estimator/Toolkit.Estimator/Calibration/calibration.json}"
videos="$here/samples/videos"
for v in nature/tree.avi movie/Megamind.avi objects/box.mp4 objects/cup.mp4; do
  [[ -e "$videos/$v" ]] || { echo "calibrate: $videos/$v is missing; run ./setup.sh first" >&2; exit 2; }
done
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
printf '%s\n' "$videos/nature/tree.avi" "$videos/movie/Megamind.avi" "$videos/objects/box.mp4" "$videos/objects/cup.mp4" > "$work/set.txt"
printf '%s\n' "$videos/nature/tree.avi" > "$work/tvl1.txt"
runs="$work/runs.jsonl"
: > "$runs"

# run NAME LIST ARGS...: one extract into a fresh folder, then one JSON line with per-video bytes and image sizes.
run() {
  local name="$1" list="$2"; shift 2
  local dest="$work/$name"
  local start end
  start=$(date +%s.%N)
  "$here/toolkit" extract "$list" "$dest" --report "$work/$name.json" "$@" > "$work/$name.log" 2>&1 || {
    echo "calibrate: ./toolkit extract $* failed:" >&2; cat "$work/$name.log" >&2; exit 2; }
  end=$(date +%s.%N)
  python3 - "$dest" "$work/$name.json" "$name" "$start" "$end" "./toolkit extract LIST OUT $*" >> "$runs" <<'PY'
import json, os, struct, sys
dest, report, name, start, end, command = sys.argv[1:7]
def jpeg_size(path):
    with open(path, 'rb') as f:
        data = f.read(65536)
    i = 2
    while i < len(data):
        marker = data[i + 1]; length = struct.unpack('>H', data[i + 2:i + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2):
            h, w = struct.unpack('>HH', data[i + 5:i + 9]); return w, h
        i += 2 + length
    raise SystemExit(f'{path}: no SOF marker')
rep = json.load(open(report))
videos = []
for v in rep['videos']:
    if v['status'] != 'done': raise SystemExit(f"{v['source']}: {v['status']} {v.get('reason')}")
    folder = os.path.join(dest, v['output'])
    files = sorted(os.listdir(folder))
    rgb = [f for f in files if f.startswith('img_')]; flow = [f for f in files if f.startswith('flow_')]
    w, h = jpeg_size(os.path.join(folder, (rgb or flow)[0]))
    videos.append({'source': os.path.basename(v['source']), 'width': w, 'height': h, 'frames': v['frames'],
                   'rgb_images': len(rgb), 'rgb_bytes': sum(os.path.getsize(os.path.join(folder, f)) for f in rgb),
                   'flow_images': len(flow), 'flow_bytes': sum(os.path.getsize(os.path.join(folder, f)) for f in flow)})
rgb_px = sum(v['rgb_images'] * v['width'] * v['height'] for v in videos)
flow_px = sum(v['flow_images'] * v['width'] * v['height'] for v in videos)
frames = sum(v['frames'] for v in videos)
print(json.dumps({'name': name, 'command': command, 'wall_seconds': float(end) - float(start),
                  'pipeline_seconds': rep['seconds'], 'frames': frames,
                  'frames_per_second': frames / rep['seconds'],
                  'rgb_bytes_per_pixel': sum(v['rgb_bytes'] for v in videos) / rgb_px if rgb_px else None,
                  'flow_bytes_per_pixel': sum(v['flow_bytes'] for v in videos) / flow_px if flow_px else None,
                  'videos': videos}))
PY
  echo "calibrate: $name done" >&2
}

for s in 128 256 340; do
  for q in 75 90 95; do
    run "both-dis-s$s-q$q" "$work/set.txt" --task both --flow dis --short-side "$s" --jpeg-quality "$q"
  done
done
run "rgb-s256-q95" "$work/set.txt" --task rgb --short-side 256 --jpeg-quality 95
run "flow-farneback-s256-q95" "$work/set.txt" --task flow --flow farneback --short-side 256 --jpeg-quality 95
run "flow-dis-s256-q95" "$work/set.txt" --task flow --flow dis --short-side 256 --jpeg-quality 95
run "flow-tvl1-s256-q95" "$work/tvl1.txt" --task flow --flow tvl1 --short-side 256 --jpeg-quality 95

machine="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores, $(. /etc/os-release && echo "$PRETTY_NAME"), $(uname -r)"
ffmpeg_version="$(ffmpeg -version | head -1)"
mkdir -p "$(dirname "$out_json")"
jq -s --arg machine "$machine" --arg ffmpeg "$ffmpeg_version" --arg date "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
  --arg script "storage-estimator/calibrate.sh" '{
    produced_by: {script: $script, machine: $machine, ffmpeg: $ffmpeg, date: $date,
                  calibration_set: "samples/videos: nature/tree.avi, movie/Megamind.avi, objects/box.mp4, objects/cup.mp4 (TV-L1 timing: tree.avi only)"},
    runs: .
  }' "$runs" > "$out_json.tmp"
mv "$out_json.tmp" "$out_json"
echo "calibrate: wrote $out_json" >&2
