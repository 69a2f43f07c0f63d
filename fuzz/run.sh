#!/usr/bin/env bash
# Runs the fuzz targets (cargo-fuzz, nightly) at the lowest priority, so
# they only take idle CPU, and logs the CPU seconds each used and the
# crashes it found.
#   bash fuzz/run.sh SECONDS_PER_TARGET [TARGET...]   # e.g. 3600
#   bash fuzz/run.sh smoke                            # CI: 15 s per target
# Needs `rustup toolchain install nightly` and `cargo install cargo-fuzz`.
# Crashes land in fuzz/artifacts/TARGET/; rerun one with
#   cargo +nightly fuzz run TARGET fuzz/artifacts/TARGET/crash-...
# Limits: over 256 MB is an out-of-memory, over 1 s a hang (the small
# index is built in libFuzzer's init, outside the limit). Built without a
# sanitizer (-s none: the targets look for panics, hangs and OOMs in safe
# code; the ASAN build took 39 min on the shared 2-core machine).
# FUZZ_TIMEOUT (seconds, default 1) raises the hang limit where a niced
# fuzzer waits for a busy CPU; rerun a timeout-* input unniced to judge it.
set -euo pipefail
cd "$(dirname "$0")"
secs=${1:-60}
shift || true
[ "$secs" = smoke ] && secs=15
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(query manual_csv index_bytes batch_rows)
cargo +nightly fuzz build -O -s none
log=${FUZZ_LOG:-fuzz-cpu.log}
status=0
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t" "artifacts/$t"
  if ! /usr/bin/time -o "artifacts/$t/cpu.txt" -f "%U %S" \
      nice -n 19 "target/x86_64-unknown-linux-gnu/release/$t" "corpus/$t" \
      -artifact_prefix="artifacts/$t/" \
      -max_total_time="$secs" -timeout="${FUZZ_TIMEOUT:-1}" -rss_limit_mb=256 -max_len=4096 \
      -print_final_stats=1 > "artifacts/$t/last-run.txt" 2>&1; then
    status=1
  fi
  cpu=$(tail -1 "artifacts/$t/cpu.txt" | awk '{printf "%d", $1 + $2}')
  crashes=$(find "artifacts/$t" -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' | wc -l)
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "artifacts/$t/last-run.txt" | grep -o '[0-9]*$' || echo 0)
  echo "$(date -u +%FT%TZ) $t cpu_s=$cpu runs=$execs crashes=$crashes" | tee -a "$log"
done
exit $status
