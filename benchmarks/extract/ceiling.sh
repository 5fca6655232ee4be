#!/usr/bin/env bash
# The decode-only ceiling of RGB extraction (issue 14): ffmpeg decoding and scaling every video of a folder to short side
# 256 in full-range YCbCr 4:2:0 (what the toolkit hands its JPEG encoder), two videos at a time as the toolkit's two
# decoders do, writing nothing. Prints the median wall and CPU seconds of ROUNDS runs; no tool can extract RGB faster
# than this plus its JPEG encoding.
# Usage: benchmarks/extract/ceiling.sh FOLDER [ROUNDS]
set -euo pipefail
folder="$1"; rounds="${2:-3}"
log="$(mktemp)"; trap 'rm -f "$log"' EXIT
for ((r = 0; r < rounds; r++)); do
  /usr/bin/time -a -o "$log" -f "%e %U %S" bash -c "ls -1 '$folder'/* | xargs -d '\n' -P 2 -I{} \
    ffmpeg -nostdin -loglevel error -threads 1 -i {} -map 0:v:0 -vf scale=-2:256:flags=bicubic:out_range=full,format=yuvj420p -filter_threads 1 -f rawvideo -y /dev/null"
done
python3 - "$log" "$folder" <<'PY'
import sys, statistics as st
rows = [list(map(float, l.split())) for l in open(sys.argv[1])]
print(f"decode-only ceiling {sys.argv[2]}: wall {st.median(r[0] for r in rows):.2f} s, cpu {st.median(r[1] + r[2] for r in rows):.2f} s ({len(rows)} rounds)")
PY
