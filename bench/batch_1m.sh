#!/usr/bin/env bash
# `medcoder batch` on an encounter CSV whose diagnosis texts are all
# distinct (issue 15): ROWS rows (default 1,000,000) made by
# bench/distinct.py from the dev queries (no patient data), coded with
# `batch --column diagnosis --format csv` under /usr/bin/time -v, once per
# binary (interleaved order does not matter: one run each; the 1M run
# takes minutes on 2 cores). Prints rows/s and peak RSS per binary.
# (bench/batch.sh measures the other case: realistic repeated phrases.)
#
# Needs: python3, GNU time. Usage: bench/batch_1m.sh [ROWS] [BINARY...]
#   binaries default to $MEDCODER_BIN or target/release/medcoder (built).
# The input and outputs go to $BENCH_DIR (default: a temp dir, removed at exit).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
need_gnu_time
ROWS=${1:-1000000}
shift || true
bench_binaries "$@"
bench_dir
input="$DIR/distinct_$ROWS.csv"
[[ -f "$input" ]] || python3 bench/distinct.py "$ROWS" "$input" --csv

printf '%-44s %9s %10s %10s %12s %6s\n' binary rows seconds rows/s "peak RSS MB" exit
for i in "${!BINS[@]}"; do
  bin=${BINS[$i]}
  export MEDCODER_CACHE_DIR="$DIR/cache$i"
  "$bin" build >/dev/null 2>&1
  log="$DIR/time$i.log"
  set +e
  /usr/bin/time -v "$bin" batch "$input" --column diagnosis --format csv -o "$DIR/out$i.csv" 2>"$log"
  code=$?
  set -e
  secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s}' "$log")
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2 / 1024}' "$log")
  printf '%-44s %9s %10s %10.0f %12s %6s\n' "$bin" "$ROWS" "$secs" "$(echo "$ROWS / $secs" | bc -l)" "$rss" "$code"
  grep 'medcoder: batch:' "$log" | sed 's/^/    /' || true
  rm -f "$DIR/out$i.csv"
done
