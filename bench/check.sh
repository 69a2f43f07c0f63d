#!/usr/bin/env bash
# Benchmark of `medcoder check`: N encounters of 1-10 codes (default
# 100,000) drawn from the bundled ICD-10-CM release (mostly billable codes,
# some headers, external causes, Z codes and made-up codes, in random
# order, fixed seed), checked from stdin as jsonl under /usr/bin/time -v.
# Per binary: wall, CPU (user+sys), encounters/s of CPU and of wall, edits
# per encounter and peak RSS; binaries run interleaved, ROUNDS times (best
# CPU kept), each with its own cache dir.
#
# With two or more binaries it also compares their output byte for byte
# (`cmp`) on the bench input as jsonl, json and table, and on a copy of it
# with bad tokens and non-UTF-8 lines mixed in, and prints "identical" or
# "DIFFERS" per format (exit 1 when any differs).
#
# Needs: python3, GNU time.
# Usage: bench/check.sh [N] [BINARY...]   (default binary: target/release/medcoder, built first)
#        ROUNDS=3 by default.
set -euo pipefail

cd "$(dirname "$0")/.."
[[ -x /usr/bin/time ]] || { echo "GNU time missing: apt-get install -y time" >&2; exit 2; }
N="${1:-100000}"
shift || true
if [[ $# -eq 0 ]]; then
    cargo build --release --quiet
    set -- target/release/medcoder
fi
BINS=()
for b in "$@"; do BINS+=("$(realpath "$b")"); done
ROUNDS="${ROUNDS:-3}"
DIR="$(mktemp -d)"
trap 'rm -rf "$DIR"' EXIT

python3 - "$N" "$DIR/encounters.txt" "$DIR/bad.txt" <<'PY'
import csv, random, sys
n, path, bad = int(sys.argv[1]), sys.argv[2], sys.argv[3]
rng = random.Random(14)
billable, headers = [], []
for r in csv.DictReader(open("data/icd10cm-2026.csv", encoding="utf-8")):
    if r["kind"] != "code":
        continue
    (billable if r["billable"] == "Y" else headers).append(r["code"])
lines = []
for _ in range(n):
    k = rng.randint(1, 10)
    codes = []
    for _ in range(k):
        x = rng.random()
        if x < 0.9:
            codes.append(rng.choice(billable))
        elif x < 0.97:
            codes.append(rng.choice(headers))
        else:
            codes.append(rng.choice(billable).replace(".", "")[:-1] + "Q")
    lines.append(" ".join(codes))
with open(path, "w") as f:
    f.write("".join(l + "\n" for l in lines))
# Every 97th line gets a bad token, every 1009th is not UTF-8, every 503rd is empty.
with open(bad, "wb") as f:
    for i, l in enumerate(lines[: min(n, 20000)]):
        if i % 1009 == 5:
            f.write(b"E11.9 \xff\xfe N18.4\n")
        elif i % 503 == 7:
            f.write(b"\n")
        elif i % 97 == 3:
            f.write((l + " diabetes! E1").encode() + b"\n")
        else:
            f.write(l.encode() + b"\n")
PY

# Each binary builds its index, then, once the file has settled (the
# index's STAMP_SETTLE, 2 s), opens it again so that it is stamped: the
# timed runs open it as every later run does, without the open-time
# checks (which read the whole file: +25 MB of RSS and ~35 ms CPU in
# whichever run happened to do them).
for i in "${!BINS[@]}"; do
    export MEDCODER_CACHE_DIR="$DIR/cache$i"
    "${BINS[$i]}" check I10 >/dev/null 2>&1 || true
done
sleep 3
for i in "${!BINS[@]}"; do
    export MEDCODER_CACHE_DIR="$DIR/cache$i"
    "${BINS[$i]}" check I10 >/dev/null 2>&1 || true
done

for round in $(seq 1 "$ROUNDS"); do
    for i in "${!BINS[@]}"; do
        export MEDCODER_CACHE_DIR="$DIR/cache$i"
        /usr/bin/time -v "${BINS[$i]}" check --format jsonl <"$DIR/encounters.txt" \
            >"$DIR/out$i.jsonl" 2>"$DIR/time$i.$round.txt" || true
    done
done

python3 - "$N" "$DIR" "$ROUNDS" "${BINS[@]}" <<'PY'
import json, re, sys
n, d, rounds, bins = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4:]
def secs(s):
    p = [float(x) for x in s.split(":")]
    return sum(v * 60 ** k for k, v in enumerate(reversed(p)))
for i, b in enumerate(bins):
    best = None
    for r in range(1, rounds + 1):
        t = open(f"{d}/time{i}.{r}.txt").read()
        wall = secs(re.search(r"Elapsed \(wall clock\) time.*: (.*)", t).group(1))
        cpu = float(re.search(r"User time \(seconds\): (.*)", t).group(1)) + float(
            re.search(r"System time \(seconds\): (.*)", t).group(1))
        rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1)) / 1024
        if best is None or cpu < best[1]:
            best = (wall, cpu, rss)
    wall, cpu, rss = best
    lines = open(f"{d}/out{i}.jsonl").read().splitlines()
    edits = sum(len(json.loads(l)["edits"]) for l in lines)
    print(f"{b}")
    print(f"  encounters: {n}  output lines: {len(lines)}  edits/encounter: {edits / max(1, len(lines)):.2f}")
    print(f"  best of {rounds}: CPU (user+sys) {cpu:.2f} s = {n / max(cpu, 1e-9):,.0f} encounters/s of CPU;"
          f"  wall {wall:.2f} s = {n / max(wall, 1e-9):,.0f} encounters/s;  peak RSS {rss:.0f} MB")
PY

status=0
if [[ ${#BINS[@]} -ge 2 ]]; then
    for input in encounters bad; do
        for fmt in jsonl json table; do
            for i in "${!BINS[@]}"; do
                export MEDCODER_CACHE_DIR="$DIR/cache$i"
                code=0
                "${BINS[$i]}" check --format "$fmt" <"$DIR/$input.txt" >"$DIR/cmp$i" 2>"$DIR/err$i" || code=$?
                echo "exit $code" >>"$DIR/cmp$i"
            done
            same=identical
            for i in "${!BINS[@]}"; do
                cmp -s "$DIR/cmp0" "$DIR/cmp$i" && cmp -s "$DIR/err0" "$DIR/err$i" || same=DIFFERS
            done
            [[ $same == identical ]] || status=1
            echo "output $input --format $fmt: $same"
        done
    done
fi
exit $status
