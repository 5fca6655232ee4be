#!/usr/bin/env bash
# Builds the device kit (docs/gpu.md): toolkit and gpubench published self-contained for linux-x64 WITHOUT libtorch,
# plus the scripts that bind them to a machine's own PyTorch, check the ABI and rebuild libLibTorchSharp.so there,
# and TorchSharp 0.107's native sources. Writes OUT/device-kit.tar.xz (at most 64 MiB: what a lent GPU machine
# takes beside the working tree) and leaves the unpacked kit in OUT/kit.
# Usage: build/device-kit.sh [OUT]   (default: artifacts/device-kit)
# Not trimmed: trimming would strip the framework and TorchSharp members that the trainer plugins (loaded at run time,
# invisible to the trimmer) use. xz instead: about a third of the size.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$(mkdir -p "${1:-$root/artifacts/device-kit}" && cd "${1:-$root/artifacts/device-kit}" && pwd)"
limit=$((64 * 1024 * 1024))
kit="$out/kit"
rm -rf "$kit" "$out/device-kit.tar.xz"
mkdir -p "$kit/app"

# Separate bin/obj (--artifacts-path): the TorchExternal restore and the self-contained output never touch the
# repository's own build folders.
publish() {
  dotnet publish "$root/$1" -c Release -r linux-x64 --self-contained true -p:TorchExternal=true -p:PublishReadyToRun=false \
    --artifacts-path "$out/build" -o "$kit/app" --nologo -v q -clp:ErrorsOnly
}
echo "device-kit: publishing toolkit and gpubench (self-contained, linux-x64, no libtorch)" >&2
publish cli/Toolkit.Cli/Toolkit.Cli.csproj
publish benchmarks/gpu/Toolkit.Benchmarks.Gpu/Toolkit.Benchmarks.Gpu.csproj

# Not carried: debug symbols and XML docs; OpenCV's 109 MB native library (extract, flow and preview need it, and a
# GPU training or benchmark run does not; those commands say it is missing there).
find "$kit/app" \( -name '*.pdb' -o -name '*.xml' -o -name 'libOpenCvSharpExtern.so' \) -delete
if compgen -G "$kit/app/libtorch*.so" >/dev/null || [[ -e "$kit/app/libc10.so" ]]; then
  echo "device-kit: error: $kit/app holds a libtorch (the TorchExternal switch did not apply); nothing written" >&2
  exit 2
fi
[[ -f "$kit/app/libLibTorchSharp.so" ]] || { echo "device-kit: error: $kit/app/libLibTorchSharp.so: missing" >&2; exit 2; }
# The publish target patched it where this system needs it (docs/torchsharp.md); make sure it is the patched copy
# whatever the machine (idempotent: a no-op where it already is, or where this system's libstdc++ has the version).
python3 "$root/build/torchsharp/weak-glibcxx.py" "$kit/app/libLibTorchSharp.so" >/dev/null

cp "$root"/build/kit/*.sh "$kit/"
mkdir -p "$kit/src"
cp -r "$root/third_party/torchsharp-native/src/Native" "$kit/src/"
cp "$root/third_party/torchsharp-native/LICENSE.txt" "$kit/src/TorchSharp-LICENSE.txt"
cp "$root/third_party/torchsharp-native/NOTICE.md" "$kit/src/NOTICE.md"
git -C "$root" rev-parse HEAD > "$kit/COMMIT" 2>/dev/null || echo unknown > "$kit/COMMIT"

tar -C "$out" -cf - kit | xz -T0 -6 > "$out/device-kit.tar.xz"
size=$(stat -c %s "$out/device-kit.tar.xz")
mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }
echo "device-kit: $out/device-kit.tar.xz: $(mib "$size") (unpacked $(mib "$(du -sb "$kit" | cut -f1)"))"
if ((size > limit)); then
  echo "device-kit: error: $out/device-kit.tar.xz: $(mib "$size") is over the 64 MiB a device takes. leave more out of the kit" >&2
  exit 2
fi
