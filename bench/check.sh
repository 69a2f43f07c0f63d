#!/usr/bin/env bash
# Benchmark of `medcoder check`: 100,000 encounters of 1-10 codes drawn
# from the bundled ICD-10-CM release (mostly billable codes, some headers,
# external causes, Z codes and made-up codes, in random order), checked
# from stdin as jsonl under /usr/bin/time -v; prints encounters/s, edits
# per encounter and peak RSS.
#
# Needs: python3, GNU time. Usage: bench/check.sh [ENCOUNTERS] (default 100000)
set -euo pipefail

cd "$(dirname "$0")/.."
BIN=target/release/medcoder
[[ -x /usr/bin/time ]] || { echo "GNU time missing: apt-get install -y time" >&2; exit 2; }
cargo build --release --quiet
export MEDCODER_CACHE_DIR="${MEDCODER_CACHE_DIR:-$PWD/target/bench-cache}"
"$BIN" check I10 >/dev/null 2>&1 || true
N="${1:-100000}"
DIR="$(mktemp -d)"
trap 'rm -rf "$DIR"' EXIT

python3 - "$N" "$DIR/encounters.txt" <<'PY'
import csv, random, sys
n, path = int(sys.argv[1]), sys.argv[2]
rng = random.Random(14)
billable, headers = [], []
for r in csv.DictReader(open("data/icd10cm-2026.csv", encoding="utf-8")):
    if r["kind"] != "code":
        continue
    (billable if r["billable"] == "Y" else headers).append(r["code"])
with open(path, "w") as f:
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
        f.write(" ".join(codes) + "\n")
PY

/usr/bin/time -v "$BIN" check --format jsonl < "$DIR/encounters.txt" > "$DIR/out.jsonl" 2> "$DIR/time.txt" || true
python3 - "$N" "$DIR" <<'PY'
import json, re, sys
n, d = int(sys.argv[1]), sys.argv[2]
t = open(f"{d}/time.txt").read()
wall = re.search(r"Elapsed \(wall clock\) time.*: (.*)", t).group(1)
parts = [float(p) for p in wall.split(":")]
secs = parts[-1] + (parts[-2] * 60 if len(parts) > 1 else 0) + (parts[-3] * 3600 if len(parts) > 2 else 0)
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1)) / 1024
lines = open(f"{d}/out.jsonl").read().splitlines()
edits = sum(len(json.loads(l)["edits"]) for l in lines)
print(f"encounters: {n}  output lines: {len(lines)}  edits/encounter: {edits / max(1, len(lines)):.2f}")
print(f"wall: {secs:.2f} s  throughput: {n / secs:,.0f} encounters/s  peak RSS: {rss:.0f} MB")
PY
