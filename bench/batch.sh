#!/usr/bin/env bash
# Benchmark of `medcoder batch`: generates encounter CSVs of 200,000 and
# 1,000,000 rows (extra columns, quoted commas, embedded newlines, repeated
# realistic diagnosis phrases), codes them with the release binary under
# /usr/bin/time -v, and prints rows/s and peak RSS.
#
# Targets (issue 4): >= 10,000 rows/s on 2 cores; peak RSS < 200 MB on 1M rows.
#
# Needs: python3, GNU time (/usr/bin/time; `apt-get install -y time` if it
# is missing). Usage: bench/batch.sh [ROWS...]   (default: 200000 1000000)
# Data and outputs go to $BENCH_DIR (default: a temp dir, removed at exit).
set -euo pipefail

cd "$(dirname "$0")/.."
BIN=target/release/medcoder
source bench/common.sh
need_gnu_time
cargo build --release --quiet
export MEDCODER_CACHE_DIR="${MEDCODER_CACHE_DIR:-$PWD/target/bench-cache}"
"$BIN" suggest "warm up the index cache" >/dev/null 2>&1 || true

bench_dir

ROWS=("$@")
[[ ${#ROWS[@]} -gt 0 ]] || ROWS=(200000 1000000)

generate() { # rows file
    python3 - "$1" "$2" <<'PY'
import csv, random, sys
rows, path = int(sys.argv[1]), sys.argv[2]
rng = random.Random(4)
dx = [
    "essential hypertension", "HTN", "type 2 diabetes mellitus without complications",
    "type 2 diabetes with neuropathy", "DM2", "hyperlipidemia", "chronic kidney disease stage 3",
    "CKD stage 3", "acute bronchitis", "copd exacerbation", "asthma, mild intermittent",
    "chest pain", "low back pain", "urinary tract infection", "UTI", "major depressive disorder",
    "generalized anxiety disorder", "atrial fibrillation", "congestive heart failure",
    "pneumonia, unspecified organism", "acute sinusitis", "otitis media, left ear",
    "gastroesophageal reflux disease", "obesity", "hypothyroidism", "migraine without aura",
    "osteoarthritis of right knee", "fracture of left wrist, initial encounter",
    "headache", "abdominal pain", "iron deficiency anemia", "vitamin D deficiency",
    "allergic rhinitis", "contact dermatitis", "cellulitis of left leg", "acute pharyngitis",
    "HTN; DM2; CKD stage 3", "coronary artery disease", "sleep apnea", "gout",
]
rare = ["hypertensive heart disease with heart failure", "diabetic retinopathy",
        "fall from ladder", "dog bite of right hand", "sprain of left ankle"]
with open(path, "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["encounter_id", "patient_id", "date", "provider", "diagnosis", "notes", "amount"])
    for i in range(rows):
        d = rng.choice(dx) if rng.random() < 0.97 else f"{rng.choice(rare)} {rng.randint(1, 2000)}"
        notes = rng.choice(["", "follow up in 2 weeks", "seen, stable", "labs ordered;\nrecheck", 'said "fine"'])
        w.writerow([f"E{i:08d}", f"P{rng.randint(1, 90000):06d}", f"2025-{rng.randint(1,12):02d}-{rng.randint(1,28):02d}",
                    rng.choice(["Smith, J", "Lee, K", "Patel, R"]), d, notes, f"{rng.randint(20, 900)}.00"])
PY
}

printf '%-9s %-8s %10s %10s %12s %10s\n' rows format seconds rows/s "peak RSS MB" exit
for n in "${ROWS[@]}"; do
    input="$DIR/enc_$n.csv"
    [[ -f "$input" ]] || generate "$n" "$input"
    for format in csv jsonl; do
        out="$DIR/out_$n.$format"
        log="$DIR/time_$n.$format.log"
        set +e
        /usr/bin/time -v "$BIN" batch "$input" --column diagnosis --format "$format" -o "$out" 2>"$log"
        code=$?
        set -e
        secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s}' "$log")
        rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2 / 1024}' "$log")
        printf '%-9s %-8s %10s %10.0f %12s %10s\n' "$n" "$format" "$secs" "$(echo "$n / $secs" | bc -l)" "$rss" "$code"
        grep 'medcoder: batch:' "$log" | sed 's/^/          /'
    done
done
