#!/usr/bin/env python3
"""Rough agreement check: do `buttress check` and `cfn-guard validate -r benches/guard` flag the
same (rule, resource) pairs?

    benches/guard_agreement.py [--buttress BIN] [--guard BIN] [-v] FILE...
    benches/guard_agreement.py --fixtures [--guard BIN]     # Guard rules vs stdlib fixtures

Each Guard rule in benches/guard/ is named after a buttress rule id with dots turned into
underscores. A buttress finding counts as "flagged" whether it fails or is unknown (Guard has no
unknown: a value it cannot compare fails); the two are counted apart in the output.
"""

import argparse
import json
import os
import re
import subprocess
import sys
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))


def buttress_findings(binary, files):
    out = subprocess.run(
        [binary, "check", "--format", "json", *files], capture_output=True, text=True, check=False
    )
    if out.returncode not in (0, 1):
        sys.exit(f"buttress exited {out.returncode}: {out.stderr[:2000]}")
    report = json.loads(out.stdout)
    flagged = {}
    for f in report["findings"]:
        flagged[(f["file"], f["rule"], f["resource"])] = f["status"]
    return flagged


def guard_rules_failed(binary, path):
    """Names of the Guard rules that fail on one file."""
    out = subprocess.run(
        [binary, "validate", "-r", os.path.join(HERE, "guard"), "-d", path, "-o", "json", "-S", "none"],
        capture_output=True,
        text=True,
        check=False,
    )
    failed = set()
    text, at, dec = out.stdout, 0, json.JSONDecoder()
    while True:
        while at < len(text) and text[at].isspace():
            at += 1
        if at >= len(text):
            break
        doc, at = dec.raw_decode(text, at)
        failed |= {nc["Rule"]["name"] for nc in doc.get("not_compliant", [])}
    return failed


def check_fixtures(binary):
    """Run each Guard rule on the stdlib fixtures of its buttress rule (pass-*, fail-*, unknown-*)."""
    import glob

    root = os.path.join(HERE, "..", "stdlib")
    n = bad = 0
    for path in sorted(glob.glob(os.path.join(root, "*", "fixtures", "*", "*.json"))):
        rule = os.path.basename(os.path.dirname(path))
        kind = os.path.basename(path).split("-")[0]
        failed = rule.replace(".", "_") in guard_rules_failed(binary, path)
        rel = os.path.relpath(path, root)
        n += 1
        if kind == "unknown":
            print(f"unknown fixture, cfn-guard says {'fail' if failed else 'pass'}: {rel}")
        elif failed != (kind == "fail"):
            bad += 1
            print(f"MISMATCH: expected {kind}, cfn-guard says {'fail' if failed else 'pass'}: {rel}")
    print(f"{n} fixtures, {bad} pass/fail mismatches")


def guard_findings(binary, files):
    flagged = set()
    for path in files:
        out = subprocess.run(
            [binary, "validate", "-r", os.path.join(HERE, "guard"), "-d", path, "-o", "json", "-S", "none"],
            capture_output=True,
            text=True,
            check=False,
        )
        if out.returncode not in (0, 19):
            print(f"cfn-guard exited {out.returncode} on {path}: {out.stderr[:500]}", file=sys.stderr)
            continue
        # One JSON document per rules file, one after the other.
        text, at, dec = out.stdout, 0, json.JSONDecoder()
        while True:
            while at < len(text) and text[at].isspace():
                at += 1
            if at >= len(text):
                break
            doc, at = dec.raw_decode(text, at)
            for nc in doc.get("not_compliant", []):
                rule = nc["Rule"]["name"]
                for res in set(re.findall(r'"/Resources/([^/"\[]+)', json.dumps(nc))):
                    flagged.add((path, rule, res))
    return flagged


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--buttress", default=os.path.join(HERE, "..", "target", "release", "buttress"))
    ap.add_argument("--guard", default="cfn-guard")
    ap.add_argument("-v", "--verbose", action="store_true", help="list every difference")
    ap.add_argument("--fixtures", action="store_true", help="check the Guard rules against stdlib fixtures")
    ap.add_argument("files", nargs="*")
    args = ap.parse_args()
    if args.fixtures:
        check_fixtures(args.guard)
        return
    if not args.files:
        ap.error("give the files to compare")

    b = buttress_findings(args.buttress, args.files)
    g = guard_findings(args.guard, args.files)
    ids = {rule for (_, rule, _) in b}
    rules = subprocess.run([args.buttress, "rules"], capture_output=True, text=True).stdout.split()
    ids |= {w for w in rules if w.count(".") == 2 and not w[0].isdigit()}
    to_id = {i.replace(".", "_"): i for i in ids}
    g = {(f, to_id.get(r, "guard:" + r), res) for (f, r, res) in g}

    per_rule = defaultdict(lambda: {"both": 0, "b_fail_only": 0, "b_unknown_only": 0, "g_only": 0, "b_unknown_g": 0})
    diffs = defaultdict(list)
    for key, status in b.items():
        r = per_rule[key[1]]
        if key in g:
            r["both"] += 1
            if status == "unknown":
                r["b_unknown_g"] += 1
        else:
            r["b_unknown_only" if status == "unknown" else "b_fail_only"] += 1
            diffs[key[1]].append(f"  buttress only ({status}): {key[0]} {key[2]}")
    for key in g - set(b):
        per_rule[key[1]]["g_only"] += 1
        diffs[key[1]].append(f"  cfn-guard only: {key[0]} {key[2]}")

    tot = defaultdict(int)
    print(f"{'rule':<62} {'both':>5} {'b-fail':>6} {'b-unk':>6} {'guard':>6}")
    for rule in sorted(per_rule):
        r = per_rule[rule]
        for k, v in r.items():
            tot[k] += v
        print(f"{rule:<62} {r['both']:>5} {r['b_fail_only']:>6} {r['b_unknown_only']:>6} {r['g_only']:>6}")
        if args.verbose:
            for line in sorted(diffs[rule]):
                print(line)
    print(f"{'total':<62} {tot['both']:>5} {tot['b_fail_only']:>6} {tot['b_unknown_only']:>6} {tot['g_only']:>6}")
    print("(both: flagged by both tools, of which buttress 'unknown': %d; b-fail / b-unk: only buttress "
          "flags it, failing / unknown; guard: only cfn-guard flags it)" % tot["b_unknown_g"])


if __name__ == "__main__":
    main()
