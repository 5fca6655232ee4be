#!/usr/bin/env bash
# Runs one of the kit's programs (toolkit, gpubench) against the machine's libtorch: the folder from libtorch-dir.sh
# goes in front of LD_LIBRARY_PATH, so TorchSharp's first probe (NativeLibrary.TryLoad("torch_cpu") and then
# "LibTorchSharp" beside TorchSharp.dll) finds libtorch_*.so through the dynamic loader; the kit itself holds none.
set -euo pipefail
kit="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
program="${1:?usage: run-with-libtorch.sh toolkit|gpubench ARGS...}"
shift
torchlib="$("$kit/libtorch-dir.sh")"
export LD_LIBRARY_PATH="$torchlib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
exec "$kit/app/$program" "$@"
