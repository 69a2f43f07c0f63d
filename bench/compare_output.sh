#!/usr/bin/env bash
# Output comparison of two medcoder binaries on every eval query: the first
# column of eval/dev/*.tsv and eval/fresh/*.tsv, through
# `suggest --format jsonl -n 5`, without and with --explain; and the
# bundled index each builds, byte for byte but for the data fingerprint in
# its name and META (it covers the index-building code) and the CRC. Prints
# one line per comparison and exits 1 when any differs (the first differing
# lines are shown). For refactors that must not change ranking.
#
# Usage: bench/compare_output.sh OLD_BINARY [NEW_BINARY]
#   NEW_BINARY defaults to target/release/medcoder (built first).
# Each binary gets its own cache directory under $COMPARE_DIR (default: a
# temp dir, removed at exit).
set -euo pipefail

cd "$(dirname "$0")/.."
[[ $# -ge 1 ]] || { echo "usage: bench/compare_output.sh OLD_BINARY [NEW_BINARY]" >&2; exit 2; }
OLD="$(realpath "$1")"
if [[ $# -ge 2 ]]; then
    NEW="$(realpath "$2")"
else
    cargo build --release --quiet
    NEW="$PWD/target/release/medcoder"
fi

source bench/common.sh
BENCH_DIR="${COMPARE_DIR:-}" bench_dir

status=0
for set in eval/dev/*.tsv eval/fresh/*.tsv; do
    name="$(basename "$set" .tsv)"
    tail -n +2 "$set" | cut -f1 >"$DIR/$name.queries"
    for mode in plain explain; do
        flags=(suggest --format jsonl -n 5)
        [[ $mode == explain ]] && flags+=(--explain)
        MEDCODER_CACHE_DIR="$DIR/cache-old" "$OLD" "${flags[@]}" <"$DIR/$name.queries" >"$DIR/$name.$mode.old"
        MEDCODER_CACHE_DIR="$DIR/cache-new" "$NEW" "${flags[@]}" <"$DIR/$name.queries" >"$DIR/$name.$mode.new"
        lines=$(wc -l <"$DIR/$name.queries")
        if cmp -s "$DIR/$name.$mode.old" "$DIR/$name.$mode.new"; then
            echo "identical  $name ($lines queries, $mode)"
        else
            echo "DIFFERENT  $name ($lines queries, $mode)"
            diff "$DIR/$name.$mode.old" "$DIR/$name.$mode.new" | head -n 6 || true
            status=1
        fi
    done
done
# The bundled index: the fingerprint differs with the building code, nothing else may.
python3 - "$DIR/cache-old" "$DIR/cache-new" <<'PY' || status=1
import glob, sys
def load(d):
    [path] = glob.glob(d + "/bundled-*.mcx")
    fp = path.rsplit("-", 1)[1].split(".")[0]
    data = open(path, "rb").read()
    return data[:-12].replace(fp.encode(), b"#" * len(fp)), len(data)
old, new = load(sys.argv[1]), load(sys.argv[2])
if old == new:
    print(f"identical  bundled index ({old[1]} bytes, fingerprint and CRC aside)")
else:
    print(f"DIFFERENT  bundled index ({old[1]} vs {new[1]} bytes)")
    sys.exit(1)
PY
exit $status
