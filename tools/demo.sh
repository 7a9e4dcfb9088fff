#!/usr/bin/env bash
# `make demo`: what a user does in the first hour, against the bundled replica API: a first
# import of four small municipalities, the next night's refresh, then what the copy holds,
# what the market did, and the market as a page. Leaves data/demo.db and data/demo-report.html
# and prints the commands to go on with.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
ETL="$BUILD/etl/cli/etl"
REPLICA="$BUILD/replica/replica-api"
DB=data/demo.db
REPORT=data/demo-report.html
# A tenth of the real market; the answer times are shorter than the real API's 0.5-1 s so
# the demo is quick.
MARKET=(--scale 0.2 --seed 1 --latency-ms 150 --jitter-ms 100)
PLACES=(--municipality Dragør --municipality Vallensbæk --municipality Ishøj --municipality Albertslund)

out=$(mktemp)
replica_pid=
stop_replica() {
  [ -n "$replica_pid" ] || return 0
  kill "$replica_pid" 2>/dev/null || true
  wait "$replica_pid" 2>/dev/null || true
  replica_pid=
}
trap 'stop_replica; rm -f "$out"' EXIT

# Starts the replica serving night $1; sets $api.
start_replica() {
  : >"$out"
  "$REPLICA" --port 0 "${MARKET[@]}" --epoch "$1" >"$out" &
  replica_pid=$!
  for _ in $(seq 100); do
    grep -q '^listening on ' "$out" && break
    sleep 0.1
  done
  api="http://$(sed -n 's/^listening on //p' "$out" | head -n1)"
}

mkdir -p data
rm -f "$DB" "$DB-wal" "$DB-shm"

echo "== night 0: the first import (replica-api, a tenth of the real market)"
start_replica 0
"$ETL" run "${PLACES[@]}" --db "$DB" --api-url "$api" --max-rps 0 --progress plain
stop_replica

echo
echo "== night 1: the nightly refresh, as cron runs it"
start_replica 1
"$ETL" run "${PLACES[@]}" --refresh on-market --db "$DB" --api-url "$api" --max-rps 0 --progress plain
stop_replica

echo
echo "== what the copy holds"
"$ETL" status --db "$DB"
echo
echo "== what the market did last night"
"$ETL" changes --since 24h --kind listed,relisted,price_changed,sold,delisted,removed,returned --db "$DB"

echo
echo "== the market as one HTML page (etl report)"
"$ETL" report "${PLACES[@]}" --since 4w --db "$DB" --out "$REPORT"

cat <<EOF

The demo database is $DB (SQLite) and its report $REPORT (open it in a browser: it
needs no network); the replica has stopped. Next:
  $ETL market --db $DB
  $ETL changes --db $DB --kind listed,sold --format csv
  $ETL export current_listings --db $DB --out listings.csv
  sqlite3 -column -header $DB 'SELECT road_name, house_number, zip_code, price_cash, ROUND(price_per_m2) AS per_m2 FROM current_listings ORDER BY per_m2 DESC LIMIT 10'
  $ETL run --help
  $REPLICA --help
EOF
