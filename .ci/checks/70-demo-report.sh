#!/usr/bin/env bash
# The main job end to end, as a newcomer runs it: `bin/visionlake demo` on the embedded sample, then the report
# opened in real headless Chromium, screenshotted, checked to be non-blank and free of console errors.
set -euo pipefail
cd "$(dirname "$0")/../.."

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

start=$(date +%s)
bin/visionlake demo --lake "$work/lake" --out "$work/report" | tee "$work/demo.out"
seconds=$(( $(date +%s) - start ))
echo "demo took ${seconds}s"
grep -q "report: $work/report/index.html" "$work/demo.out" || { echo "FAIL: demo did not print where the report is"; exit 1; }
(( seconds < 600 )) || echo "WARNING: the demo took ${seconds}s, over its 10-minute budget"

for figure in "$work"/report/figures/*; do
  [[ -s "$figure" ]] || { echo "FAIL: empty figure $figure"; exit 1; }
done
grep -q "Which network won?" "$work/report/index.html" || { echo "FAIL: residual analysis missing"; exit 1; }

# Chromium as root needs --no-sandbox; the background-networking flags keep it off the (closed) network.
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --user-data-dir="$work/chromium" --enable-logging=stderr --v=0 \
  --window-size=1200,2400 --screenshot="$work/shot.png" "file://$work/report/index.html" \
  > "$work/chromium.log" 2>&1 || { cat "$work/chromium.log"; echo "FAIL: chromium could not render the report"; exit 1; }
if grep -E 'CONSOLE|Uncaught|Refused to' "$work/chromium.log"; then
  echo "FAIL: the report logged console errors in Chromium"
  exit 1
fi
java .ci/PngStats.java "$work/shot.png" || { echo "FAIL: the report's screenshot is blank"; exit 1; }
echo "demo and report check passed"
