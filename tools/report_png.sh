#!/usr/bin/env bash
# bash tools/report_png.sh PAGE.html OUT.png [HEIGHT]: a picture of an `etl report` page, 1280
# px wide and HEIGHT (2040: the numbers and the charts) tall, from Debian's headless chromium
# with no network (every request goes to a closed port, no name resolves). docs/report.png is
# `bash tools/report_png.sh build/report.html docs/report.png` after the browser test
# (tests/report) wrote build/report.html.
set -euo pipefail
page=$(realpath "$1")
out=$(realpath -m "$2")
height=${3:-2040}
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
/usr/bin/chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync --disable-extensions \
  --user-data-dir="$profile" --proxy-server=http://127.0.0.1:9 '--proxy-bypass-list=<-loopback>' \
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1' --virtual-time-budget=10000 \
  --window-size=1280,"$height" --screenshot="$out" "file://$page" 2>/dev/null
echo "wrote $out ($(($(stat -c %s "$out") / 1024)) KB)"
