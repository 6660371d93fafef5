#!/usr/bin/env bash
# Runs every Google Benchmark program the host tree built (make bench).
set -euo pipefail
build_dir=${1:-build/host}
list="$build_dir/benchmarks.txt"
if [ ! -f "$list" ]; then
  echo "run-benchmarks: $list not found; build first (make)" >&2
  exit 2
fi
while read -r bench; do
  [ -n "$bench" ] || continue
  echo "== $bench"
  "$bench" --benchmark_counters_tabular=true
done < "$list"
