#!/usr/bin/env bash
# Prints the folder of the libtorch the kit binds to (libtorch_cpu.so, libc10.so, libtorch.so): $TOOLKIT_LIBTORCH
# when set, else the installed PyTorch's torch/lib (python3 -c "import torch; print(torch.__path__[0])").
# Exit 2 with one line when neither holds a libtorch.
set -euo pipefail
if [[ -n "${TOOLKIT_LIBTORCH:-}" ]]; then
  dir="$TOOLKIT_LIBTORCH"
  from="TOOLKIT_LIBTORCH"
else
  py="${PYTHON:-python3}"
  if ! root=$("$py" -c "import torch; print(torch.__path__[0])" 2>/dev/null); then
    echo "kit: error: $py: cannot import torch. set TOOLKIT_LIBTORCH to a folder with libtorch_cpu.so, libc10.so and libtorch.so, or PYTHON to a python3 with PyTorch" >&2
    exit 2
  fi
  dir="$root/lib"
  from="$py's torch"
fi
for f in libtorch_cpu.so libc10.so libtorch.so; do
  if [[ ! -f "$dir/$f" ]]; then
    echo "kit: error: $dir/$f: not found (libtorch folder from $from). point TOOLKIT_LIBTORCH at a folder with libtorch_cpu.so, libc10.so and libtorch.so" >&2
    exit 2
  fi
done
cd "$dir" && pwd
