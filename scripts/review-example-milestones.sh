#!/usr/bin/env bash
# Regenerates the two milestones of examples/review/: "first review" from an earlier state of
# the workload (the database unencrypted and public, fewer answers), then "before launch"
# from the files as they are. Run from the repository root after a change to the rules or to
# the example; then `BLESS=1 cargo test --test review` rewrites the goldens.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet
bin=target/debug/buttress
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r examples/review/stacks examples/review/plans examples/review/workload.toml "$tmp/"
sed -i 's/StorageEncrypted: true/StorageEncrypted: false/; s/PubliclyAccessible: false/PubliclyAccessible: true/' \
  "$tmp/stacks/data.yaml"
python3 - "$tmp/workload.toml" <<'PY'
import re, sys
path = sys.argv[1]
text = open(path).read()
for practice in ["OPS01-BP03", "OPS01-BP04", "OPS01-BP05", "OPS01-BP06", "SEC08-BP03"]:
    text = re.sub(r"\[answers\." + practice + r"\]\n(?:[^\[\n][^\n]*\n)*\n", "", text)
open(path, "w").write(text)
PY
rm -rf examples/review/milestones
mkdir -p examples/review/milestones
"$bin" review "$tmp/workload.toml" --milestone "first review" > /dev/null
cp "$tmp/milestones/first-review.json" examples/review/milestones/
sleep 1
"$bin" review examples/review/workload.toml --milestone "before launch" > /dev/null
