#!/usr/bin/env bash
# Builds the parser fuzzer with clang and runs it for N seconds (default 60), seeded with the
# real payloads of tests/fixtures/boligsiden (copied into a temporary corpus). Exits non-zero on a crash, a sanitizer report or a build failure.
#   bash fuzz/run.sh [SECONDS]
set -euo pipefail
seconds="${1:-60}"
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${FUZZ_BUILD:-$root/build-fuzz}"
fixtures="${FUZZ_FIXTURES:-$root/tests/fixtures/boligsiden}"

cmake -S "$root/fuzz" -B "$build" -DCMAKE_CXX_COMPILER="${CXX_FUZZ:-clang++}" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"${JOBS:-2}" >/dev/null

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus" "$work/artifacts"
if compgen -G "$fixtures/*.json" >/dev/null; then
  cp "$fixtures"/*.json "$work/corpus/"
else
  echo "fuzz: no seed fixtures in $fixtures; starting from an empty corpus" >&2
fi

echo "fuzz: parser_fuzzer for ${seconds}s, seeds: $(ls "$work/corpus" | wc -l) file(s)"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
# -max_len: real payloads are up to ~30 KB; -rss_limit_mb keeps it within CI memory.
if ! "$build/parser_fuzzer" "$work/corpus" -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 \
     -timeout=10 -artifact_prefix="$work/artifacts/" -print_final_stats=1 2>"$work/log"; then
  tail -n 60 "$work/log" >&2
  mkdir -p "$build/crashes" && cp "$work"/artifacts/* "$build/crashes/" 2>/dev/null || true
  echo "fuzz: FAILED (reproducers, if any, in $build/crashes)" >&2
  exit 1
fi
grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb|^Done" "$work/log" || tail -n 3 "$work/log"
echo "fuzz: no crash in ${seconds}s"
