#!/usr/bin/env bash
# The training loop against the same loop in PyTorch (issue 21; BENCHMARKS.md, "Training loop vs PyTorch"; raw output
# in benchmarks/results/trainers-peer-latest.md). Toolkit: `Toolkit.Benchmarks.Trainers loop` (Loop.cs: the
# video-classifier plugin through the host). PyTorch: torch_train.py (Debian's python3-torch 1.13) on torch_x3d.py, the
# same network (checked first: `torch_x3d.py check`). Both: x3d-m, 4 classes, AdamW (adamw-30e groups), L2 clipping at
# 40, the loss and top-1 read back every step, THREADS intra-op threads; one fresh process per measurement, so its
# VmHWM is its own; ROUNDS rounds, the order of the two sides alternating; medians and their ratio.
#   demo       configs/demo.json's model and batch: width 0.5, depth 0.34, 4 × 3 × 8 × 96², WARMUP 5, 40 steps
#   realistic  X3D-M at full size: width 1, depth 1, 4 × 3 × 8 × 112², WARMUP 3, 12 steps
# Data: memory (4 fixed random batches cycled) for both configs; rawframes (the loaders on ./demo.sh's rawframes,
# configs/demo.json's pipeline, 2 workers each side: toolkit threads, PyTorch DataLoader processes) for demo, when
# demo-output/ exists; memory again for demo with one busy-looping process beside it ("loaded": 2 threads on 2 cores
# with a third runnable thread, where OpenMP spin-waiting hurts).
# PyTorch's BLAS: OpenBLAS (libopenblas0-pthread) when installed, else Debian's reference BLAS; chosen by
# LD_LIBRARY_PATH, whatever the libblas.so.3 alternative says. OpenMP: both libtorch builds' defaults (OMP_WAIT_POLICY
# unset).
# Usage: benchmarks/trainers/peer.sh [ROUNDS] [THREADS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
rounds="${1:-5}"
threads="${2:-$(nproc)}"
/usr/bin/python3 -c "import torch" 2>/dev/null || { echo "peer.sh: the PyTorch peer needs Debian's python3-torch (apt-get install python3-torch)" >&2; exit 2; }
dotnet build benchmarks/trainers/Toolkit.Benchmarks.Trainers -c Release --nologo -v q -clp:ErrorsOnly >/dev/null
bench="$root/benchmarks/trainers/Toolkit.Benchmarks.Trainers/bin/Release/net10.0/Toolkit.Benchmarks.Trainers"
openblas=/usr/lib/x86_64-linux-gnu/openblas-pthread
if [ -e "$openblas/libblas.so.3" ]; then blas="$openblas"; else blas=/usr/lib/x86_64-linux-gnu/blas:/usr/lib/x86_64-linux-gnu/lapack; fi
peer() { LD_LIBRARY_PATH="$blas" /usr/bin/python3 benchmarks/trainers/torch_train.py "$@"; }
TOOLKIT="${TOOLKIT:-$root/toolkit}" /usr/bin/python3 benchmarks/trainers/torch_x3d.py check >/dev/null \
  || { echo "peer.sh: torch_x3d.py check failed: the PyTorch network is not toolkit's" >&2; exit 1; }
report="$root/benchmarks/results/trainers-peer-latest.md"
raw="$(mktemp)"
trap 'rm -f "$raw"; [ -n "${hog:-}" ] && kill "$hog" 2>/dev/null || true' EXIT

# case NAME MODE WIDTH DEPTH BATCH FRAMES CROP WARMUP STEPS [DEMO_OUTPUT]: ROUNDS interleaved pairs, one JSON line each.
run_case() {
  local name="$1" mode="$2"; shift 2
  local args=("$mode" "$1" "$2" "$3" "$4" "$5" "$6" "$7" "$threads")
  [ "$mode" = rawframes ] && args+=("$8" 2)
  for r in $(seq "$rounds"); do
    if [ $((r % 2)) -eq 1 ]; then order="toolkit pytorch"; else order="pytorch toolkit"; fi
    for side in $order; do
      if [ "$side" = toolkit ]; then line="$("$bench" loop "${args[@]}")"; else line="$(peer "${args[@]}")"; fi
      echo "$name	$line" >> "$raw"
      echo "$name round $r $side: $(echo "$line" | python3 -c "import json,sys; d=json.load(sys.stdin); print('%.3f it/s, peak %s MiB' % (d['it_per_s'], d['peak_rss_mib']))")" >&2
    done
  done
}

started="$(date -u '+%Y-%m-%d %H:%M UTC')"
load_start="$(cut -d' ' -f1-3 /proc/loadavg)"
run_case demo memory 0.5 0.34 4 8 96 5 40
run_case realistic memory 1 1 4 8 112 3 12
if [ -d demo-output/rawframes ]; then
  run_case demo-rawframes rawframes 0.5 0.34 4 8 96 5 40 "$root/demo-output"
else
  echo "peer.sh: no demo-output/ (run ./demo.sh first): the rawframes case is skipped" >&2
fi
( while :; do :; done ) & hog=$!
run_case demo-loaded memory 0.5 0.34 4 8 96 5 40
kill "$hog"; hog=

{
  echo "# trainers vs PyTorch — $started"
  echo
  echo "\`benchmarks/trainers/peer.sh $rounds $threads\`; $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(free -g | awk '/Mem:/ {print $2}') GiB; load average at start $load_start, at end $(cut -d' ' -f1-3 /proc/loadavg); PyTorch BLAS: $blas"
  echo
  python3 - "$raw" <<'EOF'
import json, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    name, data = line.split("\t", 1)
    d = json.loads(data)
    rows.setdefault(name, {}).setdefault(d["side"], []).append(d)
print("| case | toolkit it/s (median, range) | PyTorch it/s | **it/s ratio** | toolkit peak RSS MiB | PyTorch peak RSS MiB | **RSS ratio** | at start (toolkit / PyTorch) | PyTorch DataLoader workers' peaks |")
print("|---|---|---|---|---|---|---|---|---|")
for name, sides in rows.items():
    t, p = sides["toolkit"], sides["pytorch"]
    med = lambda xs, k: statistics.median(x[k] for x in xs)
    rng = lambda xs, k: f"{min(x[k] for x in xs):.{1 if 'rss' in k else 3}f}–{max(x[k] for x in xs):.{1 if 'rss' in k else 3}f}"
    workers = "; ".join(" + ".join(f"{w:.0f}" for w in x["workers_peak_rss_mib"]) for x in p if x["workers_peak_rss_mib"]) or "—"
    print(f"| {name} | {med(t, 'it_per_s'):.3f} ({rng(t, 'it_per_s')}) | {med(p, 'it_per_s'):.3f} ({rng(p, 'it_per_s')}) | "
          f"**{med(t, 'it_per_s') / med(p, 'it_per_s'):.3f}** | {med(t, 'peak_rss_mib'):.1f} ({rng(t, 'peak_rss_mib')}) | "
          f"{med(p, 'peak_rss_mib'):.1f} ({rng(p, 'peak_rss_mib')}) | **{med(t, 'peak_rss_mib') / med(p, 'peak_rss_mib'):.3f}** | "
          f"{med(t, 'rss_start_mib'):.0f} / {med(p, 'rss_start_mib'):.0f} | {workers} |")
first = {side: rows["demo"][side][0] for side in ("toolkit", "pytorch")}
print()
print(f"toolkit: TorchSharp {first['toolkit']['torchsharp']}, {first['toolkit']['threads']} threads; "
      f"PyTorch {first['pytorch']['torch']}, {first['pytorch']['threads']} threads, BLAS {', '.join(first['pytorch']['blas']) or 'none loaded'}; "
      f"x3d-m parameters at 4 classes: demo {rows['demo']['pytorch'][0]['params']:,}, realistic {rows['realistic']['pytorch'][0]['params']:,}")
print()
print("Raw JSON lines:")
print()
for line in open(sys.argv[1]):
    print("    " + line.rstrip())
EOF
} > "$report"
chmod a+r "$report"
cat "$report"
