#!/usr/bin/env bash
# What each rule of the embedded stdlib adds to a run over one input, one rule at a time.
#
#   benches/rule-costs.sh INPUT [buttress check arguments...]
#   benches/rule-costs.sh target/bench/config.ndjson
#   RUNS=5 KIND=cloudformation benches/rule-costs.sh template.json
#
# For every rule whose kinds include KIND (default: config for .ndjson/.jsonl inputs, else
# cloudformation), times `buttress check --threads 1 -q --format ndjson -o /dev/null --rule ID
# ARGS... INPUT` (for a stream, `--input-format ndjson ... - < INPUT`) RUNS times (default 3) and prints the median user
# CPU seconds (/usr/bin/time %U), less the median of a run with one rule that selects nothing of
# the input (a rule of another kind): reading, parsing and loading. Then the same for all rules.
# The table is sorted, dearest first. One thread, user time: the figures are CPU, not wall time.
#
# Environment: BUTTRESS (default target/release/buttress, built if absent), RUNS, KIND,
# BUTTRESS_TODAY (2026-12-02).
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
(($# >= 1)) || { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; exit 2; }
input=$1
shift
[[ -f $input ]] || { echo "rule-costs: no file $input" >&2; exit 2; }
runs=${RUNS:-3}
export BUTTRESS_TODAY=${BUTTRESS_TODAY:-2026-12-02}
buttress=${BUTTRESS:-$root/target/release/buttress}
if [[ ! -x $buttress ]]; then
  (cd "$root" && cargo build --release --quiet)
fi
stream=0
case ${input,,} in *.ndjson | *.jsonl) stream=1 ;; esac
kind=${KIND:-$( ((stream)) && echo config || echo cloudformation)}

# rules KIND: the ids of the rules whose kinds include KIND, and one rule without it.
rules() {
  "$buttress" rules --format json | python3 -c '
import json, sys
kind = sys.argv[1]
rules = json.load(sys.stdin)
print(" ".join(r["rule"] for r in rules if kind in r["kinds"]))
print(next((r["rule"] for r in rules if kind not in r["kinds"]), ""))' "$1"
}
{ read -r ids; read -r other; } < <(rules "$kind")
[[ -n $ids ]] || { echo "rule-costs: no rule of kind $kind" >&2; exit 2; }

# cost ARGS...: the median user seconds of RUNS runs of `buttress check ARGS`.
cost() {
  local samples=() t
  t=$(mktemp)
  for ((i = 0; i < runs; i++)); do
    local code=0
    if ((stream)); then
      /usr/bin/time -o "$t" -f %U "$buttress" check --threads 1 -q --input-format ndjson --format ndjson -o /dev/null "$@" - <"$input" >/dev/null 2>&1 || code=$?
    else
      /usr/bin/time -o "$t" -f %U "$buttress" check --threads 1 -q --format ndjson -o /dev/null "$@" "$input" >/dev/null 2>&1 || code=$?
    fi
    ((code <= 1)) || { echo "rule-costs: buttress check $* exited $code" >&2; rm -f "$t"; exit 2; }
    samples+=("$(tail -1 "$t")")
  done
  rm -f "$t"
  printf '%s\n' "${samples[@]}" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

extra=("$@")
base=0
if [[ -n $other ]]; then
  base=$(cost --rule "$other" "${extra[@]}")
fi
all=$(cost "${extra[@]}")
echo "input: $input ($(wc -c <"$input") bytes), kind $kind, $runs runs per command, user CPU seconds on one thread"
echo "reading, parsing and loading (one rule that selects nothing, $other): $base s"
echo "all rules: $all s (rules: $(awk -v a="$all" -v b="$base" 'BEGIN { printf "%.2f", a - b }') s)"
echo
echo "| rule | s over the base |"
echo "|---|---:|"
for id in $ids; do
  c=$(cost --rule "$id" "${extra[@]}")
  awk -v c="$c" -v b="$base" -v id="$id" 'BEGIN { printf "%.3f %s\n", c - b, id }'
done | sort -rn | awk '{ printf "| `%s` | %.3f |\n", $2, $1 }'
