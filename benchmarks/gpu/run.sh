#!/usr/bin/env bash
# The GPU benchmark: the one script a lent GPU machine runs (docs/gpu.md, issue 19). Never more than 8 minutes: every
# step has its own timeout and the steps still to come are skipped (and say so) once BUDGET seconds have passed.
#   1. environment: GPU, driver, compilers (g++, cmake, nvcc), python and torch
#   2. kit: unpack artifacts/device-kit/device-kit.tar.xz, check libLibTorchSharp.so against this PyTorch's
#      libtorch (abi-check.sh) and rebuild it from the carried sources when symbols are missing
#   3. models: I3D-R50, SlowOnly-R50, X3D-M, MViT-B at 1 and 8 x 3 x 16 x 224 x 224, train and test it/s and peak
#      memory, fp32 and bf16, toolkit (gpubench) and PyTorch (peer.py); one process per measurement
#   4. host-to-device copies of uint8 batches, pinned against pageable (both); mixup / CutMix and clip tensor ops on
#      device tensors; a few hundred multigrid iterations of a small X3D-M; bf16 channels-last for the CNNs at batch 8
# Writes $OUT/results.jsonl (one JSON object per measurement), $OUT/results.md (tables, toolkit / PyTorch ratios),
# $OUT/env.txt and $OUT/log/ (every command's output).
#   --cpu   the dry run: device cpu, tiny shapes (8 x 32 x 32, batch 2), one iteration each, bf16 only for X3D-M and
#           MViT-B and channels-last only for X3D-M; uses the kit when one is built (or KIT_ARCHIVE), else this
#           checkout's build output (its NuGet libtorch); run by the test suite (GpuBenchmarkDryRunTests)
# Environment: OUT (default benchmarks/results/tmp/gpu), PYTHON (python3 with torch), BUDGET (seconds, default 450),
# TOOLKIT_LIBTORCH (a libtorch folder instead of PYTHON's torch/lib).
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cpu=0
[[ "${1:-}" == "--cpu" ]] && cpu=1
out="${OUT:-$root/benchmarks/results/tmp/gpu}"
mkdir -p "$out/log"
out="$(cd "$out" && pwd)"
results="$out/results.jsonl"
: > "$results"
py="${PYTHON:-python3}"
budget="${BUDGET:-450}"
start=$SECONDS
log() { echo "gpu: $*" | tee -a "$out/log/run.log" >&2; }
left() { echo $((budget - (SECONDS - start))); }
skip() { printf '{"bench":"%s","skipped":"%s"}\n' "$1" "$2" >> "$results"; log "skipped $1: $2"; }

if ((cpu)); then
  # every code path once, as few processes as that takes: bf16 on one CNN and the transformer, channels-last on one CNN
  device=cpu; frames=8; crop=32; batches="2"; seconds=0; warmup=1; iters=1; classes=10; mg_iters=16; mg_width=0.25
  bf16_models="x3d-m mvit-b"; cl_models="x3d-m"
else
  device=cuda; frames=16; crop=224; batches="1 8"; seconds=1.5; warmup=3; iters=3; classes=400; mg_iters=300; mg_width=0.5
  bf16_models="i3d-r50 slowonly-r50 x3d-m mvit-b"; cl_models="i3d-r50 slowonly-r50 x3d-m"
fi

# 1. environment
{
  echo "date: $(date -u +%FT%TZ)"; echo "host: $(uname -srm)"; echo "commit: $(git -C "$root" rev-parse HEAD 2>/dev/null || cat "$root/artifacts/device-kit/kit/COMMIT" 2>/dev/null)"
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>&1 || echo "nvidia-smi: none"
  for c in "g++ --version" "cmake --version" "nvcc --version" "$py --version"; do echo "\$ $c"; $c 2>&1 | head -1 || true; done
  "$py" -c "import torch; print('torch', torch.__version__, 'cuda', torch.version.cuda, 'at', torch.__path__[0])" 2>&1
  nproc; free -g | head -2
} > "$out/env.txt" 2>&1
log "environment: $(tr '\n' ' ' < "$out/env.txt" | cut -c1-300)"

# 2. the kit (or, for the dry run without one, this checkout's build)
archive="${KIT_ARCHIVE:-$root/artifacts/device-kit/device-kit.tar.xz}"
if [[ -f "$archive" ]]; then
  kit="$out/kit-unpacked/kit"
  rm -rf "$out/kit-unpacked"; mkdir -p "$out/kit-unpacked"
  tar -xJf "$archive" -C "$out/kit-unpacked"
  gpubench=("$kit/run-with-libtorch.sh" gpubench)
  if ! "$kit/abi-check.sh" "$kit/app/libLibTorchSharp.so" > "$out/log/abi-check.txt" 2>&1; then
    log "$(head -1 "$out/log/abi-check.txt"); rebuilding LibTorchSharp for this PyTorch"
    timeout $(( $(left) > 300 ? 300 : $(left) )) "$kit/rebuild-libtorchsharp.sh" > "$out/log/rebuild.txt" 2>&1 \
      || log "rebuild failed: $(tail -1 "$out/log/rebuild.txt")"
  fi
  log "kit: $(head -1 "$out/log/abi-check.txt")"
elif ((cpu)); then
  bin="$root/benchmarks/gpu/Toolkit.Benchmarks.Gpu/bin/Release/net10.0/gpubench"
  [[ -x "$bin" ]] || { log "error: $bin: not built and no kit at $archive. run dotnet build Toolkit.sln -c Release (or build/device-kit.sh)"; exit 2; }
  gpubench=("$bin")
  log "kit: none at $archive; the dry run uses $bin (NuGet libtorch)"
else
  log "error: $archive: no device kit. build it with build/device-kit.sh and carry artifacts/device-kit/device-kit.tar.xz"
  exit 2
fi
# The self-check: what was bound and a computation on each device (exit 1 when it is wrong).
if ! "${gpubench[@]}" env --device "$device" --out "$results" > "$out/log/env.txt" 2>&1; then
  log "error: the kit's self-check failed: $(tail -1 "$out/log/env.txt")"
  exit 1
fi
"$py" "$here/peer.py" env --device "$device" --out "$results" > "$out/log/peer-env.txt" 2>&1 || log "peer env failed: $(tail -1 "$out/log/peer-env.txt")"

# One measurement, or a skip row once the budget is spent. A step that fails leaves a row saying so.
measure() {
  local name="$1"; shift
  local t=$(left)
  if ((t < 15)); then skip "$name" "time budget of ${budget}s spent"; return; fi
  if ! timeout $((t < 120 ? t : 120)) "$@" --out "$results" > "$out/log/$name.txt" 2>&1; then
    printf '{"bench":"%s","failed":%s}\n' "$name" "$("$py" -c 'import json,sys; print(json.dumps(sys.argv[1]))' "$(tail -1 "$out/log/$name.txt")")" >> "$results"
    log "failed $name: $(tail -1 "$out/log/$name.txt")"
  fi
}

# 3. models
common=(--device "$device" --frames "$frames" --crop "$crop" --seconds "$seconds" --warmup "$warmup" --min-iters "$iters" --classes "$classes")
for model in i3d-r50 slowonly-r50 x3d-m mvit-b; do
  for batch in $batches; do
    for precision in fp32 bf16; do
      [[ $precision == bf16 && " $bf16_models " != *" $model "* ]] && continue
      args=(model --model "$model" --batch "$batch" --precision "$precision" "${common[@]}")
      measure "torchsharp-$model-b$batch-$precision" "${gpubench[@]}" "${args[@]}"
      measure "pytorch-$model-b$batch-$precision" "$py" "$here/peer.py" "${args[@]}"
    done
  done
done
log "models done at $((SECONDS - start)) s"

# 4. transfers, batch ops, multigrid, channels-last
last_batch="${batches##* }"
measure "torchsharp-h2d" "${gpubench[@]}" h2d --device "$device" --batch "$last_batch" --frames "$frames" --crop "$crop" --seconds "$seconds"
measure "pytorch-h2d" "$py" "$here/peer.py" h2d --device "$device" --batch "$last_batch" --frames "$frames" --crop "$crop" --seconds "$seconds"
measure "torchsharp-augment" "${gpubench[@]}" augment --device "$device" --batch "$last_batch" --frames "$frames" --crop "$crop" --seconds "$seconds"
measure "torchsharp-multigrid" "${gpubench[@]}" multigrid --device "$device" --model x3d-m --width "$mg_width" --batch "$last_batch" --frames "$frames" --crop "$crop" --iters "$mg_iters"
for model in $cl_models; do
  args=(model --model "$model" --batch "$last_batch" --precision bf16 --layout channels_last "${common[@]}")
  measure "torchsharp-$model-b$last_batch-bf16-cl" "${gpubench[@]}" "${args[@]}"
  measure "pytorch-$model-b$last_batch-bf16-cl" "$py" "$here/peer.py" "${args[@]}"
done

"$py" "$here/summarize.py" "$results" > "$out/results.md"
log "done in $((SECONDS - start)) s: $out/results.md, $out/results.jsonl"
