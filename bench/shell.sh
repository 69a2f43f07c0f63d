#!/usr/bin/env bash
# Benchmark of `medcoder shell`: how long a coder waits between pressing
# Enter and seeing the answer.
#
# 1. Mean per phrase: a scripted session of N phrases (default 200, from
#    eval/dev/clinical.tsv then eval/dev/typo.tsv) timed as a whole, minus
#    the start-up of an empty session, divided by N. Same again with each
#    phrase followed by `1` (open the top suggestion: detail + children).
# 2. Per-phrase distribution: a driver writes one phrase at a time to the
#    shell's stdin and times until its answer is complete (p50/p95/max).
# 3. Start-up at a real terminal (line editor + Tab-completion fst) in a
#    pseudo-terminal, until the prompt shows.
#
# Target (issue 6): every phrase answered within 50 ms.
# Usage: bench/shell.sh [N]
set -euo pipefail

cd "$(dirname "$0")/.."
BIN=target/release/medcoder
N="${1:-200}"
cargo build --release --quiet
export MEDCODER_CACHE_DIR="${MEDCODER_CACHE_DIR:-$PWD/target/bench-cache}"
"$BIN" suggest "warm up the index cache" >/dev/null 2>&1 || true

DIR="$(mktemp -d)"
trap 'rm -rf "$DIR"' EXIT
awk -F'\t' -v n="$N" 'FNR > 1 && $1 != "" && c < n { print $1; c++ }' eval/dev/clinical.tsv eval/dev/typo.tsv > "$DIR/phrases"
N=$(wc -l < "$DIR/phrases")
sed 's/$/\n1/' "$DIR/phrases" > "$DIR/phrases_open"

ms_of() { # best of 5 runs of: BIN shell --no-history < $1, in ms
    local best=999999 s e
    for _ in 1 2 3 4 5; do
        s=$(date +%s%N)
        "$BIN" shell --no-history < "$1" > /dev/null
        e=$(date +%s%N)
        (( (e - s) / 1000 < best )) && best=$(( (e - s) / 1000 ))
    done
    echo "$best"
}

: > "$DIR/empty"
start_us=$(ms_of "$DIR/empty")
phrases_us=$(ms_of "$DIR/phrases")
open_us=$(ms_of "$DIR/phrases_open")
printf 'start-up (empty scripted session):   %6.1f ms\n' "$(echo "$start_us / 1000" | bc -l)"
printf 'per phrase (mean of %d):             %6.2f ms\n' "$N" "$(echo "($phrases_us - $start_us) / 1000 / $N" | bc -l)"
printf 'per phrase + open top code (mean):   %6.2f ms\n' "$(echo "($open_us - $start_us) / 1000 / $N" | bc -l)"

python3 - "$BIN" "$DIR/phrases" <<'EOF'
import subprocess, sys, time
binary, phrases = sys.argv[1], open(sys.argv[2]).read().splitlines()
p = subprocess.Popen([binary, "shell", "--no-history"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
times = []
for q in phrases:
    t = time.perf_counter()
    p.stdin.write(q + "\n"); p.stdin.flush()
    while True:  # an answer ends with the hint line or "no suggestions"
        line = p.stdout.readline()
        if not line or line.startswith("N opens") or line.startswith("no suggestions"):
            break
    times.append((time.perf_counter() - t) * 1000)
p.stdin.close(); p.wait()
times.sort()
pick = lambda f: times[min(len(times) - 1, int(f * len(times)))]
print(f"per phrase, Enter to answer (n={len(times)}): p50 {pick(0.5):.2f} ms, p95 {pick(0.95):.2f} ms, max {times[-1]:.2f} ms")
EOF

python3 - "$BIN" <<'EOF'
import os, pty, sys, time
best = None
for _ in range(5):
    t = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "xterm"
        os.execv(sys.argv[1], [sys.argv[1], "shell", "--no-history"])
    seen = b""
    while b"medcoder> " not in seen:
        seen += os.read(fd, 4096)
    ms = (time.perf_counter() - t) * 1000
    os.write(fd, b"\x04")
    os.waitpid(pid, 0)
    best = ms if best is None else min(best, ms)
print(f"start-up at a terminal (line editor + completion fst), to prompt: {best:.1f} ms")
EOF
