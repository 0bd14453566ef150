#!/usr/bin/env bash
# Pushes a buttress review into the AWS Well-Architected Tool and saves a milestone there.
#
#   buttress review workload.toml --format wa-answers --output answers.json
#   scripts/wa-push.sh WORKLOAD_ID answers.json "before launch"
#
# Each entry of answers.json is one question: `lens_alias`, `question_id` and `body`, the body
# of the Tool's UpdateAnswer call (SelectedChoices, ChoiceUpdates, Notes, IsApplicable,
# Reason). Needs the AWS CLI v2 and jq, credentials allowed wellarchitected:UpdateAnswer and
# wellarchitected:CreateMilestone, and the workload's lenses already applied in the Tool (a
# custom lens is named by its ARN there: set LENS_ARN_<alias with - and . as _> to map one).
# Not run by the tests.
set -euo pipefail

if [ $# -lt 2 ]; then
  echo "usage: $0 WORKLOAD_ID ANSWERS.json [MILESTONE NAME]" >&2
  exit 2
fi
workload_id=$1
answers=$2
milestone=${3:-}

count=$(jq '.answers | length' "$answers")
for i in $(seq 0 $((count - 1))); do
  alias=$(jq -r ".answers[$i].lens_alias" "$answers")
  question=$(jq -r ".answers[$i].question_id" "$answers")
  var="LENS_ARN_$(echo "$alias" | tr -c 'A-Za-z0-9\n' '_')"
  lens=${!var:-$alias}
  # The body plus the path parameters, as --cli-input-json takes them.
  jq ".answers[$i].body + {WorkloadId: \"$workload_id\", LensAlias: \"$lens\", QuestionId: \"$question\"}" \
    "$answers" > /tmp/wa-push-answer.json
  aws wellarchitected update-answer --cli-input-json file:///tmp/wa-push-answer.json > /dev/null
  echo "answered $lens / $question"
done
rm -f /tmp/wa-push-answer.json

if [ -n "$milestone" ]; then
  aws wellarchitected create-milestone --workload-id "$workload_id" --milestone-name "$milestone" \
    --client-request-token "buttress-$(date +%s)" > /dev/null
  echo "created milestone \"$milestone\""
fi
