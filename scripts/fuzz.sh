#!/usr/bin/env bash
# Coverage-guided fuzzing of buttress with cargo fuzz (libFuzzer), one target after another.
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
# Seeds come from the tests and, when present, ../shared/corpus; crashes land in
# fuzz/artifacts/<target>/ and are to be kept as regression tests (tests/hostile.rs).
# Needs the nightly toolchain and `cargo install cargo-fuzz`.
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-60}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(rules input_json input_yaml cloudformation terraform config check)
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  echo "cargo fuzz (and the nightly toolchain) are needed: cargo install cargo-fuzz" >&2
  exit 2
fi
seed() {
  local target="$1" dir="fuzz/corpus/$1"
  mkdir -p "$dir"
  [ -n "$(ls -A "$dir" 2>/dev/null)" ] && return
  case "$target" in
    rules|check) find stdlib tests/diagnostics tests/golden -name '*.btr' -exec cp {} "$dir/" \; ;;
    input_yaml) find tests/inputs examples ../shared/corpus -name '*.yaml' -size -64k -exec cp {} "$dir/" \; 2>/dev/null || true ;;
    terraform) cp tests/inputs/terraform/*.json examples/terraform-plan.json "$dir/" ;;
    config) cp tests/inputs/config/*.json examples/config-snapshot.json "$dir/" ;;
    *) find tests/inputs examples stdlib ../shared/corpus -name '*.json' -size -64k -exec cp {} "$dir/" \; 2>/dev/null || true ;;
  esac
}
for t in "${targets[@]}"; do
  seed "$t"
  echo "== $t for ${secs}s"
  cargo +nightly fuzz run "$t" "fuzz/corpus/$t" -- \
    -dict=fuzz/buttress.dict -max_total_time="$secs" -max_len=65536 -timeout=10 -rss_limit_mb=4096 \
    -print_final_stats=1 2>&1 | grep -E "stat::number_of_executed_units|ERROR|panicked|SUMMARY|Done" || true
done
