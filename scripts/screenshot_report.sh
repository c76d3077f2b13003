#!/usr/bin/env bash
# Screenshot a run's report.html with headless Chromium, offline (no network, fresh profile).
#
#   scripts/screenshot_report.sh RUN_DIR [OUT.png] [WIDTHxHEIGHT]
#
# Needs Debian's chromium (apt-get install -y chromium). The page must render from the file alone:
# Chromium runs with networking features off, so anything the page fetched from outside would be
# missing from the picture.
set -euo pipefail
run_dir=${1:?usage: scripts/screenshot_report.sh RUN_DIR [OUT.png] [WIDTHxHEIGHT]}
out=${2:-$run_dir/report.png}
size=${3:-1400x2000}
report=$(realpath "$run_dir/report.html")
[ -f "$report" ] || { echo "no report.html in $run_dir: run \`jaen export $run_dir\`" >&2; exit 2; }
browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || { echo "chromium not found: apt-get install -y chromium" >&2; exit 2; }
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
timeout 120 "$browser" --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --host-resolver-rules="MAP * ~NOTFOUND" --user-data-dir="$profile" \
  --window-size="${size/x/,}" --screenshot="$(realpath -m "$out")" "file://$report" >/dev/null 2>&1
[ -s "$out" ] || { echo "chromium wrote no screenshot" >&2; exit 1; }
echo "$out"
