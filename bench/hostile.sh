#!/usr/bin/env bash
# Worst-case cost per line on a hostile file: long words (64 B to 1 MB),
# lines up to --max-cell and beyond (64 KiB), many random words, control
# bytes and invalid UTF-8. Prints, per kind of line, the CPU time of one
# `suggest` call on it minus that of an empty call (process start and
# index load), its peak memory above the empty call's, and the whole
# pipeline's time and peak RSS on all of them together.
#   bash bench/hostile.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=$PWD/target/release/medcoder
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export MEDCODER_CACHE_DIR=$tmp/cache
$bin build >/dev/null 2>&1

python3 - "$tmp" <<'PY'
import os, random, sys
random.seed(11)
d = sys.argv[1]
a = "abcdefghijklmnopqrstuvwxyz"
def rw(n): return "".join(random.choice(a) for _ in range(n))
kinds = {
    "one 64-byte word": rw(64),
    "one 9,999-byte word": rw(9999),
    "one 1 MB word (over --max-cell)": rw(1 << 20),
    "64 KiB line of words (over --max-cell)": " ".join(rw(random.randint(3, 12)) for _ in range(9000))[:65536],
    "9,999 bytes of random words": " ".join(rw(random.randint(3, 12)) for _ in range(1200))[:9999],
    "9,999 bytes of 64-byte words": " ".join(rw(64) for _ in range(160))[:9999],
    "9,999 bytes of real words": ("type 2 diabetes with neuropathy fracture of left femur " * 200)[:9999],
    "9,999 bytes of misspelt words": ("diabtes neuropaty hypertensoin fractur femor " * 230)[:9999],
    "control bytes and symbols": "".join(chr(random.randint(1, 0x2fff)) for _ in range(3000)),
}
names = []
for i, (name, text) in enumerate(kinds.items()):
    with open(f"{d}/kind{i}.txt", "w") as f:
        f.write(text + "\n")
    names.append(name)
with open(f"{d}/kind{len(kinds)}.txt", "wb") as f:
    f.write(b"\xff\xfe chest \xc3 pain \x00\x01\x02 " * 300 + b"\n")
names.append("invalid UTF-8 and NUL bytes")
with open(f"{d}/names.txt", "w") as f:
    f.write("\n".join(names) + "\n")
PY

# CPU seconds and peak RSS (KB) of one run: "secs kb".
cost() { python3 -c '
import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdin=sys.stdin, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print("%.4f %d" % (r.ru_utime + r.ru_stime, r.ru_maxrss))' "$bin" suggest --format jsonl; }
best() { # best of 3 CPU time, max RSS
  local f=$1 b=999 m=0; for _ in 1 2 3; do read -r s k < <(cost < "$f"); b=$(python3 -c "print(min($b,$s))"); [ "$k" -gt "$m" ] && m=$k; done; echo "$b $m"; }
: > "$tmp/empty.txt"
read -r base_s base_k < <(best "$tmp/empty.txt")
echo "empty call: $(python3 -c "print(round($base_s*1000))") ms CPU, $((base_k / 1024)) MB (process start, index load)"
printf '%-42s %10s %12s\n' "line" "CPU ms" "extra MB"
i=0
while IFS= read -r name; do
  read -r s k < <(best "$tmp/kind$i.txt")
  printf '%-42s %10s %12s\n' "$name" "$(python3 -c "print(max(0, round(($s - $base_s) * 1000)))")" "$(( (k - base_k) / 1024 ))"
  i=$((i + 1))
done < "$tmp/names.txt"
cat "$tmp"/kind*.txt > "$tmp/all.txt"
for _ in 1 2 3 4 5 6 7 8; do cat "$tmp"/kind[0-9].txt "$tmp"/kind4.txt "$tmp"/kind7.txt; done >> "$tmp/all.txt"
lines=$(wc -l < "$tmp/all.txt")
read -r s k < <(cost < "$tmp/all.txt")
echo "pipeline over $lines hostile lines: $(python3 -c "print(round($s*1000))") ms CPU, peak RSS $((k / 1024)) MB"
