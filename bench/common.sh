# Shared set-up of the bench scripts, sourced (not run) by them from the
# repository root:
#   need_gnu_time          exit 2 with the fix when /usr/bin/time is missing
#   bench_binaries ARGS…   BINS=(ARGS…), else ($MEDCODER_BIN), else the
#                          release binary, built; each made absolute
#   bench_dir              DIR=$BENCH_DIR (created), else a temp dir removed
#                          at exit
# shellcheck shell=bash

need_gnu_time() {
  [[ -x /usr/bin/time ]] || { echo "GNU time missing: apt-get install -y time" >&2; exit 2; }
}

bench_binaries() {
  BINS=("$@")
  if [[ ${#BINS[@]} -eq 0 ]]; then
    if [[ -n "${MEDCODER_BIN:-}" ]]; then
      BINS=("$MEDCODER_BIN")
    else
      cargo build --release --quiet
      BINS=(target/release/medcoder)
    fi
  fi
  local i
  for i in "${!BINS[@]}"; do
    BINS[$i]=$(realpath "${BINS[$i]}")
  done
}

bench_dir() {
  if [[ -n "${BENCH_DIR:-}" ]]; then
    DIR="$BENCH_DIR"
    mkdir -p "$DIR"
  else
    DIR="$(mktemp -d)"
    # shellcheck disable=SC2064  # expand now: DIR is this run's
    trap "rm -rf '$DIR'" EXIT
  fi
}
