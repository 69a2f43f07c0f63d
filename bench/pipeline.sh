#!/usr/bin/env bash
# Benchmarks for `suggest`: index build time, the whole jsonl pipeline over
# the dev queries (process start and index load included), single-call
# latency (p50/p95) and peak memory. Figures go to stdout.
#   bash bench/pipeline.sh [QUERIES_FILE]
#   MEDCODER_BIN=/path/to/other/medcoder bash bench/pipeline.sh   # another build, same machine
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=${MEDCODER_BIN:-target/release/medcoder}
queries=${1:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ -z "$queries" ]; then
  queries=$tmp/queries.txt
  tail -n +2 eval/dev/older_wording.tsv | cut -f1 | head -1800 > "$queries"
fi
n=$(wc -l < "$queries")
export MEDCODER_CACHE_DIR=$tmp/cache
ms() { date +%s%N; }

t0=$(ms); $bin build >/dev/null 2>&1; t1=$(ms)
echo "index build (bundled manuals, cold): $(( (t1 - t0) / 1000000 )) ms"

$bin suggest --format jsonl < "$queries" > /dev/null  # warm the page cache
best=999999
for _ in 1 2 3; do
  t0=$(ms); $bin suggest --format jsonl -n 5 < "$queries" > "$tmp/out.jsonl"; t1=$(ms)
  d=$(( (t1 - t0) / 1000000 )); [ "$d" -lt "$best" ] && best=$d
done
echo "pipeline: $n queries in $best ms (best of 3) = $(( n * 1000 / (best > 0 ? best : 1) )) queries/s, process start and index load included"
[ "$(wc -l < "$tmp/out.jsonl")" -eq "$n" ] || { echo "line count mismatch"; exit 1; }

lat=()
while IFS= read -r q; do
  t0=$(ms); $bin suggest --format jsonl "$q" > /dev/null || true; t1=$(ms)
  lat+=($(( (t1 - t0) / 1000 )))
done < <(head -100 "$queries")
sorted=$(printf '%s\n' "${lat[@]}" | sort -n)
p50=$(echo "$sorted" | awk '{a[NR]=$1} END {print a[int(NR*0.5)]}')
p95=$(echo "$sorted" | awk '{a[NR]=$1} END {print a[int(NR*0.95)]}')
echo "single suggest call (index built): p50 $(( p50 / 1000 )).$(( p50 % 1000 / 100 )) ms, p95 $(( p95 / 1000 )).$(( p95 % 1000 / 100 )) ms wall"

if [ -x /usr/bin/time ]; then
  /usr/bin/time -v $bin suggest --format jsonl < "$queries" 2> "$tmp/time.txt" > /dev/null
  echo "pipeline peak RSS: $(awk -F: '/Maximum resident/ {gsub(/ /,"",$2); print $2}' "$tmp/time.txt") KB"
else
  echo "peak RSS: install GNU time (apt-get install -y time) to measure"
fi
