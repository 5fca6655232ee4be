#!/usr/bin/env bash
# Renders a `toolkit estimate --html` report in headless Chromium (Debian package `chromium`; not installed by setup.sh
# or CI) and fails unless: the page loads, every chart the report declares (<meta name="toolkit-charts">) is in the
# rendered DOM as an <img data-chart> whose image decoded (naturalWidth > 0), no element refers to anything outside the
# file, and the screenshot is not one colour.
# Usage: storage-estimator/check-html.sh REPORT.html [SCREENSHOT.png]
set -euo pipefail
report="${1:?usage: check-html.sh REPORT.html [SCREENSHOT.png]}"
[[ -s "$report" ]] || { echo "check-html: $report: missing or empty" >&2; exit 2; }
command -v chromium >/dev/null || { echo "check-html: chromium not found (apt-get install -y chromium)" >&2; exit 2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
shot="${2:-$work/screenshot.png}"
shot="$(realpath -m "$shot")"

# A copy with a probe added before </body>: on load it records, per chart image, whether it decoded.
# The report itself carries no script.
probe="$work/probe.html"
sed 's#</body>#<script>addEventListener("load",()=>{const i=[...document.querySelectorAll("img[data-chart]")];document.body.dataset.charts=i.length;document.body.dataset.decoded=i.filter(x=>x.complete\&\&x.naturalWidth>0).length;});</script></body>#' "$report" > "$probe"

flags=(--headless --disable-gpu --no-sandbox --hide-scrollbars --disable-extensions --no-first-run --disable-background-networking
       --disable-component-update --disable-sync --disable-quic --user-data-dir="$work/profile")
timeout 120 chromium "${flags[@]}" --virtual-time-budget=5000 --dump-dom "file://$probe" > "$work/dom.html" 2> "$work/dom.log" \
  || { echo "check-html: chromium --dump-dom failed:" >&2; tail -5 "$work/dom.log" >&2; exit 1; }
timeout 120 chromium "${flags[@]}" --window-size=1280,4000 --screenshot="$shot" "file://$(realpath "$report")" > "$work/shot.log" 2>&1 \
  || { echo "check-html: chromium --screenshot failed:" >&2; tail -5 "$work/shot.log" >&2; exit 1; }

python3 - "$report" "$work/dom.html" "$shot" "${2:+kept}" <<'EOF'
import re, struct, sys, zlib

report, dom_path, shot, kept = sys.argv[1:5]
src = open(report, encoding="utf-8").read()
dom = open(dom_path, encoding="utf-8").read()
fail = []

m = re.search(r'<meta name="toolkit-charts" content="(\d+)">', src)
declared = int(m.group(1)) if m else -1
if declared < 1:
    fail.append("the report declares no chart (<meta name=\"toolkit-charts\">)")
tag = re.search(r'<body[^>]*>', dom)
attrs = dict(re.findall(r'data-(charts|decoded)="(\d+)"', tag.group(0))) if tag else {}
in_dom, decoded = int(attrs.get("charts", -1)), int(attrs.get("decoded", -1))
if not attrs:
    fail.append("the load probe did not run (page did not finish loading)")
else:
    if in_dom != declared:
        fail.append(f"{in_dom} chart image(s) in the rendered DOM, the report declares {declared}")
    if decoded != declared:
        fail.append(f"only {decoded} of {declared} chart image(s) decoded")
external = re.findall(r'(?:src|href)\s*=\s*"(?!data:|#)([^"]*)"', src, re.I) + re.findall(r'url\((?!\s*["\']?data:)', src, re.I)
if external:
    fail.append(f"external references: {external[:5]}")

def png_pixels(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", chunk[:10])
            if depth != 8 or ctype not in (2, 6):
                raise ValueError(f"unsupported PNG (depth {depth}, colour type {ctype})")
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + n
    raw, stride, prev, rows = zlib.decompress(idat), w * bpp, None, []
    for y in range(h):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i] if prev else 0
            c = prev[i - bpp] if prev and i >= bpp else 0
            if f == 1: line[i] = (line[i] + a) & 255
            elif f == 2: line[i] = (line[i] + b) & 255
            elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line)); prev = line
    return w, h, bpp, rows

try:
    w, h, bpp, rows = png_pixels(shot)
    colours = set()
    for row in rows[::4]:
        for x in range(0, w * bpp, bpp * 4):
            colours.add(row[x:x + 3])
    dark = sum(1 for row in rows[::4] for x in range(0, w * bpp, bpp * 4) if sum(row[x:x + 3]) < 384)
    if len(colours) < 16 or dark == 0:
        fail.append(f"screenshot {w}x{h} looks blank ({len(colours)} colour(s), {dark} dark sample(s))")
except (ValueError, zlib.error, struct.error) as e:
    fail.append(f"screenshot unreadable: {e}")
    w = h = 0; colours = set()

if fail:
    for f in fail:
        print(f"check-html: FAIL: {report}: {f}", file=sys.stderr)
    sys.exit(1)
print(f"check-html: ok: {report}: {declared} chart(s) in the DOM, {decoded} decoded, no external reference; screenshot {shot if kept else '(not kept)'} {w}x{h}, {len(colours)} colours")
EOF
