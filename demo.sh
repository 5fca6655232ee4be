#!/usr/bin/env bash
# The main job end to end on the bundled sample videos: set-up, then RGB + optical flow extraction, then lists.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
./setup.sh
out=demo-output
./toolkit extract samples/videos "$out/rawframes" --task both --flow dis --report "$out/extract-report.tsv"
./toolkit lists "$out/rawframes" --out "$out/lists" --val-fraction 0.2 --seed 0
echo "demo: rawframes in $out/rawframes, lists in $out/lists, report in $out/extract-report.tsv"
