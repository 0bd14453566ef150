#!/usr/bin/env bash
# Performance figures of buttress (issue 12), as one Markdown report.
#
#   scripts/bench.sh                       # full scale: 1,000,000 resources, ~1 GB of Config items
#   scripts/bench.sh --quick               # smoke test: 20,000 resources / 50 files, 20,000 items, 2 runs
#   scripts/bench.sh --with-cfn-guard      # also benches/vs-cfn-guard.sh (skips when cfn-guard is absent)
#   scripts/bench.sh --install-cfn-guard   # the same, after `cargo install cfn-guard --locked` if absent
#   RUNS=9 RESOURCES=200000 SECTIONS="cfn config" scripts/bench.sh
#
# The report goes to standard output and to target/bench/report.md; progress and the tools'
# messages go to standard error. Every time is the median of RUNS timed runs after WARMUP untimed
# ones; "range" is the fastest and the slowest timed run. Wall time is taken with bash's
# $EPOCHREALTIME around `/usr/bin/time -f '%e %M' CMD` (so it includes starting /usr/bin/time,
# well under a millisecond); peak RSS is /usr/bin/time's %M (maximum resident set, KiB), median of
# the timed runs. MB are 10^6 bytes of input. buttress exits 1 when there are findings: 0 and 1 are
# accepted, anything else stops the script with the command's standard error.
#
# Environment (each has a default; --quick changes the defaults marked *):
#   RUNS*             timed runs per command (5; quick 2)
#   WARMUP            untimed runs per command first (1)
#   RESOURCES*        resources of the generated CloudFormation templates (1000000; quick 20000)
#   FILES*            files they are spread over (1000; quick 50)
#   ITEMS*            Config items of the NDJSON stream (sized to about CONFIG_BYTES; quick 20000)
#   CONFIG_BYTES      target size of the stream when ITEMS is not given (1000000000)
#   SECTIONS          which sections, space-separated (corpus cfn config stdlib guard)
#   BUTTRESS_CORPUS   the shared corpus (../shared/corpus/aws-cloudformation-templates)
#   BENCH_DIR         generated inputs, outputs and the report (target/bench)
#   CARGO_TARGET_DIR  cargo's target folder (target); use your own when others build in the tree
#   BUTTRESS          a buttress binary to use instead of building target/release/buttress
#   PARSE_ONLY_BIN    a compile_stdlib bench binary to use instead of building it
#   CRITERION_ARGS    extra criterion arguments (quick: --warm-up-time 1 --measurement-time 2)
#   WITH_CFN_GUARD=1  the same as --with-cfn-guard; GUARD_RUNS / GUARD_WARMUP its runs (RUNS / WARMUP)
#   BUTTRESS_TODAY    the date today() returns to rules (2026-12-02, for reproducible findings)
#
# Sections and figures:
#   header    date (UTC), `git rev-parse --short HEAD` (+ "dirty" when the tree differs from it),
#             nproc, load average (/proc/loadavg) at the start and at the end, the rule count
#             (`buttress rules --format json`, length of the list), the parameters above.
#   1 corpus  the .json files of the shared corpus as one explicit list (sorted; skipped with a
#             message when the folder is absent):
#               `buttress check --format json -o /dev/null FILE...` (embedded stdlib, all cores)
#               the parse floor: `BUTTRESS_BENCH_PARSE_ONLY=1 compile_stdlib FILE...` (reads each
#               file and parses it with serde_json::from_slice into Value, one thread, no rules)
#             Figures per command: median seconds, range, inputs/s (files), resources/s, MB/s,
#             findings/s, peak RSS, and the time ratio to the parse floor (check / parse). Resources
#             and findings (fail + unknown; summary.resources, summary.findings) come from one more,
#             untimed run with `-o target/bench/corpus.json`; the floor's rates use the same counts.
#   2 cfn     `gen-bench-inputs.py cfn --resources RESOURCES --files FILES --seed 1` into
#             target/bench/cfn-RESOURCES/ (generated once; regenerated when FILES differs), then the
#             same figures with every finding serialised as JSON (timed to /dev/null, so that the
#             disk is not timed; one untimed run per thread count writes target/bench/out.json):
#               `buttress check --threads 1 --format json -o /dev/null FILE...`
#               `buttress check --threads 2 ...` (and the default, one thread per core, when nproc
#               is not 2), and the parse floor over the same files;
#             plus the 2-thread speedup (median seconds with 1 thread / with 2), the size of
#             out.json, and whether the 1- and 2-thread summaries agree.
#   3 config  `gen-bench-inputs.py config --items ITEMS --seed 1 --accounts 3` (the same bytes,
#             written item by item so memory stays flat) into target/bench/config.ndjson. ITEMS by
#             default = CONFIG_BYTES / bytes per item, measured on 2,000 items numbered from
#             1,000,000. Timed: `buttress check - --input-format ndjson --format ndjson -o /dev/null
#             < config.ndjson`: seconds, items/s, MB/s, peak RSS; and the parse floor of a stream,
#             `BUTTRESS_BENCH_PARSE_ONLY=lines compile_stdlib config.ndjson` (reads it in 1 MiB
#             blocks and parses each line with serde_json::from_slice into Value, one thread).
#   4 stdlib  `cargo bench --bench compile_stdlib -- stdlib/` (criterion, in process): median and
#             95 % interval of stdlib/parse_only and stdlib/load_compile in ms, from
#             $CARGO_TARGET_DIR/criterion/stdlib/<bench>/new/estimates.json (.median, ns).
#   5 guard   only with --with-cfn-guard: `RUNS=GUARD_RUNS WARMUP=GUARD_WARMUP benches/vs-cfn-guard.sh`
#             (buttress vs `cfn-guard validate` over the corpus, hyperfine or a date loop): its
#             medians in ms and the ratio cfn-guard / command.
#
# Full scale is long (each `buttress check` over 1,000,000 resources is run WARMUP + RUNS times per
# row, and the ~1 GB stream likewise): run sections one at a time with SECTIONS if need be. The
# generated inputs stay in BENCH_DIR and are reused. The figures are only as good as the machine is
# quiet: the load average at the start and at the end is in the report.
set -euo pipefail
export LC_ALL=C
# The whole body is one { } group, parsed before it runs: editing the file mid-run is then safe.
{

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
cd "$root"

usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; }

quick=0
guard=${WITH_CFN_GUARD:-0}
install_guard=0
while (($#)); do
  case $1 in
    --quick) quick=1 ;;
    --with-cfn-guard) guard=1 ;;
    --install-cfn-guard) guard=1 install_guard=1 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "bench: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
[[ $guard == 1 ]] || guard=0

if ((quick)); then
  : "${RUNS:=2}" "${RESOURCES:=20000}" "${FILES:=50}" "${ITEMS:=20000}"
  : "${CRITERION_ARGS:=--warm-up-time 1 --measurement-time 2}"
fi
runs=${RUNS:-5}
warmup=${WARMUP:-1}
resources=${RESOURCES:-1000000}
nfiles_gen=${FILES:-1000}
items=${ITEMS:-}
config_bytes=${CONFIG_BYTES:-1000000000}
sections=" ${SECTIONS:-corpus cfn config stdlib guard} "
corpus=${BUTTRESS_CORPUS:-$root/../shared/corpus/aws-cloudformation-templates}
bench=${BENCH_DIR:-$root/target/bench}
criterion_args=${CRITERION_ARGS:-}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}
export BUTTRESS_TODAY=${BUTTRESS_TODAY:-2026-12-02}
((runs >= 1)) || { echo "bench: RUNS must be at least 1" >&2; exit 2; }

mkdir -p "$bench"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
report=$bench/report.md
: >"$work/report"
samples=$work/samples
: >"$samples"

log() { echo "== $*" >&2; }
out() { printf '%s\n' "$@" >>"$work/report"; }
want() { [[ $sections == *" $1 "* ]]; }

# --- helpers in Python: medians, rates, Markdown tables -------------------------------------------
cat >"$work/bench.py" <<'PY'
import json, os, statistics, sys

def samples(path):
    by = {}
    with open(path) as f:
        for line in f:
            name, us, rss = line.split()
            by.setdefault(name, []).append((int(us) / 1e6, int(rss)))
    return by

def fmt(x, digits=3):
    if x is None:
        return "—"
    if x >= 1000:
        return f"{x:,.0f}"
    if x >= 100:
        return f"{x:.1f}"
    return f"{x:.{digits}g}" if x < 1 else f"{x:.2f}"

def table(args):
    # table SAMPLES BASELINE ROW...   ROW = label|name|inputs|bytes|resources|findings (blank = —)
    by = samples(args[0])
    base = args[1]
    rows = [r.split("|") for r in args[2:]]
    def med(name):
        return statistics.median(s for s, _ in by[name])
    print("| command | median s | range s | inputs/s | resources/s | MB/s | findings/s | peak RSS KiB | × parse floor |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for label, name, inputs, nbytes, res, finds in rows:
        if name not in by:
            print(f"| {label} | not run | | | | | | | |")
            continue
        secs = [s for s, _ in by[name]]
        m = statistics.median(secs)
        rss = statistics.median(r for _, r in by[name])
        rate = lambda v: None if v == "" else float(v) / m
        mbs = None if nbytes == "" else float(nbytes) / 1e6 / m
        ratio = f"{m / med(base):.2f}×" if base in by else "—"
        print(f"| {label} | {m:.3f} | {min(secs):.3f}–{max(secs):.3f} | {fmt(rate(inputs))} | "
              f"{fmt(rate(res))} | {fmt(mbs)} | {fmt(rate(finds))} | {rss:,.0f} | {ratio} |")

def ratio(args):
    # ratio SAMPLES A B: median(A) / median(B)
    by = samples(args[0])
    a, b = (statistics.median(s for s, _ in by[n]) for n in args[1:3])
    print(f"{a / b:.2f}")

def summary(args):
    # summary REPORT.json: "inputs documents resources rules findings" (findings = fail + unknown)
    s = json.load(open(args[0]))["summary"]
    f = s["findings"]
    print(s["inputs"], s["documents"], s["resources"], s["rules"], f["fail"] + f["unknown"])

def count_rules(args):
    print(len(json.load(sys.stdin)))

def executable(args):
    # cargo --message-format json on stdin: the newest executable of target ARG
    path = ""
    for line in sys.stdin:
        try:
            m = json.loads(line)
        except ValueError:
            continue
        if m.get("reason") == "compiler-artifact" and m.get("target", {}).get("name") == args[0] and m.get("executable"):
            path = m["executable"]
    print(path)

def load_gen(path):
    import importlib.util
    spec = importlib.util.spec_from_file_location("gen_bench_inputs", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod

def config_stream(args):
    # config_stream GEN ITEMS SEED ACCOUNTS OUT [FIRST]: the bytes of `GEN config`, item by item
    # (the generator keeps every item in memory first). FIRST > 0 numbers a sample from FIRST.
    import random
    gen = load_gen(args[0])
    n, seed, accounts, out = int(args[1]), int(args[2]), int(args[3]), args[4]
    first = int(args[5]) if len(args) > 5 else 0
    rng = random.Random(seed)
    accts = [f"{100000000000 + 111111111 * k:012d}" for k in range(1, accounts + 1)]
    with open(out, "w") as f:
        for i in range(first, first + n):
            f.write(json.dumps(gen.config_item(rng, i, accts), separators=(",", ":")))
            f.write("\n")

def criterion(args):
    # criterion DIR NEWER: a table of DIR/*/new/estimates.json written after file NEWER
    d, newer = args
    t0 = os.path.getmtime(newer)
    print("| bench | median ms | 95 % interval ms |")
    print("|---|---:|---:|")
    found = False
    for name in sorted(os.listdir(d)) if os.path.isdir(d) else []:
        p = os.path.join(d, name, "new", "estimates.json")
        if not os.path.exists(p) or os.path.getmtime(p) < t0:
            continue
        m = json.load(open(p))["median"]
        ci = m["confidence_interval"]
        print(f"| `stdlib/{name}` | {m['point_estimate'] / 1e6:.2f} | "
              f"{ci['lower_bound'] / 1e6:.2f}–{ci['upper_bound'] / 1e6:.2f} |")
        found = True
    if not found:
        print("| (no fresh estimates.json found) | | |")

globals()[sys.argv[1]](sys.argv[2:])
PY
py() { python3 "$work/bench.py" "$@"; }

# measure NAME CMD...: WARMUP + RUNS runs; appends "NAME microseconds peak-RSS-KiB" per timed run.
# Standard input is $STDIN_FILE when set, otherwise /dev/null. Exit 0 and 1 are accepted.
measure() {
  local name=$1 i rc t0 t1 rss
  shift
  for ((i = 0; i < warmup + runs; i++)); do
    rc=0
    t0=$EPOCHREALTIME
    /usr/bin/time -o "$work/time" -f '%e %M' "$@" <"${STDIN_FILE:-/dev/null}" \
      >"$work/$name.out" 2>"$work/$name.err" || rc=$?
    t1=$EPOCHREALTIME
    if ((rc > 1)); then
      echo "bench: $name exited $rc: $*" | cut -c1-300 >&2
      tail -20 "$work/$name.err" >&2
      exit 2
    fi
    rss=$(tail -1 "$work/time" | awk '{ print $2 }')
    local us=$((${t1/./} - ${t0/./}))
    if ((i < warmup)); then
      log "$name: warm-up $((i + 1))/$warmup $(awk -v u="$us" 'BEGIN { printf "%.3f", u / 1e6 }') s"
      continue
    fi
    echo "$name $us $rss" >>"$samples"
    log "$name: run $((i + 1 - warmup))/$runs $(awk -v u="$us" 'BEGIN { printf "%.3f", u / 1e6 }') s, $rss KiB"
  done
}

# parse_floor NAME FILE...: the parse-only baseline, which must parse every file (every line of
# each file with PARSE_MODE=lines).
parse_floor() {
  local name=$1
  shift
  BUTTRESS_BENCH_PARSE_ONLY=${PARSE_MODE:-1} measure "$name" "$parse_only" "$@"
  if ! grep -q ' 0 failed$' "$work/$name.out"; then
    echo "bench: the parse floor failed on some files: $(cat "$work/$name.out")" >&2
    exit 2
  fi
}

bytes_of() { xargs -a "$1" cat | wc -c; }
commas() { sed ':a;s/\B[0-9]\{3\}\>/,&/;ta' <<<"$1"; }

# --- builds --------------------------------------------------------------------------------------
start_load=$(cut -d' ' -f1-3 /proc/loadavg)
touch "$work/start"
if [[ -n ${BUTTRESS:-} ]]; then
  buttress=$BUTTRESS
else
  log "cargo build --release (CARGO_TARGET_DIR=$CARGO_TARGET_DIR)"
  cargo build --release --quiet
  buttress=$CARGO_TARGET_DIR/release/buttress
fi
[[ -x $buttress ]] || { echo "bench: no buttress binary at $buttress" >&2; exit 2; }
parse_only=${PARSE_ONLY_BIN:-}
if [[ -z $parse_only ]] && { want corpus || want cfn || want config; }; then
  log "cargo bench --bench compile_stdlib --no-run (the parse floor)"
  parse_only=$(cargo bench --bench compile_stdlib --no-run --message-format json --quiet | py executable compile_stdlib)
  [[ -x $parse_only ]] || { echo "bench: could not build the compile_stdlib bench binary" >&2; exit 2; }
fi

# --- header --------------------------------------------------------------------------------------
rev=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD 2>/dev/null || rev="$rev (dirty)"
nrules=$("$buttress" rules --format json | py count_rules)
out "# buttress benchmarks" ""
out "$(date -u '+%Y-%m-%d %H:%M UTC') · commit $rev · $("$buttress" --version) · $(nproc) cores · load average $start_load at the start · $nrules rules (embedded stdlib)" ""
out "RUNS=$runs timed runs after WARMUP=$warmup per command; medians. BUTTRESS_TODAY=$BUTTRESS_TODAY.$( ((quick)) && echo ' **--quick: small scale, a smoke test, not figures to quote.**')" ""

# --- 1. shared corpus ----------------------------------------------------------------------------
if want corpus; then
  out "## 1. Shared corpus" ""
  if [[ ! -d $corpus ]]; then
    log "corpus: skipped, no folder at $corpus"
    out "Skipped: no corpus folder at \`$corpus\` (set BUTTRESS_CORPUS)." ""
  else
    find "$corpus" -type f -name '*.json' | sort >"$work/corpus.list"
    mapfile -t cfiles <"$work/corpus.list"
    cbytes=$(bytes_of "$work/corpus.list")
    log "corpus: ${#cfiles[@]} files, $cbytes bytes"
    rc=0
    "$buttress" check -q --format json -o "$bench/corpus.json" "${cfiles[@]}" 2>"$work/corpus-report.err" || rc=$?
    ((rc <= 1)) || { echo "bench: buttress check on the corpus exited $rc" >&2; tail -20 "$work/corpus-report.err" >&2; exit 2; }
    read -r c_inputs c_docs c_res c_rules c_find < <(py summary "$bench/corpus.json")
    measure corpus-check "$buttress" check -q --format json -o /dev/null "${cfiles[@]}"
    parse_floor corpus-parse "${cfiles[@]}"
    out "${#cfiles[@]} \`.json\` files of \`${corpus#"$root/"}\`, $(commas "$cbytes") bytes, passed as one explicit list;" \
      "buttress's report: $(commas "$c_inputs") inputs, $(commas "$c_docs") documents, $(commas "$c_res") resources, $c_rules rules, $(commas "$c_find") findings (fail + unknown)." ""
    py table "$samples" corpus-parse \
      "\`buttress check --format json -o /dev/null\` (all cores)|corpus-check|${#cfiles[@]}|$cbytes|$c_res|$c_find" \
      "parse floor (\`serde_json::from_slice\` to \`Value\`, 1 thread)|corpus-parse|${#cfiles[@]}|$cbytes|$c_res|" >>"$work/report"
    out ""
  fi
fi

# --- 2. generated CloudFormation -----------------------------------------------------------------
if want cfn; then
  gdir=$bench/cfn-$resources
  stamp="resources=$resources files=$nfiles_gen seed=1"
  if [[ ! -f $gdir.stamp || $(cat "$gdir.stamp") != "$stamp" ]]; then
    log "generating $resources resources in $nfiles_gen files into $gdir"
    rm -rf "$gdir" "$gdir.stamp"
    python3 scripts/gen-bench-inputs.py cfn --resources "$resources" --files "$nfiles_gen" --seed 1 "$gdir"
    echo "$stamp" >"$gdir.stamp"
  else
    log "reusing $gdir ($stamp)"
  fi
  find "$gdir" -type f -name 't*.json' | sort >"$work/cfn.list"
  mapfile -t gfiles <"$work/cfn.list"
  gbytes=$(bytes_of "$work/cfn.list")
  log "cfn: ${#gfiles[@]} files, $gbytes bytes"
  outjson=$bench/out.json
  summary_of() { python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))["summary"], sort_keys=True))' "$1"; }
  # Untimed: the report of each thread count, for the counts and to compare the two. The timed
  # runs write every finding to /dev/null: serialised all the same, without timing the disk.
  log "cfn: the reports of --threads 1 and --threads 2 (untimed)"
  "$buttress" check -q --threads 2 --format json -o "$outjson" "${gfiles[@]}" || true
  sum2=$(summary_of "$outjson")
  "$buttress" check -q --threads 1 --format json -o "$outjson" "${gfiles[@]}" || true
  read -r g_inputs g_docs g_res g_rules g_find < <(py summary "$outjson")
  sum1=$(summary_of "$outjson")
  rows=()
  measure cfn-threads1 "$buttress" check -q --threads 1 --format json -o /dev/null "${gfiles[@]}"
  measure cfn-threads2 "$buttress" check -q --threads 2 --format json -o /dev/null "${gfiles[@]}"
  if [[ $(nproc) != 2 ]]; then
    measure cfn-default "$buttress" check -q --format json -o /dev/null "${gfiles[@]}"
    rows+=("\`buttress check --format json -o /dev/null\` (all $(nproc) cores)|cfn-default|${#gfiles[@]}|$gbytes|$g_res|$g_find")
  fi
  outbytes=$(wc -c <"$outjson")
  parse_floor cfn-parse "${gfiles[@]}"
  out "## 2. Generated CloudFormation" ""
  out "\`gen-bench-inputs.py cfn --resources $resources --files $nfiles_gen --seed 1\`: $(commas "${#gfiles[@]}") files, $(commas "$gbytes") bytes in \`${gdir#"$root/"}/\`;" \
    "buttress's report: $(commas "$g_res") resources, $g_rules rules, $(commas "$g_find") findings (fail + unknown), $(commas "$outbytes") bytes of JSON (\`${outjson#"$root/"}\`, from an untimed run; the timed runs serialise every finding to \`/dev/null\`)." ""
  py table "$samples" cfn-parse \
    "\`buttress check --threads 1 --format json -o /dev/null\`|cfn-threads1|${#gfiles[@]}|$gbytes|$g_res|$g_find" \
    "\`buttress check --threads 2 --format json -o /dev/null\`|cfn-threads2|${#gfiles[@]}|$gbytes|$g_res|$g_find" \
    "${rows[@]}" \
    "parse floor (\`serde_json::from_slice\` to \`Value\`, 1 thread)|cfn-parse|${#gfiles[@]}|$gbytes|$g_res|" >>"$work/report"
  out "" "2-thread speedup (median with \`--threads 1\` ÷ with \`--threads 2\`): **$(py ratio "$samples" cfn-threads1 cfn-threads2)×**."
  if [[ $sum1 == "$sum2" ]]; then
    out "The summaries of the 1- and 2-thread runs are identical." ""
  else
    out "**The summaries of the 1- and 2-thread runs differ.**" ""
  fi
fi

# --- 3. Config NDJSON stream ---------------------------------------------------------------------
if want config; then
  cfile=$bench/config.ndjson
  if [[ -z $items ]]; then
    py config_stream scripts/gen-bench-inputs.py 2000 1 3 "$work/sample.ndjson" 1000000
    per_item=$(awk -v b="$(wc -c <"$work/sample.ndjson")" 'BEGIN { printf "%.1f", b / 2000 }')
    items=$(awk -v t="$config_bytes" -v p="$per_item" 'BEGIN { printf "%d", t / p }')
    log "config: $per_item bytes per item; $items items for about $config_bytes bytes"
  fi
  stamp="items=$items seed=1 accounts=3"
  if [[ ! -f $cfile.stamp || $(cat "$cfile.stamp") != "$stamp" ]]; then
    # The streamed writer must give the generator's bytes: compare on a small count first.
    python3 scripts/gen-bench-inputs.py config --items 300 --seed 1 --accounts 3 "$work/ref.ndjson"
    py config_stream scripts/gen-bench-inputs.py 300 1 3 "$work/stream.ndjson"
    cmp -s "$work/ref.ndjson" "$work/stream.ndjson" || {
      echo "bench: the streamed Config writer no longer matches gen-bench-inputs.py config" >&2
      exit 2
    }
    log "generating $items Config items into $cfile"
    rm -f "$cfile" "$cfile.stamp"
    py config_stream scripts/gen-bench-inputs.py "$items" 1 3 "$cfile"
    echo "$stamp" >"$cfile.stamp"
  else
    log "reusing $cfile ($stamp)"
  fi
  cbytes=$(wc -c <"$cfile")
  STDIN_FILE=$cfile measure config-ndjson "$buttress" check -q - --input-format ndjson --format ndjson -o /dev/null
  PARSE_MODE=lines parse_floor config-parse "$cfile"
  out "## 3. Config NDJSON stream" ""
  out "\`gen-bench-inputs.py config --items $items --seed 1 --accounts 3\`: $(commas "$cbytes") bytes in \`${cfile#"$root/"}\`, one configuration item per line (resources/s = items/s)." ""
  py table "$samples" config-parse \
    "\`buttress check - --input-format ndjson --format ndjson -o /dev/null < config.ndjson\`|config-ndjson||$cbytes|$items|" \
    "parse floor (each line through \`serde_json::from_slice\` to \`Value\`, 1 thread)|config-parse||$cbytes|$items|" >>"$work/report"
  out ""
fi

# --- 4. stdlib load and compile ------------------------------------------------------------------
if want stdlib; then
  log "cargo bench --bench compile_stdlib -- stdlib/ $criterion_args"
  touch "$work/criterion-start"
  # shellcheck disable=SC2086
  cargo bench --bench compile_stdlib -- stdlib/ $criterion_args >"$work/criterion.log" 2>&1 || {
    echo "bench: cargo bench failed:" >&2
    tail -30 "$work/criterion.log" >&2
    exit 2
  }
  grep -E '^stdlib:' "$work/criterion.log" >&2 || true
  out "## 4. Stdlib load and compile (criterion, in process)" ""
  out "\`cargo bench --bench compile_stdlib -- stdlib/${criterion_args:+ $criterion_args}\`; $(grep -E '^stdlib:' "$work/criterion.log" | head -1 || echo 'stdlib: ?')." ""
  py criterion "$CARGO_TARGET_DIR/criterion/stdlib" "$work/criterion-start" >>"$work/report"
  out ""
fi

# --- 5. vs cfn-guard -----------------------------------------------------------------------------
if want guard && ((guard)); then
  if ((install_guard)) && ! command -v cfn-guard >/dev/null && [[ ! -x $HOME/.cargo/bin/cfn-guard ]]; then
    log "cargo install cfn-guard --locked"
    cargo install cfn-guard --locked >&2
  fi
  log "benches/vs-cfn-guard.sh"
  out "## 5. buttress vs cfn-guard (\`benches/vs-cfn-guard.sh\`)" ""
  rc=0
  RUNS=${GUARD_RUNS:-$runs} WARMUP=${GUARD_WARMUP:-$warmup} benches/vs-cfn-guard.sh >"$work/guard.out" 2>"$work/guard.err" || rc=$?
  cat "$work/guard.err" >&2
  if ((rc != 0)); then
    out "vs-cfn-guard.sh failed (exit $rc): \`$(tail -1 "$work/guard.err")\`" ""
  elif grep -q SKIPPED "$work/guard.err"; then
    out "Skipped: $(grep SKIPPED "$work/guard.err" | sed 's/^vs-cfn-guard: SKIPPED — //')" ""
  else
    out "RUNS=${GUARD_RUNS:-$runs}, WARMUP=${GUARD_WARMUP:-$warmup}; $(grep -m1 -E 'hyperfine not found' "$work/guard.err" >/dev/null && echo 'date +%s%N loop' || echo hyperfine); $(grep -m1 '^== corpus' "$work/guard.err" | sed 's/^== //')." ""
    out "| command | median ms | cfn-guard ÷ command |" "|---|---:|---:|"
    awk '/^command/ { t = 1; next } t && NF == 3 { printf "| %s | %s | %s |\n", $1, $2, $3 } t && NF == 0 { exit }' \
      "$work/guard.out" >>"$work/report"
    out "" "$(grep '^buttress:' "$work/guard.out" || true)" ""
  fi
elif want guard; then
  out "## 5. buttress vs cfn-guard" "" "Not run (pass --with-cfn-guard or WITH_CFN_GUARD=1)." ""
fi

out "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
cp "$work/report" "$report"
cat "$report"
log "report written to $report"
exit 0
}
