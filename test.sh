#!/usr/bin/env bash
# The whole test suite (unit, integration on real videos, failure cases). Installs and builds what is missing first.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
./setup.sh
set +e
dotnet test Toolkit.sln -c Release --nologo 2>&1 | tee artifacts/test.log
status=${PIPESTATUS[0]}
set -e
# One closing line any CI can read: "N passed, N failed, N skipped".
awk '/^(Passed|Failed)!/ { gsub(/,/, ""); for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
     END { printf "tests: %d passed, %d failed, %d skipped\n", p, f, s }' artifacts/test.log
exit "$status"
