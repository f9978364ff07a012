#!/usr/bin/env bash
# Regenerates the screenshots of the shipped report shown in the README: docs/report-zh.png
# (the Chinese edition, the default under the Jiangbei standard) and docs/report.png (--lang en).
# Needs Debian's chromium and fonts-noto-cjk for the Chinese text:
#   apt-get install -y chromium fonts-noto-cjk
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
out=$(mktemp -d)
shot() {
  ./target/release/greenreach report --lang "$1" --out "$out/$1" -q >/dev/null
  chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$out/profile" --hide-scrollbars --window-size=1100,1700 \
    --screenshot="$PWD/docs/$2" "file://$out/$1/index.html" 2>/dev/null
  echo "wrote docs/$2"
}
shot zh report-zh.png
shot en report.png
rm -rf "$out"
