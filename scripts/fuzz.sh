#!/usr/bin/env bash
# Coverage-guided fuzzing of buttress with cargo fuzz (libFuzzer), one target after another.
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
#   FUZZ_RUNS=10000000 scripts/fuzz.sh 3600      # stop each target at 10^7 executions or an hour
# Seeds come from the tests and, when present, ../shared/corpus; the corpus grows in
# fuzz/corpus/<target>/. A crash, a timeout or an out-of-memory stops the script with exit 1 and
# leaves the input in fuzz/artifacts/<target>/, to be kept as a regression test
# (tests/hostile.rs). Each target's executions are appended to fuzz/stats.tsv.
# Needs the nightly toolchain and `cargo install cargo-fuzz`.
#
# The targets are built without a sanitizer (`-s none`): buttress has no `unsafe`, so what
# fuzzing looks for is panics, integer overflows (debug assertions are on), stack overflows,
# hangs (-timeout) and runaway memory (-rss_limit_mb); without AddressSanitizer it runs about
# twice as many executions in the same time.
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-60}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(rules input_json input_yaml cloudformation terraform config check)
fi
runs="${FUZZ_RUNS:--1}"
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  echo "cargo fuzz (and the nightly toolchain) are needed: cargo install cargo-fuzz" >&2
  exit 2
fi
seed() {
  local target="$1" dir="fuzz/corpus/$1"
  mkdir -p "$dir"
  [ -n "$(ls -A "$dir" 2>/dev/null)" ] && return
  case "$target" in
    rules|check) find stdlib tests/diagnostics tests/golden -name '*.btr' -size -16k -exec cp {} "$dir/" \; ;;
    input_yaml) find tests/inputs examples ../shared/corpus -name '*.yaml' -size -64k -exec cp {} "$dir/" \; 2>/dev/null || true ;;
    terraform) cp tests/inputs/terraform/*.json examples/terraform-plan.json "$dir/" ;;
    config) cp tests/inputs/config/*.json examples/config-snapshot.json "$dir/" ;;
    *) find tests/inputs examples stdlib ../shared/corpus -name '*.json' -size -64k -exec cp {} "$dir/" \; 2>/dev/null || true ;;
  esac
}
max_len() {
  case "$1" in
    rules|check) echo 16384 ;;
    *) echo 65536 ;;
  esac
}
cargo +nightly fuzz build -s none -a >/dev/null
failed=0
for t in "${targets[@]}"; do
  seed "$t"
  echo "== $t: ${secs}s or ${runs} executions"
  log=$(mktemp)
  set +e
  cargo +nightly fuzz run -s none -a "$t" "fuzz/corpus/$t" -- \
    -dict=fuzz/buttress.dict -max_total_time="$secs" -runs="$runs" -max_len="$(max_len "$t")" \
    -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 >"$log" 2>&1
  code=$?
  set -e
  execs=$(grep -E "stat::number_of_executed_units" "$log" | awk '{print $2}' | tail -1)
  grep -E "ERROR|panicked|SUMMARY|Test unit written" "$log" || true
  printf '%s\t%s\t%s\t%s\t%s\n' "$(date -u +%F)" "$t" "${execs:-0}" "$secs" "$code" >>fuzz/stats.tsv
  echo "   $t: ${execs:-0} executions, exit $code"
  if [ "$code" -ne 0 ]; then
    tail -n 40 "$log" >&2
    failed=1
  fi
  rm -f "$log"
done
exit "$failed"
