# Sourced by the loader benchmarks (run.sh, shapes.sh, videos.sh): the repository root as the working folder, the
# data of data.sh in $work (8 lavfi videos as 340x256 rawframes, listed), the 80-item list $small (the 8 folders
# listed 10 times: 10 batches per epoch), all cores as $threads, and the helpers median (stdin numbers) and
# field NAME (a key of a JSON object on stdin).
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
threads=$(nproc)
work="$root/benchmarks/results/tmp/loaders"
bash benchmarks/loaders/data.sh "$work"
list="$work/lists/dataset_train_list_rawframes.txt"
small="$work/lists/x10_rawframes.txt"
for _ in $(seq 10); do cat "$list"; done > "$small"
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}'; }
field() { python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }
