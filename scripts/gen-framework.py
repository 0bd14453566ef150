#!/usr/bin/env python3
"""Regenerates data/wellarchitected.tsv, the framework lens as buttress embeds it.

Input: data/best-practices.tsv (framework ids, pillars, questions, risks, links).
Output: one row per best practice with the Well-Architected Tool's ids added:
the question id (`QuestionId`), the choice id (`ChoiceId`), and the question's
"none of these" choice (`<prefix>_no`), plus question titles in our own words.

Where the ids come from:
- A choice id is the page name of the practice's link (the framework documents each
  practice on `<choice id>.html`), except where AWS renamed the page after the Tool's
  id was fixed; CHOICE_OVERRIDES lists those.
- A question id is the choice ids' common prefix without the pillar prefix, with `_`
  written `-` (`sec_securely_operate_*` -> `securely-operate`); sustainability keeps
  `_` (`sus_region`). QUESTION_OVERRIDES lists the questions whose Tool id differs.
- Cross-checked against open mappings that carry the Tool's ids: Steampipe's
  well-architected mod (turbot/steampipe-mod-aws-well-architected, `question_id` and
  `choice_id` tags: REL01-REL13, SEC01-SEC11, SUS01-SUS06), and AWS sample code that
  lists the `wellarchitected` lens questions with `QuestionId`/`ChoiceId` (COST, OPS,
  PERF, REL01-REL02, SEC01-03, SEC05-07, SEC11). Every question id was found in one of
  them; see docs/review.md. A sample of 41 choice ids was also found verbatim: 31 (COST, OPS,
  PERF, REL01) among that AWS sample's `ChoiceId`s, 10 (SEC01-03, SEC06, SEC07, SEC10,
  REL06, REL13) among Steampipe's `choice_id` tags.
- Titles: questions (QUESTION_TITLES below) and practices (data/practice-titles.tsv) are in
  our own words; the framework's names stay on the linked pages.

Run: python3 scripts/gen-framework.py  (from the repository root); with --check it writes
nothing and exits 1 when data/wellarchitected.tsv is not what it would write.
"""

import csv
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = os.path.join(ROOT, "data", "best-practices.tsv")
TITLES = os.path.join(ROOT, "data", "practice-titles.tsv")
OUT = os.path.join(ROOT, "data", "wellarchitected.tsv")

# Page renamed after the Tool's choice id was fixed (Steampipe mod SEC05, AWS samples).
CHOICE_OVERRIDES = {
    "SEC05-BP04": "sec_network_protection_auto_protect",
}

# (Tool question id, choice prefix) where the derivation gives something else.
QUESTION_OVERRIDES = {
    "SEC05": ("network-protection", "sec_network_protection"),
    "SEC11": ("application-security", "sec_appsec"),
    "PERF01": ("performing-architecture", "perf_architecture"),
    "PERF03": ("data-management", "perf_data"),
    "COST10": ("evaluate-new-services", "cost_evaluate_new_services"),
    "COST11": ("evaluate-cost-effort", "cost_evaluate_cost_effort"),
}

# Each question, said in our own words.
QUESTION_TITLES = {
    "OPS01": "How do you decide what matters most?",
    "OPS02": "How is the organisation set up to support its business outcomes?",
    "OPS03": "How does the culture support those outcomes?",
    "OPS04": "How is observability built into the workload?",
    "OPS05": "How do you cut defects, ease fixes and speed changes into production?",
    "OPS06": "How do you reduce the risk of deployments?",
    "OPS07": "How do you know the workload is ready to be supported?",
    "OPS08": "How do you use what the workload's telemetry tells you?",
    "OPS09": "How do you know how operations are doing?",
    "OPS10": "How do you handle events and incidents?",
    "OPS11": "How do operations keep improving?",
    "SEC01": "How do you run the workload securely?",
    "SEC02": "How are identities of people and machines managed?",
    "SEC03": "How are permissions of people and machines managed?",
    "SEC04": "How do you detect and investigate security events?",
    "SEC05": "How is the network protected?",
    "SEC06": "How is compute protected?",
    "SEC07": "How is data classified?",
    "SEC08": "How is data at rest protected?",
    "SEC09": "How is data in transit protected?",
    "SEC10": "How do you prepare for and respond to incidents?",
    "SEC11": "How is security built into the application's life cycle?",
    "REL01": "How are service quotas and constraints managed?",
    "REL02": "How is the network topology planned?",
    "REL03": "How is the service architecture designed?",
    "REL04": "How do interactions in a distributed system avoid failures?",
    "REL05": "How do interactions in a distributed system limit the effect of failures?",
    "REL06": "How are workload resources monitored?",
    "REL07": "How does the workload adapt to changes in demand?",
    "REL08": "How are changes carried out?",
    "REL09": "How is data backed up?",
    "REL10": "How does fault isolation protect the workload?",
    "REL11": "How does the workload withstand component failures?",
    "REL12": "How is reliability tested?",
    "REL13": "How is disaster recovery planned?",
    "PERF01": "How do you choose cloud resources and architecture patterns?",
    "PERF02": "How do you choose and use compute?",
    "PERF03": "How do you store, manage and reach data?",
    "PERF04": "How do you choose and configure networking?",
    "PERF05": "How do processes and culture support performance?",
    "COST01": "How is cloud financial management practised?",
    "COST02": "How is usage governed?",
    "COST03": "How are usage and cost monitored?",
    "COST04": "How are resources decommissioned?",
    "COST05": "How are services chosen for cost?",
    "COST06": "How are resource type, size and number chosen for cost?",
    "COST07": "How are pricing models used to save?",
    "COST08": "How are data transfer charges planned for?",
    "COST09": "How are demand and supply of resources managed?",
    "COST10": "How are new services evaluated?",
    "COST11": "How is the cost of effort weighed?",
    "SUS01": "How are Regions chosen?",
    "SUS02": "How are resources matched to demand?",
    "SUS03": "How do software and architecture patterns support sustainability?",
    "SUS04": "How do data management policies support sustainability?",
    "SUS05": "How do hardware and services choices support sustainability?",
    "SUS06": "How do development and deployment processes support sustainability?",
}


def page(link):
    name = link.rsplit("/", 1)[-1]
    return name[:-5] if name.endswith(".html") else name


def common_prefix(names):
    parts = [n.split("_") for n in names]
    if len(parts) == 1:
        return "_".join(parts[0][:-1])
    out = []
    for seg in zip(*parts):
        if len(set(seg)) != 1:
            break
        out.append(seg[0])
    return "_".join(out)


def main():
    with open(SRC, newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    titles = {}
    with open(TITLES) as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                pid, title = line.rstrip("\n").split("\t")
                titles[pid] = title
    by_question = {}
    for r in rows:
        r["choice"] = CHOICE_OVERRIDES.get(r["id"], page(r["link"]))
        by_question.setdefault(r["question"], []).append(r)
    out = []
    for q, practices in by_question.items():
        if q in QUESTION_OVERRIDES:
            qid, prefix = QUESTION_OVERRIDES[q]
        else:
            prefix = common_prefix([p["choice"] for p in practices])
            rest = prefix.split("_", 1)[1]
            qid = rest if q.startswith("SUS") else rest.replace("_", "-")
        if q not in QUESTION_TITLES:
            sys.exit(f"no title for {q}")
        for p in practices:
            if not p["choice"].startswith(prefix + "_"):
                sys.exit(f"{p['id']}: {p['choice']} does not start with {prefix}_")
            if p["id"] not in titles:
                sys.exit(f"no title for {p['id']} in data/practice-titles.tsv")
            out.append([p["id"], p["pillar"], q, qid, QUESTION_TITLES[q], p["choice"],
                        prefix + "_no", p["risk"], titles[p["id"]], p["link"]])
    extra = set(titles) - {r["id"] for r in rows}
    if extra:
        sys.exit(f"titles for unknown practices: {sorted(extra)}")
    text = "# Generated by scripts/gen-framework.py from data/best-practices.tsv; do not edit.\n"
    text += "\t".join(["id", "pillar", "question", "question_id", "question_title",
                       "choice_id", "none_choice_id", "risk", "title", "link"]) + "\n"
    text += "".join("\t".join(row) + "\n" for row in out)
    if "--check" in sys.argv:
        with open(OUT) as f:
            if f.read() != text:
                sys.exit("data/wellarchitected.tsv is stale: run python3 scripts/gen-framework.py")
        return
    with open(OUT, "w", newline="") as f:
        f.write(text)


if __name__ == "__main__":
    main()
