#!/usr/bin/env bash
# `make demo`: a short import against the bundled replica API, then `etl status`.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
ETL="$BUILD/etl/cli/etl"
REPLICA="$BUILD/replica/replica-api"

out=$(mktemp)
# Realistic answer times (0.5-1 s on the real API; shorter here so the demo is quick).
"$REPLICA" --port 0 --latency-ms 300 --jitter-ms 200 >"$out" &
replica_pid=$!
trap 'kill "$replica_pid" 2>/dev/null || true; wait "$replica_pid" 2>/dev/null || true; rm -f "$out"' EXIT
for _ in $(seq 100); do
  grep -q '^listening on ' "$out" && break
  sleep 0.1
done
api="http://$(sed -n 's/^listening on //p' "$out" | head -n1)"
echo "replica-api at $api"

mkdir -p data
set +e
"$ETL" run --area copenhagen --workers 12 --batch-size 50 --limit 100 --db sqlite:data/demo.db --api-url "$api"
code=$?
set -e
echo
"$ETL" status --db sqlite:data/demo.db
exit "$code"
