#!/usr/bin/env bash
# Rebuilds libLibTorchSharp.so from TorchSharp 0.107's native sources (carried in the kit: src/Native, MIT,
# third_party/torchsharp-native/NOTICE.md) against the machine's PyTorch (its torch/include and torch/lib), with the
# machine's g++, when abi-check.sh finds symbols missing. The result replaces app/libLibTorchSharp.so (the shipped one
# is kept as libLibTorchSharp.so.nuget) only after abi-check.sh passes on it.
# g++ directly, not TorchSharp's CMake: a CUDA wheel's TorchConfig.cmake wants the CUDA toolkit (nvcc) even for
# code that only calls libtorch's C++ API, and the device may lack it. Same flags as TorchSharp's CMakeLists:
# C++17, -fPIC, hidden visibility, the CXX11 ABI of the wheel, -Bsymbolic, RPATH $ORIGIN.
# Usage: rebuild-libtorchsharp.sh [JOBS]   (TOOLKIT_LIBTORCH / PYTHON as for libtorch-dir.sh)
set -euo pipefail
kit="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
jobs="${1:-$(nproc)}"
torchlib="$("$kit/libtorch-dir.sh")"
include="$(cd "$torchlib/.." && pwd)/include"
src="$kit/src/Native/LibTorchSharp"
cxx="${CXX:-g++}"
command -v "$cxx" >/dev/null || { echo "kit: error: $cxx: no C++ compiler on this machine, so libLibTorchSharp.so cannot be rebuilt for this PyTorch. install g++ or use a PyTorch 2.10 (abi-check.sh lists what is missing)" >&2; exit 2; }
[[ -f "$include/torch/csrc/api/include/torch/torch.h" ]] || { echo "kit: error: $include/torch/csrc/api/include/torch/torch.h: not found (this PyTorch ships no C++ headers), so libLibTorchSharp.so cannot be rebuilt" >&2; exit 2; }
[[ -d "$src" ]] || { echo "kit: error: $src: the TorchSharp sources are not in this kit; rebuild it with build/device-kit.sh" >&2; exit 2; }
abi=$(python3 - "$torchlib" <<'PY' 2>/dev/null || echo 1
import sys, re, subprocess
out = subprocess.run(["nm", "-D", "--defined-only", sys.argv[1] + "/libc10.so"], capture_output=True, text=True).stdout
print(1 if "__cxx11" in out else 0)
PY
)
out="$kit/build-libtorchsharp"
mkdir -p "$out/obj"
flags=(-O2 -std=c++17 -fPIC -fvisibility=hidden -D_GLIBCXX_USE_CXX11_ABI="$abi" -D__LINUX__ -D_NO_ASYNCRTIMP -D_NO_PPLXIMP -DNDEBUG
       -Wno-deprecated-declarations -I"$kit/src/Native" -I"$include" -I"$include/torch/csrc/api/include")
# The sources TorchSharp's CMakeLists.txt lists (THSConvolution.cpp is not among them).
sources=$(sed -n '/^set(SOURCES/,/)/p' "$src/CMakeLists.txt" | grep -oE '[A-Za-z0-9_]+\.(cpp|c)')
echo "kit: compiling $(echo "$sources" | wc -w) files of LibTorchSharp against $include with $("$cxx" --version | head -1), $jobs at a time" >&2
printf '%s\n' $sources | xargs -P "$jobs" -I{} sh -c '
  f="$1"; shift; case "$f" in *.c) cc -O2 -fPIC -c "'"$src"'/$f" -o "'"$out"'/obj/$f.o" ;; *) '"$cxx"' "$@" -c "'"$src"'/$f" -o "'"$out"'/obj/$f.o" ;; esac' _ {} "${flags[@]}"
"$cxx" -shared -o "$out/libLibTorchSharp.so" "$out"/obj/*.o -L"$torchlib" -ltorch -ltorch_cpu -lc10 \
  -Wl,-Bsymbolic -Wl,-Bsymbolic-functions -Wl,--build-id=sha1 -Wl,-rpath,'$ORIGIN'
"$kit/abi-check.sh" "$out/libLibTorchSharp.so" "$torchlib"
[[ -f "$kit/app/libLibTorchSharp.so.nuget" ]] || cp "$kit/app/libLibTorchSharp.so" "$kit/app/libLibTorchSharp.so.nuget"
cp "$out/libLibTorchSharp.so" "$kit/app/libLibTorchSharp.so.new" && mv "$kit/app/libLibTorchSharp.so.new" "$kit/app/libLibTorchSharp.so"
echo "kit: app/libLibTorchSharp.so rebuilt for $torchlib" >&2
