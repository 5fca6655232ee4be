#!/usr/bin/env bash
# Does LIBTORCHSHARP (the kit's libLibTorchSharp.so, built for libtorch 2.10) find every symbol it needs in the
# libtorch of TORCHLIB (default: libtorch-dir.sh's answer)?
#   1. nm -D --undefined-only of LIBTORCHSHARP (strong references; weak ones may stay unresolved) against the
#      dynamic exports of TORCHLIB's libtorch.so, libtorch_cpu.so, libc10.so (and libtorch_cuda.so, libc10_cuda.so
#      where present) and of the system libraries it also links (libstdc++, libm, libgcc_s, libc);
#   2. the dynamic loader's own verdict: python3's ctypes opens it with RTLD_NOW (every symbol bound at once).
# Prints "compatible: ..." and exits 0, or "incompatible: N symbols missing" and the first 20 (demangled), exit 1.
set -euo pipefail
kit="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
lib="${1:?usage: abi-check.sh LIBLIBTORCHSHARP [TORCHLIB]}"
torchlib="${2:-$("$kit/libtorch-dir.sh")}"
command -v python3 >/dev/null || { echo "kit: error: python3: not found" >&2; exit 2; }
[[ -f "$lib" ]] || { echo "kit: error: $lib: not found" >&2; exit 2; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# Without binutils (a bare Python machine may lack them) the loader's verdict decides alone.
listing=1
for tool in nm readelf ldd c++filt; do
  command -v "$tool" >/dev/null || listing=0
done

if ((listing)); then
  # Strong undefined references, version suffix (@GLIBCXX_3.4.21 ...) dropped; references to a version the file marks
  # weak (build/torchsharp/weak-glibcxx.py: GLIBCXX_3.4.32, whose one symbol nothing calls) are left out as the loader
  # leaves them.
  weak=$(readelf -V -W "$lib" | awk '/Name:/ && /Flags: WEAK/ { for (i = 1; i < NF; i++) if ($i == "Name:") print $(i + 1) }' | paste -sd'|')
  nm -D --undefined-only "$lib" | awk -v weak="^(${weak:-none})$" '$1 == "U" { n = split($2, a, "@"); if (n > 1 && a[n] ~ weak) next; print a[1] }' | sort -u > "$tmp/needed"
  providers=()
  for f in libtorch.so libtorch_cpu.so libc10.so libtorch_cuda.so libc10_cuda.so; do
    [[ -f "$torchlib/$f" ]] && providers+=("$torchlib/$f")
  done
  # The system libraries LIBTORCHSHARP links besides libtorch, as the loader resolves them with TORCHLIB on the path.
  while read -r path; do
    [[ -n "$path" && -f "$path" ]] && providers+=("$path")
  done < <(LD_LIBRARY_PATH="$torchlib" ldd "$lib" 2>/dev/null | awk '$3 ~ /^\// && $1 ~ /^(libstdc\+\+|libm|libgcc_s|libc)\.so/ { print $3 } $1 ~ /^\/.*ld-linux/ { print $1 }')
  for p in "${providers[@]}"; do
    nm -D --defined-only "$p" 2>/dev/null | awk 'NF >= 3 { sub(/@.*/, "", $3); print $3 }'
  done | sort -u > "$tmp/provided"
  comm -23 "$tmp/needed" "$tmp/provided" > "$tmp/missing"
  missing=$(wc -l < "$tmp/missing")

else
  : > "$tmp/needed"; : > "$tmp/missing"; missing=0
fi

# The loader's verdict (binds every symbol now; its message names the first one missing).
loader=$(LD_LIBRARY_PATH="$torchlib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" python3 -c '
import ctypes, sys
try:
    ctypes.CDLL(sys.argv[1], mode=ctypes.RTLD_GLOBAL)
    print("loads")
except OSError as e:
    print(str(e).splitlines()[0])' "$lib")

version=""
[[ -f "$torchlib/../version.py" ]] && version=" (torch $(sed -n "s/^__version__ = '\(.*\)'/\1/p" "$torchlib/../version.py"))"
if ((!listing)); then
  if [[ "$loader" == "loads" ]]; then echo "compatible: the loader binds $(basename "$lib") to $torchlib$version (nm/readelf not found: no symbol list)"; exit 0; fi
  echo "incompatible: the loader refuses $(basename "$lib") with $torchlib$version: $loader (install binutils for the full list)"
  exit 1
fi
if [[ "$missing" -eq 0 && "$loader" == "loads" ]]; then
  echo "compatible: $(wc -l < "$tmp/needed") symbols of $(basename "$lib") all found in $torchlib$version; the loader binds it"
  exit 0
fi
echo "incompatible: $missing of $(wc -l < "$tmp/needed") symbols of $(basename "$lib") missing from $torchlib$version; loader: $loader"
head -20 "$tmp/missing" | c++filt | sed 's/^/  missing: /'
exit 1
