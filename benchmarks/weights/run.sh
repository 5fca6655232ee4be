#!/usr/bin/env bash
# Weight import at full size (numbers in BENCHMARKS.md, section "Weights"; raw output in benchmarks/results/weights-latest.md).
# For each source layout, a full-size checkpoint (random values; the model zoos' two real-layout files from
# ../shared/fixtures/zoo) is imported with `toolkit weights import --out` (read, key map, our model built, safetensors
# written), interleaved with the peer: PyTorch 1.13 reading the same file (`torch.load`, a fresh python3 process each,
# as a user's script would). Both are whole processes (start-up included). Wall seconds, median (min–max) of ROUNDS.
# Usage: benchmarks/weights/run.sh [ROUNDS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
rounds="${1:-5}"
./toolkit --version >/dev/null
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 tests/Toolkit.Trainers.Tests/Weights/make_fixtures.py "$work/fx" 1 >/dev/null
zoo="$root/../shared/fixtures/zoo"
cases=(
  "$zoo/mm_x3d.pth x3d-m mmaction2"
  "$zoo/timm_deit.pth deit-ti timm"
  "$work/fx/mm_i3d.pth i3d-r50 mmaction2"
  "$work/fx/mm_slowfast.pth slowfast-r50 mmaction2"
  "$work/fx/pv_slow_r50.pyth slowonly-r50 pytorchvideo"
  "$work/fx/pv_mvit.pyth mvit-b pytorchvideo"
  "$work/fx/sf_mvit.pyth mvit-b slowfast"
  "$work/fx/tv_r50.pth i3d-r50 torchvision"
)
wall() { local s=$(date +%s.%N); "$@" >/dev/null 2>&1; echo "$(date +%s.%N) - $s" | bc; }
stats() { sort -n | awk '{a[NR]=$1} END {printf "%.2f (%.2f–%.2f)", (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2), a[1], a[NR]}'; }
report="$root/benchmarks/results/weights-latest.md"
{
  echo "# weights — $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "\`benchmarks/weights/run.sh $rounds\` on $(nproc) cores; wall seconds, median (min–max) of $rounds interleaved rounds."
  echo
  echo "| file | model | source | MB | toolkit weights import | torch.load (python3) | ratio |"
  echo "|---|---|---|---|---|---|---|"
  for c in "${cases[@]}"; do
    set -- $c
    t=(); p=()
    for ((r = 0; r < rounds; r++)); do
      t+=("$(wall ./toolkit weights import "$1" --model "$2" --from "$3" --out "$work/out" --force)")
      p+=("$(wall /usr/bin/python3 -c "import torch; torch.load('$1', map_location='cpu')")")
    done
    ts=$(printf '%s\n' "${t[@]}" | stats); ps=$(printf '%s\n' "${p[@]}" | stats)
    tm=$(printf '%s\n' "${t[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    pm=$(printf '%s\n' "${p[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    mb=$(du -m "$1" | cut -f1)
    echo "| $(basename "$1") | $2 | $3 | $mb | $ts | $ps | $(echo "scale=2; $tm / $pm" | bc) |"
  done
} | tee "$report"
