#!/usr/bin/env bash
# Accuracy and cost of `toolkit estimate` against a real `toolkit extract` of the same videos with the same settings,
# and the latency of model-only mode. Writes a Markdown table to benchmarks/results/estimate-latest.md.
#   Set:      16 videos of varied content: the six opencv-doc clips and ten synthetic lavfi clips (different generators,
#             sizes 320x180..1280x720, 5-20 s, temporal noise on most), in benchmarks/results/tmp/estimate/videos.
#   Measured: `toolkit estimate --sample K` with K = a third of the set on 5 seeds, and K = the whole set, for
#             --task rgb and --task both --flow dis; each compared with the bytes and files of `toolkit extract` of the
#             whole set (error %, actual total inside the 95% interval or not, files exact or not, seconds).
#   Model:    hyperfine on `toolkit estimate kinetics400` (target: under a second).
# Usage: benchmarks/estimate/run.sh [--quick] [--sample K] [--report FILE]
#   --quick: 2 seeds, rgb only; --sample K: sample K videos instead of a third; --report: where the table goes
#   (default benchmarks/results/estimate-latest.md)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
quick=0; k_override=""; report="$root/benchmarks/results/estimate-latest.md"
while (($#)); do
  case "$1" in
    --quick) quick=1 ;;
    --sample) k_override="$2"; shift ;;
    --report) report="$2"; shift ;;
    *) echo "usage: $0 [--quick] [--sample K] [--report FILE]" >&2; exit 2 ;;
  esac
  shift
done
work="$root/benchmarks/results/tmp/estimate"
videos="$work/videos"; mkdir -p "$videos"
./toolkit --version >/dev/null                      # build once, outside the timings
# A private copy of the build: a rebuild by ./toolkit during the run (sources edited meanwhile) cannot swap it.
rm -rf "$work/bin"; cp -r "$root/artifacts/toolkit" "$work/bin"
tk="$work/bin/toolkit"

# ---- inputs ---------------------------------------------------------------------------------------------------------
d=/usr/share/doc/opencv-doc
for f in vtest Megamind Megamind_bugy tree; do [[ -e "$videos/$f.avi" ]] || cp "$d/examples/data/$f.avi" "$videos/"; done
for f in box cup; do [[ -s "$videos/$f.mp4" ]] || zcat "$d/opencv4/html/$f.mp4.gz" > "$videos/$f.mp4"; done
# name | lavfi source | seconds | extra filter before the pixel format (temporal noise on most: camera-like grain)
while IFS='|' read -r name src secs vf; do
  out="$videos/$name.mp4"
  [[ -s "$out" ]] || ffmpeg -nostdin -loglevel error -f lavfi -i "$src" -t "$secs" -vf "${vf:+$vf,}format=yuv420p" \
      -c:v libx264 -preset veryfast -crf 23 "$out"
done <<'SET'
testsrc2_640x360|testsrc2=s=640x360:r=30|10|noise=alls=12:allf=t
testsrc2_1280x720|testsrc2=s=1280x720:r=30|5|noise=alls=6:allf=t
mandelbrot_480x360|mandelbrot=s=480x360:r=25|8|
mandelbrot_640x360|mandelbrot=s=640x360:r=25|20|noise=alls=8:allf=t
life_320x240|life=s=320x240:r=30:mold=10:ratio=0.5|15|noise=alls=12:allf=t
life_854x480|life=s=854x480:r=25:mold=20:ratio=0.3|6|
cellauto_640x480|cellauto=s=640x480:r=30:rule=110|12|noise=alls=12:allf=t
cellauto_320x180|cellauto=s=320x180:r=30:rule=30|20|noise=alls=20:allf=t
smptehdbars_640x360|smptehdbars=s=640x360:r=30|7|noise=alls=16:allf=t
testsrc_426x240|testsrc=s=426x240:r=30|9|noise=alls=30:allf=t
SET
n_videos=$(ls "$videos" | wc -l)
sample=${k_override:-$(( (n_videos + 2) / 3 ))}   # a third of the set, rounded, unless --sample
seeds="1 2 3 4 5"; tasks="rgb both"; ((quick)) && { seeds="1 2"; tasks="rgb"; }

opts() { case "$1" in rgb) echo "--task rgb";; both) echo "--task both --flow dis";; esac; }
rows="$work/rows.tsv"; : > "$rows"
for task in $tasks; do
  # The actual extract of the whole set (the truth), timed from outside.
  rm -rf "$work/actual_$task"
  s0=$(date +%s.%N)
  "$tk" extract "$videos" "$work/actual_$task" --level 1 $(opts "$task") >/dev/null 2>"$work/extract_$task.err" || true
  s1=$(date +%s.%N)
  echo -e "extract\t$task\t-\t-\t$s0\t$s1\t$work/actual_$task" >> "$rows"
  for seed in $seeds whole; do
    k=$sample; s=$seed; [[ $seed == whole ]] && { k=$n_videos; s=0; }
    json="$work/est_${task}_${seed}.json"
    s0=$(date +%s.%N)
    "$tk" estimate "$videos" --level 1 $(opts "$task") --sample "$k" --seed "$s" --json-out "$json" >/dev/null
    s1=$(date +%s.%N)
    echo -e "estimate\t$task\t$seed\t$k\t$s0\t$s1\t$json" >> "$rows"
  done
done

# ---- model-only latency -------------------------------------------------------------------------------------------
hyperfine --warmup 2 --runs 20 --export-json "$work/model.json" -n "estimate kinetics400" "$tk estimate kinetics400" \
  -n "estimate kinetics400 --task both --json" "$tk estimate kinetics400 --task both --json" >&2

python3 - "$rows" "$work/model.json" "$n_videos" "$sample" "$(nproc)" \
  "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)" "$(free -g | awk '/Mem:/{print $2}')" > "$report" <<'PY'
import json, os, sys, datetime
rows_path, model_path, n, k, cores, cpu, mem = sys.argv[1:8]
rows = [l.rstrip('\n').split('\t') for l in open(rows_path) if l.strip()]
def tree(p):
    out = {'img': [0, 0], 'flow': [0, 0]}
    for d, _, fs in os.walk(p):
        if '/.toolkit' in d: continue
        for f in fs:
            if not f.endswith('.jpg'): continue
            kind = 'img' if f.startswith('img_') else 'flow'
            out[kind][0] += 1; out[kind][1] += os.path.getsize(os.path.join(d, f))
    return out
print(f"Machine: {cores} cores, {cpu}, {mem} GiB; {datetime.date.today()} (shared with other builds: timings are noisy)\n")
print(f"Set: {n} videos (6 opencv-doc clips, 10 synthetic lavfi clips of different content, sizes and lengths); "
      f"sample = {k} on seeds 1-5, and the whole set; truth = `toolkit extract` of the whole set, same settings.\n")
truth, extract_s = {}, {}
for kind, task, seed, kk, s0, s1, path in rows:
    if kind == 'extract':
        t = tree(path); truth[task] = t; extract_s[task] = float(s1) - float(s0)
print("| task | sample (seed) | format | estimate | actual | error % | 95% interval | inside | files est / actual | files exact | survey s | sample s | estimate s | full extract s | cost |")
print("|---|---|---|---:|---:|---:|---|---|---:|---|---:|---:|---:|---:|---:|")
for kind, task, seed, kk, s0, s1, path in rows:
    if kind != 'estimate': continue
    r = json.load(open(path)); t = truth[task]; secs = float(s1) - float(s0)
    fmts = [('rgb', t['img'][1], t['img'][0])] if task == 'rgb' else \
           [('rgb', t['img'][1], t['img'][0]), ('flow', t['flow'][1], t['flow'][0]), ('rgb_flow', t['img'][1] + t['flow'][1], t['img'][0] + t['flow'][0])]
    for name, actual, files in fmts:
        f = r['formats'][name]; lo, hi = f['bytes_ci95']; est = f['bytes']
        err = 100.0 * (est - actual) / actual
        label = f"{kk} (whole)" if seed == 'whole' else f"{kk} (seed {seed})"
        print(f"| {task} | {label} | {name} | {est:,} | {actual:,} | {err:+.2f} | [{lo:,}, {hi:,}] | {'yes' if lo <= actual <= hi else '**no**'} | "
              f"{f['files']:,} / {files:,} | {'yes' if f['files'] == files else '**no**'} | {r['sample']['survey_seconds']:.1f} | {r['sample']['seconds']:.1f} | "
              f"{secs:.1f} | {extract_s[task]:.1f} | {secs / extract_s[task]:.2f}x |")
m = json.load(open(model_path))
print("\n## Model-only latency (hyperfine, 20 runs after 2 warm-ups; target < 1 s)\n")
print("| command | mean s ± sd | min s |")
print("|---|---|---|")
for res in m['results']:
    print(f"| `toolkit {res['command']}` | {res['mean']:.3f} ± {res['stddev']:.3f} | {res['min']:.3f} |")
PY
echo >> "$report"
echo "Command: \`benchmarks/estimate/run.sh$([[ $quick == 1 ]] && echo ' --quick')${k_override:+ --sample $k_override}\`" >> "$report"
cat "$report"
