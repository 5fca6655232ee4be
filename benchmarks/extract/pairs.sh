#!/usr/bin/env bash
# Interleaved A/B timing of `toolkit extract` against its peer, case by case, on the inputs benchmarks/extract/run.sh
# made (run it once first). Each round runs the toolkit, then the peer, from outside the process (start-up, probing and
# file writes included), so slow drift of a shared machine hits both sides alike. Prints per case the median wall
# seconds of each side, the median of the per-round ratios (peer / toolkit: > 1 means the toolkit is faster) and the
# toolkit's CPU utilisation ((user + sys) / (wall × cores)).
# Usage: [OUT_BASE=DIR] [TOOLKIT=PATH] [TK_ARGS="--decoder ffmpeg"] benchmarks/extract/pairs.sh [ROUNDS] [CASE...]
#   cases: rgb rgb-720p rgb-k400 dis dis-long dis-k400 farneback (default: all but the 720p/k400 RGB ones, 5 rounds);
#   rgb-720p is twelve 4-s 1280x720 H.264 clips cut from the opencv-doc videos, rgb-k400 the six 10-s 640x360 ones.
#   TK_ARGS are added to every toolkit command (e.g. the ffmpeg-process decoder, to compare decoders against one peer). OUT_BASE is where both sides write (default: the work
#   folder on disk); OUT_BASE=/dev/shm/... takes the file system out of the comparison (see BENCHMARKS.md: on this VM's
#   ext4, creating a file after thousands were just deleted costs up to 1 ms of kernel time, varying run to run).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
rounds="${1:-5}"; shift || true
cases="${*:-rgb dis dis-long dis-k400 farneback}"
work="$root/benchmarks/results/tmp"
tk="${TOOLKIT:-$root/artifacts/toolkit/toolkit}"
read -r -a tk_args <<< "${TK_ARGS:-}"
bare="$work/bin/bare_flow"
threads=$(nproc)
out="${OUT_BASE:-$work}"; mkdir -p "$out"
[[ -x "$tk" && -x "$bare" && -d "$work/videos" ]] || { echo "run benchmarks/extract/run.sh first" >&2; exit 2; }
# Twelve 4-s 1280x720 H.264 clips made from the six opencv-doc videos (two cuts each, scaled up): issue 14's RGB set.
hd="$work/videos720"
if [[ ! -d "$hd" ]]; then
  mkdir -p "$hd.tmp"
  for v in "$work"/videos/{vtest,Megamind,Megamind_bugy,tree}.avi "$work"/videos/{box,cup}.mp4; do
    stem="$(basename "${v%.*}")"
    for start in 0 2; do
      ffmpeg -nostdin -loglevel error -ss "$start" -stream_loop 3 -i "$v" -t 4 -vf "scale=1280:720,format=yuv420p" \
        -c:v libx264 -preset veryfast -crf 20 -r 25 "$hd.tmp/${stem}_$start.mp4"
    done
  done
  mv "$hd.tmp" "$hd"
fi
timed() { # timed LOG CMD... : appends "wall user sys" to LOG
  local log="$1"; shift
  /usr/bin/time -o "$log.one" -f "%e %U %S" "$@" >/dev/null 2>&1
  cat "$log.one" >> "$log"
}
for case in $cases; do
  algo=dis
  case "$case" in
    rgb) set -- "$work/videos" ;;
    rgb-720p) set -- "$hd" ;;
    rgb-k400) mkdir -p "$work/videos_k400"; ln -sf "$work"/videos/synthetic_*.mp4 "$work/videos_k400/"; set -- "$work/videos_k400" ;;
    dis) set -- "$work/videos/vtest.avi" "$work/videos/Megamind.avi" "$work/videos/tree.avi" "$work/videos/box.mp4" ;;
    dis-long) set -- "$work/flowlong/long.mp4" "$work/flowlong/long2.mp4" ;;
    dis-k400) set -- "$work"/videos/synthetic_*.mp4 ;; # six Kinetics-like clips: 10 s, 30 fps, 640x360 H.264
    farneback) algo=farneback; set -- "$work/videos/tree.avi" "$work/videos/Megamind.avi" ;;
    *) echo "unknown case $case" >&2; exit 2 ;;
  esac
  src="$work/pairs_src"; rm -rf "$src"; mkdir -p "$src"
  if [[ $case == rgb* ]]; then src="$1"; else for v in "$@"; do ln -s "$v" "$src/"; done; fi
  a="$work/pairs_$case.tk"; b="$work/pairs_$case.peer"; rm -f "$a" "$b"
  for ((r = 0; r < rounds; r++)); do
    rm -rf "$out/pairs_out_tk" "$out/pairs_out_peer"
    if [[ $case == rgb* ]]; then
      timed "$a" "$tk" extract "$src" "$out/pairs_out_tk" --level 1 --task rgb --workers "$threads" "${tk_args[@]}"
      timed "$b" "$work/ffmpeg_loop.sh" "$src" "$out/pairs_out_peer"
    else
      timed "$a" "$tk" extract "$src" "$out/pairs_out_tk" --level 1 --task flow --flow "$algo" --workers "$threads" "${tk_args[@]}"
      timed "$b" "$bare" --algo "$algo" --mode full --threads "$threads" --out "$out/pairs_out_peer" "$@"
    fi
  done
  rm -rf "$out/pairs_out_tk" "$out/pairs_out_peer"
  python3 - "$case" "$a" "$b" "$threads" <<'PY'
import sys, statistics as st
case, a, b, cores = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
A = [list(map(float, l.split())) for l in open(a)]; B = [list(map(float, l.split())) for l in open(b)]
ratios = [y[0] / x[0] for x, y in zip(A, B)]
util = st.median((x[1] + x[2]) / (x[0] * cores) for x in A)
print(f"{case:10s} rounds {len(A)}  toolkit {st.median(x[0] for x in A):6.2f} s (cpu {st.median(x[1]+x[2] for x in A):6.2f} s, util {util:.0%})"
      f"  peer {st.median(y[0] for y in B):6.2f} s (cpu {st.median(y[1]+y[2] for y in B):6.2f} s)"
      f"  ratio median {st.median(ratios):.2f} (min {min(ratios):.2f}, max {max(ratios):.2f})")
PY
done
