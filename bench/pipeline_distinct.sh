#!/usr/bin/env bash
# Throughput of `suggest` on distinct queries (issue 15): LINES lines
# (default 100,000) made by bench/distinct.py from the dev queries, no two
# equal, through `suggest --format jsonl -n 5` from stdin on all cores;
# and the latency of a cold single `suggest` call (process start, index
# open, one query). Each binary gets its own cache dir (index built before
# timing); runs are interleaved across binaries, best of $ROUNDS (3) for the
# pipeline, median of 30 calls for the cold call (wall and CPU).
#
# Prints per binary: wall s, queries/s, CPU µs per query (user+sys, all
# threads, start-up included), peak RSS; cold call median wall and CPU ms.
#
# Needs: python3, GNU time (/usr/bin/time).
# Usage: bench/pipeline_distinct.sh [LINES] [BINARY...]
#   binaries default to $MEDCODER_BIN or target/release/medcoder (built);
#   e.g. bench/pipeline_distinct.sh 100000 /work/notes/medcoder-base target/release/medcoder
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
need_gnu_time
LINES=${1:-100000}
shift || true
bench_binaries "$@"
BENCH_DIR='' bench_dir
tmp=$DIR
python3 bench/distinct.py "$LINES" "$tmp/queries.txt"
head -30 "$tmp/queries.txt" > "$tmp/cold.txt"

for i in "${!BINS[@]}"; do
  MEDCODER_CACHE_DIR=$tmp/cache$i "${BINS[$i]}" build >/dev/null 2>&1
done

declare -A best cpu rss
for ((round = 1; round <= ${ROUNDS:-3}; round++)); do
  for i in "${!BINS[@]}"; do
    MEDCODER_CACHE_DIR=$tmp/cache$i /usr/bin/time -f '%e %U %S %M' -o "$tmp/time" \
      "${BINS[$i]}" suggest --format jsonl -n 5 < "$tmp/queries.txt" > "$tmp/out$i.jsonl" || true  # 1: some line found nothing
    read -r wall user sys kb < <(tail -n 1 "$tmp/time")  # after "Command exited with non-zero status"
    [[ $(wc -l < "$tmp/out$i.jsonl") -eq $LINES ]] || { echo "${BINS[$i]}: line count mismatch" >&2; exit 1; }
    if [[ -z "${best[$i]:-}" ]] || python3 -c "import sys; sys.exit(not $wall < ${best[$i]})"; then
      best[$i]=$wall; cpu[$i]=$(python3 -c "print($user + $sys)"); rss[$i]=$kb
    fi
  done
done

# Cold single calls: median wall and CPU ms per binary (bench/cold.py:
# microsecond timers; GNU time's have 10 ms).
for i in "${!BINS[@]}"; do
  MEDCODER_CACHE_DIR=$tmp/cache$i python3 bench/cold.py "${BINS[$i]}" "$tmp/cold.txt" > "$tmp/cold$i"
done

echo "pipeline: $LINES distinct queries, suggest --format jsonl -n 5, $(nproc) cores, best of ${ROUNDS:-3};"
echo "cold call: one query a process, median of $(wc -l < "$tmp/cold.txt"), wall and CPU (user+sys) ms"
printf '%-44s %8s %10s %14s %9s %10s %10s\n' binary "wall s" "queries/s" "CPU µs/query" "RSS MB" "cold wall" "cold CPU"
for i in "${!BINS[@]}"; do
  read -r p50 cpu50 < "$tmp/cold$i"
  python3 -c "
import sys
b, wall, cpu, kb, n = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
print('%-44s %8.2f %10.0f %14.0f %9.1f %8s ms %7s ms' % (b[-44:], wall, n / wall, cpu * 1e6 / n, kb / 1024, sys.argv[6], sys.argv[7]))
" "${BINS[$i]}" "${best[$i]}" "${cpu[$i]}" "${rss[$i]}" "$LINES" "$p50" "$cpu50"
done
