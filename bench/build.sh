#!/usr/bin/env bash
# Index build (issue 13): `medcoder build` of the bundled manuals into a
# fresh cache directory per run, each binary in turn, ROUNDS (5) rounds
# interleaved. Prints per binary and run: CPU (user+sys, all threads), wall,
# peak RSS; then per binary the median CPU and wall, the peak RSS and the
# size of the index file. On a shared machine compare CPU, not wall.
#
# Needs: GNU time (/usr/bin/time).
# Usage: bench/build.sh [BINARY...]
#   binaries default to $MEDCODER_BIN or target/release/medcoder (built);
#   e.g. ROUNDS=5 bench/build.sh /work/notes/medcoder-start target/release/medcoder
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
need_gnu_time
bench_binaries "$@"
BENCH_DIR='' bench_dir
ROUNDS=${ROUNDS:-5}

for r in $(seq "$ROUNDS"); do
  for i in "${!BINS[@]}"; do
    cache="$DIR/cache$i.$r"
    mkdir -p "$cache"
    MEDCODER_CACHE_DIR="$cache" /usr/bin/time -f "%U %S %e %M" -o "$DIR/time" \
      "${BINS[$i]}" build >/dev/null 2>"$DIR/err" || { cat "$DIR/err" >&2; exit 1; }
    size=$(stat -c %s "$cache"/*.mcx)
    read -r user sys wall rss <"$DIR/time"
    echo "$i $user $sys $wall $rss $size" >>"$DIR/runs"
    rm -rf "$cache"
  done
done

printf '%-44s %10s %10s %10s %14s\n' binary "CPU s" "wall s" "RSS MB" "index bytes"
for i in "${!BINS[@]}"; do
  awk -v i="$i" -v bin="${BINS[$i]}" '
    BEGIN { n = 0; rss = 0 }
    $1 == i { cpu[n] = $2 + $3; wall[n] = $4; if ($5 > rss) rss = $5; size = $6; n++ }
    function median(a, n,   j, k, t) {
      for (j = 0; j < n; j++) for (k = j + 1; k < n; k++) if (a[k] < a[j]) { t = a[j]; a[j] = a[k]; a[k] = t }
      return n % 2 ? a[int(n / 2)] : (a[n / 2 - 1] + a[n / 2]) / 2
    }
    END {
      runs = ""; for (j = 0; j < n; j++) runs = runs sprintf(" %.2f/%.2f", cpu[j], wall[j])
      printf "%-44s %10.2f %10.2f %10.1f %14d\n", bin, median(cpu, n), median(wall, n), rss / 1024, size
      printf "  runs (CPU/wall s):%s\n", runs
    }' "$DIR/runs"
done
