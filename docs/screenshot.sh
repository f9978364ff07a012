#!/usr/bin/env bash
# Regenerates docs/report.png, the screenshot of the shipped report shown in the README.
# Needs Debian's chromium (and fonts-noto-cjk for the Chinese labels):
#   apt-get install -y chromium fonts-noto-cjk
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
out=$(mktemp -d)
./target/release/greenreach report --out "$out/report" -q >/dev/null
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$out/profile" --hide-scrollbars --window-size=1100,1700 \
  --screenshot="$PWD/docs/report.png" "file://$out/report/index.html" 2>/dev/null
rm -rf "$out"
echo "wrote docs/report.png"
