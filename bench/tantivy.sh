#!/usr/bin/env bash
# medcoder against a general search engine on the same names and queries
# (issue 15): bench/tantivy (its own crate, tantivy 0.22, never built by CI)
# indexes every title, inclusion term, "includes" note and index path of
# the bundled ICD-10-CM release, from data/, and answers each query as a
# BM25 OR of its tokens, top 5, stored documents fetched, one thread. On
# the same query file in the same run, medcoder's pipeline
# (`suggest --format jsonl -n 5` from stdin, all cores) and an empty call
# (process start, index open, Matcher::new).
#
# Queries: QUERIES_FILE, or the distinct first column of eval/dev/*.tsv.
# Needs: python3, GNU time, cargo (the tantivy crate is fetched and built
# on first use, a few minutes).
# Usage: bench/tantivy.sh [QUERIES_FILE]   (MEDCODER_BIN=... for another medcoder)
set -euo pipefail
cd "$(dirname "$0")/.."
[[ -x /usr/bin/time ]] || { echo "GNU time missing: apt-get install -y time" >&2; exit 2; }
if [[ -n "${MEDCODER_BIN:-}" ]]; then
  bin=$(realpath "$MEDCODER_BIN")
else
  cargo build --release --quiet
  bin=$PWD/target/release/medcoder
fi
cargo build --release --quiet --locked --manifest-path bench/tantivy/Cargo.toml
tbin=$PWD/bench/tantivy/target/release/medcoder-tantivy-bench
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [[ $# -ge 1 ]]; then
  queries=$(realpath "$1")
else
  queries=$tmp/queries.txt
  for f in eval/dev/*.tsv; do tail -n +2 "$f" | cut -f1; done | awk 'NF && !seen[$0]++' > "$queries"
fi
n=$(wc -l < "$queries")
export MEDCODER_CACHE_DIR=$tmp/cache
"$bin" build >/dev/null 2>&1

echo "== tantivy 0.22 (BM25 OR, top 5, stored docs fetched, 1 thread) on $n queries"
"$tbin" data "$queries"

echo "== medcoder $bin on the same $n queries"
: > "$tmp/empty.txt"
cpu() { # CPU s (user+sys) and wall s of: bin suggest --format jsonl -n 5 < $1; best of 3 by wall
  local bw=999999 bc=0
  for _ in 1 2 3; do
    /usr/bin/time -f '%e %U %S' -o "$tmp/time" "$bin" suggest --format jsonl -n 5 < "$1" > "$tmp/out" || true  # 1: some line found nothing
    read -r w u s < <(tail -n 1 "$tmp/time")  # after "Command exited with non-zero status"
    if python3 -c "import sys; sys.exit(not $w < $bw)"; then bw=$w; bc=$(python3 -c "print($u + $s)"); fi
  done
  echo "$bw $bc"
}
# The empty call at microsecond resolution (bench/cold.py), in seconds.
read -r ew ec < <(python3 bench/cold.py "$bin" "$tmp/empty.txt" | awk '{print $1 / 1000, $2 / 1000}')
read -r pw pc < <(cpu "$queries")
python3 - "$n" "$ew" "$ec" "$pw" "$pc" <<'PY'
import sys
n, ew, ec, pw, pc = int(sys.argv[1]), *map(float, sys.argv[2:])
print(f"empty call (process start, index open, Matcher::new): {ew * 1e3:.1f} ms wall, {ec * 1e3:.1f} ms CPU")
print(f"pipeline: {pw:.2f} s wall = {n / pw:,.0f} queries/s on all cores")
print(f"per query µs (CPU of all threads, empty call subtracted, best of 3): {(pc - ec) * 1e6 / n:.1f}")
PY
