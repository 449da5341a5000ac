#!/usr/bin/env bash
# Looks at the built docs site (scripts/build-docs.sh) in a real headless browser (Debian's chromium): serves
# artifacts/docs-site over HTTP on a free local port, renders pages with their JavaScript, checks the rendered DOM (a
# conceptual page with its included snippet code and the navigation, an API page with its XML docs) and takes
# screenshots into artifacts/docs-screenshots, failing when a screenshot is blank (one colour over almost all of it).
# Needs chromium (apt-get install -y chromium) and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
site=artifacts/docs-site
shots=artifacts/docs-screenshots
[ -f "$site/index.html" ] || { echo "No site in $site: run scripts/build-docs.sh first." >&2; exit 1; }
command -v chromium > /dev/null || { echo "chromium is missing: apt-get install -y chromium" >&2; exit 1; }
mkdir -p "$shots"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$site" > /dev/null 2>&1 &
server=$!
profile=$(mktemp -d)
trap 'kill "$server" 2> /dev/null; rm -rf "$profile"' EXIT
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/" > /dev/null 2>&1 && break; sleep 0.1; done

browse() {  # browse MODE URL [OUT]: headless Chromium with a private profile, after the page's scripts have run
  chromium --headless=new --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$profile" \
    --window-size=1280,900 --virtual-time-budget=8000 "$@" 2> /dev/null
}

fail=0
expect() {  # expect PAGE TEXT...: the text of PAGE's rendered DOM (tags removed: highlighting splits code) holds every TEXT
  local page=$1; shift
  local dom; dom=$(browse --dump-dom "http://127.0.0.1:$port/$page" | sed 's/<[^>]*>//g')
  for text in "$@"; do
    if ! grep -qF -- "$text" <<< "$dom"; then echo "FAIL $page: rendered page lacks '$text'" >&2; fail=1; fi
  done
}

# A conceptual page: its text, the code included from docs/snippets, and the table of contents built by script.
expect getting-started.html "Build a prompt, call a model" "WeightedRewardBuilder" "AddPromptScorer" "Training"
expect training.html "class SignEnvironment" "PKEXP001"
# An API page from the XML docs.
expect api/PromptKit.OnnxRuntime.OnnxPolicyExporter.html "Writes trained actor and critic weights as ONNX models" "ExportPacked"
expect api/PromptKit.PromptBuilder.html "PromptBuilder" "AddRolePlaying"

for page in index getting-started api/PromptKit.PromptBuilder; do
  out="$shots/$(basename "$page").png"
  rm -f "$out"
  browse --screenshot="$out" "http://127.0.0.1:$port/$page.html" > /dev/null
  python3 - "$out" <<'PY' || fail=1
import struct, sys, zlib
path = sys.argv[1]
data = open(path, "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path}: not a PNG"
pos, idat, width = 8, b"", 0
while pos < len(data):
    length, kind = struct.unpack(">I4s", data[pos:pos + 8])
    chunk = data[pos + 8:pos + 8 + length]
    if kind == b"IHDR":
        width, height, depth, colour = struct.unpack(">IIBB", chunk[:10])
        assert depth == 8 and colour in (2, 6), f"{path}: unexpected PNG format"
        bpp = 3 if colour == 2 else 4
    elif kind == b"IDAT":
        idat += chunk
    pos += 12 + length
raw, stride, prev, counts = zlib.decompress(idat), width * bpp, bytearray(width * bpp), {}
for y in range(height):
    f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - bpp] if i >= bpp else 0
        b, c = prev[i], prev[i - bpp] if i >= bpp else 0
        if f == 1: line[i] = (line[i] + a) & 255
        elif f == 2: line[i] = (line[i] + b) & 255
        elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    for x in range(0, stride, bpp):
        key = bytes(line[x:x + 3]); counts[key] = counts.get(key, 0) + 1
    prev = line
top = max(counts.values()) / (width * height)
print(f"{path}: {width}x{height}, {len(counts)} colours, the commonest covers {top:.0%}")
if len(counts) < 16 or top > 0.97:
    sys.exit(f"FAIL {path}: the page looks blank")
PY
done
[ "$fail" -eq 0 ] && echo "Docs site check passed; screenshots in $shots." || exit 1
