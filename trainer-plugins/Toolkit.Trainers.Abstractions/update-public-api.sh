#!/usr/bin/env bash
# Regenerates PublicAPI.Shipped.txt from the RS0016/RS0017 diagnostics of a build (the analyzer's code fix, without an
# IDE). Run it after a deliberate change to the contract, review the diff, and bump TrainerContract.Version when the
# change breaks plugins (a removed or changed line).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
printf '#nullable enable\n' > PublicAPI.Shipped.txt
: > PublicAPI.Unshipped.txt
{ dotnet build -c Release --nologo --no-incremental 2>&1 || true; } \
  | grep -oE "RS0016: Symbol '[^']*'" | sed "s/^RS0016: Symbol '//; s/'\$//" | sort -u >> PublicAPI.Shipped.txt
dotnet build -c Release --nologo >/dev/null && echo "PublicAPI.Shipped.txt: $(($(wc -l < PublicAPI.Shipped.txt) - 1)) symbols"
