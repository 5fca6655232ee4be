#!/usr/bin/env bash
# Loader benchmark (numbers in BENCHMARKS.md, section "loaders"; raw output in benchmarks/results/loaders-latest.md).
#   Data: 8 lavfi videos (2 classes, 6 s at 25 fps = 150 frames each) converted with `toolkit extract --size 340x256`
#         and listed with `toolkit lists`.
#   Runs on the 80-item list (the 8 folders listed 10 times: 10 batches per epoch; with the 8-item list every epoch is
#   one batch and the pipeline drains at each epoch end, which a real dataset does once per thousands of batches),
#   interleaved REPEATS times (the shared 2-core machines are noisy; medians reported):
#     toolkit bench loader --recipe rrc --clip-len 8 --batch 8 --batches 50 --workers THREADS --json  (TurboJPEG decoding,
#       only the RandomResizedCrop box of each frame decoded)
#     the same with --whole-frames (every frame decoded whole, as before cropped decoding)
#     the same with --jpeg opencv (OpenCV's imdecode, the decoder before issue 22)
#     the same at --crop 112 (multigrid's half shape: rrc resizes to short side 128 first), with and without --full-scale
#     torch_loader.py: the same pipeline in a PyTorch DataLoader (the peer; python3-torch + python3-opencv)
#     bare_loader (OpenCV C++: imread + resize + RRC crop + resize 224 + normalize, THREADS threads, 400 clips), with
#       glibc's default heap thresholds and with the steady ones the toolkit's loader sets (NativeHeap), through
#       GLIBC_TUNABLES: the same allocator settings on both sides
#   Peak RSS against dataset size: the same bench on lists of 80 and 4000 items (the 8 folders repeated 10 and 500
#   times), 50 batches each. (The 8-item list itself is one batch per epoch, so its pipeline never fills: lower RSS.)
# Usage: benchmarks/loaders/run.sh [REPEATS]
set -euo pipefail
repeats="${1:-3}"
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bash benchmarks/loaders/build.sh "$work" >/dev/null
bare="$work/bare_loader"
big="$work/lists/x500_rawframes.txt"
for _ in $(seq 500); do cat "$list"; done > "$big"

bench() { local l="$1"; shift; ./toolkit bench loader --list "$l" --root "$work/rawframes" --recipe rrc --clip-len 8 --batch 8 --batches 50 --workers "$threads" --json "$@"; }
report="$root/benchmarks/results/loaders-latest.md"
tk=(); bps=(); rss=(); cpp=(); cppsteady=(); whole=(); one=(); tkcv=(); half=(); halffull=(); pt=()
steady="glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=67108864"
# The PyTorch DataLoader peer (torch_loader.py) needs Debian's python3-torch and python3-opencv.
peer=1; /usr/bin/python3 -c "import cv2, torch" 2>/dev/null || { peer=0; echo "run.sh: no PyTorch peer (apt-get install python3-torch python3-opencv)" >&2; }
for ((r = 0; r < repeats; r++)); do
  j="$(bench "$small")"
  tk+=("$(echo "$j" | field clips_per_s)"); bps+=("$(echo "$j" | field batches_per_s)"); rss+=("$(echo "$j" | field peak_rss_mb)")
  cpp+=("$("$bare" "$small" "$work/rawframes" 400 "$threads" 2)")
  whole+=("$(bench "$small" --whole-frames | field clips_per_s)")
  cppsteady+=("$(GLIBC_TUNABLES="$steady" "$bare" "$small" "$work/rawframes" 400 "$threads" 2)")
  tkcv+=("$(bench "$small" --jpeg opencv | field clips_per_s)")
  half+=("$(bench "$small" --crop 112 | field clips_per_s)")
  [ "$peer" = 1 ] && pt+=("$(/usr/bin/python3 benchmarks/loaders/torch_loader.py "$small" "$work/rawframes" 50 "$threads" | field clips_per_s)")
  halffull+=("$(bench "$small" --crop 112 --full-scale | field clips_per_s)")
  one+=("$(bench "$list" | field clips_per_s)")
done
js="$(bench "$list")"; jb="$(bench "$big")"
mo=$(printf '%s\n' "${one[@]}" | median); mt=$(printf '%s\n' "${tk[@]}" | median); mb=$(printf '%s\n' "${bps[@]}" | median); mp=$(printf '%s\n' "${cpp[@]}" | median); mc=$(printf '%s\n' "${tkcv[@]}" | median); mh=$(printf '%s\n' "${half[@]}" | median); mpt=$( [ "$peer" = 1 ] && printf '%s\n' "${pt[@]}" | median || echo 0); mhf=$(printf '%s\n' "${halffull[@]}" | median)
mw=$(printf '%s\n' "${whole[@]}" | median); mps=$(printf '%s\n' "${cppsteady[@]}" | median)
{
  echo "# loaders benchmark, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "8x224x224 RGB clips from 340x256 rawframes, recipe rrc, batch 8, $threads workers/threads, normalized float32 output, 80-item list."
  echo
  echo "| toolkit clips/s (median of $repeats) | batches/s | bare OpenCV C++ clips/s | toolkit / C++ | all toolkit runs | all C++ runs | peak RSS MiB (8 items) | peak RSS MiB (80 items) | peak RSS MiB (4000 items) |"
  echo "|---|---|---|---|---|---|---|---|---|"
  echo "| $mt | $mb | $mp | $(awk -v a="$mt" -v b="$mp" 'BEGIN {printf "%.2f", a / b}') | ${tk[*]} | ${cpp[*]} | $(echo "$js" | field peak_rss_mb) | ${rss[*]} | $(echo "$jb" | field peak_rss_mb) |"
  echo
  echo "Bare C++ loop with the loader's heap thresholds (GLIBC_TUNABLES $steady, interleaved): median $mps clips/s; toolkit / that $(awk -v a="$mt" -v b="$mps" 'BEGIN {printf "%.2f", a / b}')x (runs: ${cppsteady[*]})."
  echo
  echo "Whole-frame decoding (--whole-frames, interleaved): median $mw clips/s; cropped / whole $(awk -v a="$mt" -v b="$mw" 'BEGIN {printf "%.2f", a / b}')x (runs: ${whole[*]})."
  echo
  echo "8-item list (one batch per epoch, pipeline drained every epoch): toolkit median $mo clips/s (runs: ${one[*]})."
  echo
  echo "Same loader decoding JPEG with OpenCV's imdecode (--jpeg opencv, interleaved): median $mc clips/s ($(awk -v a="$mc" -v b="$mp" 'BEGIN {printf "%.2f", a / b}')x C++; TurboJPEG / OpenCV $(awk -v a="$mt" -v b="$mc" 'BEGIN {printf "%.2f", a / b}')x; runs: ${tkcv[*]})."
  echo
  [ "$peer" = 1 ] && echo "PyTorch DataLoader peer (torch_loader.py, mmaction2-style pipeline, $threads workers, interleaved): median $mpt clips/s; toolkit / PyTorch $(awk -v a="$mt" -v b="$mpt" 'BEGIN {printf "%.2f", a / b}')x (runs: ${pt[*]})."
  echo
  echo "Multigrid's half shape, rrc 8x112x112 (Resize(-1, 128) first): half-scale decoding median $mh clips/s, full-scale decoding $mhf ($(awk -v a="$mh" -v b="$mhf" 'BEGIN {printf "%.2f", a / b}')x; runs: ${half[*]} / ${halffull[*]})."
} | tee "$report"
