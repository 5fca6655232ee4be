#!/usr/bin/env bash
# Installs what the toolkit needs on Debian 12 / Ubuntu (idempotent: only what is missing), builds it, and prepares
# the bundled sample videos (from Debian's opencv-doc) under samples/videos/<class>/.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

packages=(ffmpeg libgtk-3-0 libturbojpeg0 opencv-doc libopencv-dev libopencv-contrib-dev g++ pkg-config hyperfine time fonts-dejavu-core python3 binutils
          libavformat-dev libavcodec-dev libswscale-dev libavutil-dev gcc  # the in-process decoder (libtoolkit_video.so)
          libjpeg62-turbo-dev  # cropped JPEG decoding in the rawframe loader (libtoolkit_jpeg.so)
          python3-torch python3-torchvision)  # PyTorch 1.13 (CPU) writes the real checkpoints the weight-import tests read
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  sudo=""; [[ $(id -u) -eq 0 ]] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if ! command -v dotnet >/dev/null; then
  echo "setup: the .NET 10 SDK is required (https://learn.microsoft.com/dotnet/core/install/linux-debian); install it and rerun" >&2
  exit 2
fi

# Sample videos: real clips nobody here recorded, one class folder each (level 2 layout).
docs=/usr/share/doc/opencv-doc
mkdir -p samples/videos/{walking,movie,nature,objects}
link() { [[ -e "$2" ]] || ln -s "$1" "$2"; }
link "$docs/examples/data/vtest.avi" samples/videos/walking/vtest.avi
link "$docs/examples/data/Megamind.avi" samples/videos/movie/Megamind.avi
link "$docs/examples/data/Megamind_bugy.avi" samples/videos/movie/Megamind_bugy.avi
link "$docs/examples/data/tree.avi" samples/videos/nature/tree.avi
for v in box cup; do
  [[ -s samples/videos/objects/$v.mp4 ]] || zcat "$docs/opencv4/html/$v.mp4.gz" > samples/videos/objects/$v.mp4
done

echo "setup: building" >&2
dotnet build Toolkit.sln -c Release --nologo -v q -clp:ErrorsOnly
./toolkit --version >/dev/null
echo "setup: ready" >&2
