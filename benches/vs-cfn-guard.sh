#!/usr/bin/env bash
# buttress check vs cfn-guard validate over the JSON templates of a corpus folder.
#
#   benches/vs-cfn-guard.sh                 # corpus: ../shared/corpus/aws-cloudformation-templates
#   BUTTRESS_CORPUS=/path/to/templates RUNS=20 benches/vs-cfn-guard.sh
#
# Environment:
#   BUTTRESS_CORPUS   folder searched for *.json (default: the shared corpus beside the repo)
#   CFN_GUARD         cfn-guard binary (default: cfn-guard on PATH, then ~/.cargo/bin/cfn-guard)
#   CARGO_TARGET_DIR  cargo's target folder (default: target)
#   RUNS              timed runs per command (default 15, at least 10 is sensible)
#   WARMUP            untimed runs per command first (default 3)
#
# Commands timed (all over exactly the same list of files, output thrown away):
#   buttress            buttress check --format json -o /dev/null FILE...          (stdlib, all cores)
#   buttress-same-rules the same with `--rule ID` for each rule translated in benches/guard (the
#                       ids of its `# --- ID ---` headers), so both tools run rules of one meaning
#   buttress-threads1   the same with --threads 1
#   cfn-guard           cfn-guard validate -r benches/guard -d FILE -d FILE ... -S none -o json
#                       (one process for all files: its fastest form, see benches/README.md; JSON
#                       output because cfn-guard 3.2.1's default reporter panics on this corpus)
#   json-parse-only     the bench binary in BUTTRESS_BENCH_PARSE_ONLY mode: reads each file and
#                       parses it with serde_json::from_slice::<Value>, one thread, nothing else
#   process-start       `buttress --version`: the floor for any buttress process
#
# Uses hyperfine when installed (apt-get install -y hyperfine), otherwise a date +%s%N loop.
# Prints the median of each command and the ratio cfn-guard / buttress.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
corpus=${BUTTRESS_CORPUS:-$root/../shared/corpus/aws-cloudformation-templates}
runs=${RUNS:-15}
warmup=${WARMUP:-3}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}

if [[ ! -d $corpus ]]; then
  echo "vs-cfn-guard: SKIPPED — no corpus folder at $corpus (set BUTTRESS_CORPUS)" >&2
  exit 0
fi
guard=${CFN_GUARD:-}
if [[ -z $guard ]]; then
  guard=$(command -v cfn-guard || true)
  [[ -z $guard && -x $HOME/.cargo/bin/cfn-guard ]] && guard=$HOME/.cargo/bin/cfn-guard
fi
if [[ -z $guard || ! -x $guard ]]; then
  echo "vs-cfn-guard: SKIPPED — cfn-guard not found (cargo install cfn-guard, or set CFN_GUARD)" >&2
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== building (CARGO_TARGET_DIR=$CARGO_TARGET_DIR)" >&2
cd "$root"
cargo build --release --quiet
buttress=$CARGO_TARGET_DIR/release/buttress
# The bench binary doubles as the plain JSON-parsing baseline.
parse_only=$(cargo bench --bench compile_stdlib --no-run --message-format=json --quiet 2>/dev/null |
  sed -n 's/.*"executable":"\([^"]*compile_stdlib[^"]*\)".*/\1/p' | tail -1)
[[ -x $parse_only ]] || { echo "vs-cfn-guard: could not build the compile_stdlib bench binary" >&2; exit 2; }

find "$corpus" -type f -name '*.json' | LC_ALL=C sort >"$work/files"
nfiles=$(wc -l <"$work/files")
bytes=$(xargs -a "$work/files" cat | wc -c)
if grep -q '[[:space:]]' "$work/files"; then
  echo "vs-cfn-guard: corpus paths with white space are not supported" >&2
  exit 2
fi
files=$(tr '\n' ' ' <"$work/files")
guard_data=$(sed 's/^/-d /' "$work/files" | tr '\n' ' ')
same_rules=$(sed -n 's/^# --- \([a-z0-9_.]*\) -.*/--rule \1/p' "$here"/guard/*.guard | tr '\n' ' ')
[[ -n $same_rules ]] || { echo "vs-cfn-guard: no rule ids in the headers of benches/guard/*.guard" >&2; exit 2; }

# The commands, by name. No shell in between (hyperfine -N); paths have no spaces.
names=(buttress buttress-same-rules buttress-threads1 cfn-guard json-parse-only process-start)
cmds=(
  "$buttress check --format json -o /dev/null $files"
  "$buttress check --format json -o /dev/null $same_rules $files"
  "$buttress check --format json -o /dev/null --threads 1 $files"
  "$guard validate -r $here/guard $guard_data -S none -o json"
  "env BUTTRESS_BENCH_PARSE_ONLY=1 $parse_only $files"
  "$buttress --version"
)

# Sanity: each tool must run cleanly (findings are fine: buttress exits 1, cfn-guard 19).
check_exit() { # name allowed... -- cmd
  local name=$1; shift
  local allowed=()
  while [[ $1 != -- ]]; do allowed+=("$1"); shift; done
  shift
  local rc=0
  "$@" >"$work/$name.out" 2>"$work/$name.err" || rc=$?
  for a in "${allowed[@]}"; do [[ $rc == "$a" ]] && return 0; done
  echo "vs-cfn-guard: $name exited $rc; stderr:" >&2
  head -20 "$work/$name.err" >&2
  exit 2
}
# shellcheck disable=SC2086
check_exit buttress 0 1 -- $buttress check --format json -o "$work/buttress.json" $files
# shellcheck disable=SC2086
check_exit buttress-same-rules 0 1 -- $buttress check --format json -o "$work/same.json" $same_rules $files
same_count=$(tr -d ' \n' <"$work/same.json" | grep -o '"rule":"[^"]*"' | sort -u | wc -l)
echo "== buttress-same-rules: $(wc -w <<<"$same_rules" | awk '{ print $1 / 2 }') rules named, $same_count with a finding" >&2
# shellcheck disable=SC2086
check_exit cfn-guard 0 19 -- $guard validate -r "$here/guard" $guard_data -S none -o json
# shellcheck disable=SC2086
BUTTRESS_BENCH_PARSE_ONLY=1 check_exit json-parse-only 0 -- $parse_only $files

echo "== corpus: $nfiles JSON files, $bytes bytes ($corpus)" >&2
echo "== $(nproc) cores; $runs runs per command after $warmup warm-up runs" >&2

declare -A median
if command -v hyperfine >/dev/null; then
  args=(-N -i --warmup "$warmup" --runs "$runs" --style basic --export-csv "$work/h.csv")
  for i in "${!names[@]}"; do args+=(-n "${names[$i]}" "${cmds[$i]}"); done
  hyperfine "${args[@]}" >&2
  # CSV columns: command,mean,stddev,median,user,system,min,max (seconds)
  while IFS=, read -r name _ _ med _; do
    median[$name]=$(awk -v s="$med" 'BEGIN { printf "%.2f", s * 1000 }')
  done < <(tail -n +2 "$work/h.csv")
else
  echo "(hyperfine not found: timing with date +%s%N)" >&2
  for i in "${!names[@]}"; do
    # shellcheck disable=SC2086
    for ((w = 0; w < warmup; w++)); do ${cmds[$i]} >/dev/null 2>&1 || true; done
    : >"$work/t"
    for ((r = 0; r < runs; r++)); do
      t0=$(date +%s%N)
      # shellcheck disable=SC2086
      ${cmds[$i]} >/dev/null 2>&1 || true
      t1=$(date +%s%N)
      echo $(((t1 - t0) / 1000)) >>"$work/t"
    done
    median[${names[$i]}]=$(sort -n "$work/t" | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.2f", m / 1000 }')
  done
fi

echo
printf '%-20s %12s %24s\n' command "median (ms)" "cfn-guard / command"
for n in "${names[@]}"; do
  printf '%-20s %12s %24s\n' "$n" "${median[$n]}" \
    "$(awk -v g="${median[cfn-guard]}" -v m="${median[$n]}" 'BEGIN { printf "%.1fx", g / m }')"
done
echo
summary=$(tr -d ' \n' <"$work/buttress.json")
same=$(tr -d ' \n' <"$work/same.json")
findings() { grep -o '"findings":{"fail":[0-9]*,"unknown":[0-9]*' <<<"$1" | tail -1 | tr -d '"{' | sed 's/findings://'; }
rules() { grep -o '"rules":[0-9]*' <<<"$1" | tail -1 | tr -d '"'; }
echo "buttress: $(findings "$summary"), $(rules "$summary"); buttress-same-rules: $(findings "$same"), $(rules "$same"); \
guard: rules:$(cat "$here"/guard/*.guard | grep -c '^rule ')"
