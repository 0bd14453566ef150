//! `buttress review` end to end over `examples/review/`: the Markdown and JSON reports and the
//! milestone comparison are golden files under `tests/review/` (`BLESS=1` rewrites them), the
//! risk counts are checked by hand below, and the review's errors exit 2 with their codes.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn buttress(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_buttress"))
        .env("BUTTRESS_TODAY", "2026-12-02")
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run buttress");
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (
        out.status.code().unwrap_or(-1),
        text(&out.stdout),
        text(&out.stderr),
    )
}

/// Compare with a golden file, or write it under `BLESS=1`.
#[track_caller]
fn golden(name: &str, actual: &str) {
    let path = root().join("tests/review").join(name);
    if std::env::var_os("BLESS").is_some_and(|v| !v.is_empty() && v != "0") {
        std::fs::write(&path, actual).expect("write the golden file");
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (BLESS=1 writes it)", path.display()));
    if expected != actual {
        let first = expected
            .lines()
            .zip(actual.lines())
            .position(|(e, a)| e != a)
            .unwrap_or(expected.lines().count().min(actual.lines().count()));
        panic!(
            "{name} differs from its golden file at line {}:\n- {}\n+ {}\n(BLESS=1 cargo test --test review rewrites it)",
            first + 1,
            expected.lines().nth(first).unwrap_or("<end>"),
            actual.lines().nth(first).unwrap_or("<end>")
        );
    }
}

fn review(format: &str) -> String {
    let (code, out, err) = buttress(
        &root(),
        &[
            "review",
            "examples/review/workload.toml",
            "--format",
            format,
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(err.is_empty(), "{err}");
    out
}

#[test]
fn the_example_review_in_markdown() {
    golden("orders.md", &review("markdown"));
}

#[test]
fn the_example_review_in_json() {
    let out = review("json");
    golden("orders.json", &out);
    // It reads back as a review (milestones rely on it).
    let r: buttress::review::model::Review = serde_json::from_str(&out).expect("a review");
    assert_eq!(r.workload.name, "orders");
}

/// The Tool's headline numbers for the example, worked out by hand from the stacks and the
/// answers in examples/review/workload.toml (question risks count questions, not practices).
#[test]
fn the_example_risk_counts_are_as_worked_out_by_hand() {
    let r: serde_json::Value = serde_json::from_str(&review("json")).unwrap();
    let counts = |v: &serde_json::Value| {
        ["high", "medium", "none", "unanswered", "not_applicable"]
            .map(|k| v[k].as_u64().unwrap_or(99))
    };
    let pillars = r["lenses"][0]["pillars"].as_array().unwrap();
    let by_pillar: Vec<[u64; 5]> = pillars.iter().map(|p| counts(&p["risk_counts"])).collect();
    // Operational excellence, 11 questions:
    //   OPS01 none: all six practices answered yes in the workload file.
    //   OPS02 high: BP01 (high) fails, owner_tags on OrdersKey, OrdersLogs, OrdersTable.
    //   OPS04 high: BP05 met by xray_tracing (the function traces); BP01 fails
    //               (rds_enhanced_monitoring on OrdersDb), BP02 fails (lambda_structured_logs).
    //   OPS05 high: BP05 met by rds_auto_minor_version_upgrade; BP01, BP02 (high) unanswered.
    //   OPS08 high: BP01 fails (no Enhanced Monitoring), BP02 fails (OrdersLogs has no
    //               retention); BP04 (high) unanswered.
    //   OPS03, OPS06, OPS07, OPS09, OPS10, OPS11: no rule selected anything, no answers.
    assert_eq!(by_pillar[0], [4, 0, 1, 6, 0]);
    // Security, 11 questions:
    //   SEC01 high: BP01 answered yes, BP02 (high) unanswered.
    //   SEC02 high: BP03 met (no literal passwords, no secrets in parameters); BP01 (high)
    //               unanswered.
    //   SEC03 high: BP07 met (block public access); BP01 (high) unanswered.
    //   SEC05 high: BP01 met (no public RDS); BP02 (high) unanswered.
    //   SEC08 none: BP01 (key rotation), BP02 (RDS encrypted, TF and CFN), BP04 met by rules,
    //               BP03 answered yes.
    //   SEC09 high: BP02 fails (the bucket allows plain HTTP) although answered yes.
    //   SEC04, SEC06, SEC07, SEC10, SEC11 unanswered.
    assert_eq!(by_pillar[1], [5, 0, 1, 5, 0]);
    // Reliability, 13 questions: REL01 and REL07 high (BP04 / BP01: rds_storage_autoscaling
    // fails on both databases), REL09 high (BP03: OrdersTable has no PITR; BP01: no deletion
    // protection, OrdersBucket unversioned), REL10 high (BP01: OrdersDb is single-AZ); the
    // other 9 unanswered.
    assert_eq!(by_pillar[2], [4, 0, 0, 9, 0]);
    // Performance, 5 questions: PERF01 high (BP01 answered unknown), PERF02 high (BP01 met by
    // current generations, BP04 fails: the function has the minimum memory), PERF03 high (BP03
    // fails: the plan's database has neither Performance Insights nor Enhanced Monitoring),
    // PERF05 high (BP06 met by the Lambda runtime rule, BP01 unanswered); PERF04 unanswered.
    assert_eq!(by_pillar[3], [4, 0, 0, 1, 0]);
    // Cost, 11 questions: COST03 high (BP02 fails on OrdersTable's tags, BP01 unanswered),
    // COST04 high (BP05 met by lifecycle rules, BP01 unanswered), COST06 high (BP03 met by
    // the usage rules, BP01 unanswered), COST07 high (BP01 answered no); the other 7
    // unanswered.
    assert_eq!(by_pillar[4], [4, 0, 0, 7, 0]);
    // Sustainability, 6 questions: SUS01 not applicable (its only practice is answered
    // not_applicable), SUS04 medium (BP03, medium: s3_storage_tiering fails OrdersBucket,
    // whose lifecycle rules expire objects without moving them from S3 Standard; BP02, low,
    // fails on the same bucket), SUS05 medium (BP02 met by Graviton classes, BP01/03/04
    // medium unanswered); the other 3 unanswered.
    assert_eq!(by_pillar[5], [0, 2, 0, 3, 1]);
    // The framework lens: the sum, 57 questions.
    assert_eq!(counts(&r["lenses"][0]["risk_counts"]), [21, 2, 2, 31, 1]);
    // The serverless pack, 3 questions, rated by their riskRules:
    //   serverless_ops_observe high: tracing passes, no API to log, log retention fails; no
    //     rule matches but `default`.
    //   serverless_rel_state high: the deletion policies pass, OrdersTable has no PITR.
    //   serverless_perf_runtime none: python3.12 on arm64 passes both rules.
    let serverless = &r["lenses"][1];
    assert_eq!(serverless["lens_alias"], "serverless");
    assert_eq!(counts(&serverless["risk_counts"]), [2, 0, 1, 0, 0]);
    // The workload: both lenses, 60 questions.
    assert_eq!(counts(&r["risk_counts"]), [23, 2, 3, 31, 1]);
    // SEC09-BP02: the evidence wins over the manual yes, and the report says so.
    let sec09 = &pillars[1]["questions"][8]["best_practices"][1];
    assert_eq!(sec09["id"], "SEC09-BP02");
    assert_eq!(sec09["status"], "not_met");
    assert!(sec09["conflict"]
        .as_str()
        .unwrap()
        .contains("the evidence wins"));
}

#[test]
fn the_terminal_report_leads_with_the_counts_and_the_plan() {
    let out = review("human");
    golden("orders.txt", &out);
    assert!(
        out.starts_with("review of `orders` (production · eu-west-1)\n"),
        "{out}"
    );
    assert!(
        out.contains("  total                      21      2    2         31    1\n"),
        "{out}"
    );
    assert!(
        out.contains(
            "   1. REL09-BP01 Back up all data that needs it, or be able to rebuild it (high risk, not met, 4 resources)"
        ),
        "{out}"
    );
    assert!(
        out.contains("SEC09-BP02: answered `yes` by a person"),
        "{out}"
    );
}

#[test]
fn the_example_milestones_compare() {
    let (code, out, err) = buttress(
        &root(),
        &[
            "review",
            "examples/review/workload.toml",
            "--compare",
            "first review",
            "before launch",
        ],
    );
    assert_eq!(code, 0, "{err}");
    golden("compare.md", &out);
}

fn scratch(test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("review")
        .join(test);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create a scratch folder");
    dir
}

#[test]
fn a_milestone_is_saved_beside_the_workload() {
    let dir = scratch("milestone");
    std::fs::write(
        dir.join("workload.toml"),
        "name = \"w\"\n[answers.OPS01-BP01]\nanswer = \"yes\"\n",
    )
    .unwrap();
    let (code, _, err) = buttress(&dir, &["review", "--milestone", "Go live!"]);
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(dir.join("milestones/go-live.json")).expect("saved");
    let snap: buttress::review::milestone::Snapshot = serde_json::from_str(&text).unwrap();
    assert_eq!(snap.milestone, "Go live!");
    assert_eq!(snap.review.risk_counts.high, 1);
    assert_eq!(snap.review.risk_counts.unanswered, 56);
    let (code, out, err) = buttress(&dir, &["review", "--compare", "go live", "Go live!"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("### Fixed (0)"), "{out}");
}

#[test]
fn review_errors_exit_2_with_their_codes() {
    let dir = scratch("errors");
    let (code, _, err) = buttress(&dir, &["review"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("error[B1006]: cannot read `workload.toml`"),
        "{err}"
    );
    std::fs::write(dir.join("workload.toml"), "name = \"w\"\n").unwrap();
    let (code, _, err) = buttress(&dir, &["review", "--compare", "a", "b"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("error[B1007]: cannot read milestone `a`"),
        "{err}"
    );
    std::fs::write(dir.join("workload.toml"), "name = \"w\"\nlense = []\n").unwrap();
    let (code, _, err) = buttress(&dir, &["review"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("error[B1002]") && err.contains("did you mean `lenses`?"),
        "{err}"
    );
    std::fs::write(
        dir.join("workload.toml"),
        "name = \"w\"\ninputs = [\"gone\"]\n",
    )
    .unwrap();
    let (code, out, err) = buttress(&dir, &["review"]);
    assert_eq!(code, 2);
    assert!(err.contains("B0601"), "{err}");
    assert!(
        out.starts_with("review of `w`"),
        "the review of what could be read: {out}"
    );
}

#[test]
fn a_custom_lens_is_rated_by_its_risk_rules() {
    let dir = scratch("custom-lens");
    std::fs::copy(
        root().join("tests/review/lenses/org-policy.json"),
        dir.join("org.json"),
    )
    .unwrap();
    let workload = "name = \"w\"\nlenses = [\"org.json\"]\n\
        [choices.own_team]\nanswer = \"yes\"\n[choices.own_oncall]\nanswer = \"yes\"\n";
    std::fs::write(dir.join("workload.toml"), workload).unwrap();
    let (code, out, err) = buttress(&dir, &["review", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    // The lens's overlapping rules are reported as `lens import` reports them.
    assert!(err.contains("warning[B1013]"), "{err}");
    let r: serde_json::Value = serde_json::from_str(&out).unwrap();
    let lens = &r["lenses"][1];
    assert_eq!(lens["lens_alias"], "org.json");
    // own_q1: team and on-call, no runbook: rule 0 needs all three, rule 1 matches: medium.
    let q = &lens["pillars"][0]["questions"][0];
    assert_eq!(q["risk"], "MEDIUM");
    assert_eq!(
        q["selected_choices"],
        serde_json::json!(["own_team", "own_oncall"])
    );
    // sec_org_q1: nothing known.
    assert_eq!(lens["pillars"][1]["questions"][0]["risk"], "UNANSWERED");
    std::fs::write(
        dir.join("workload.toml"),
        workload.replace("own_oncall", "own_oncal"),
    )
    .unwrap();
    let (code, _, err) = buttress(&dir, &["review"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("error[B1003]: unknown choice `own_oncal`"),
        "{err}"
    );
    assert!(err.contains("did you mean `own_oncall`?"), "{err}");
}

/// `--format wa-answers`: one UpdateAnswer body per question with anything known, within the
/// Tool's limits, selecting only what the evidence or a person supports.
#[test]
fn the_example_as_update_answer_bodies() {
    let out = review("wa-answers");
    golden("orders.wa-answers.json", &out);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let answers = v["answers"].as_array().unwrap();
    // 26 answered framework questions (57 less the 31 unanswered) and the 3 of the
    // serverless pack.
    assert_eq!(answers.len(), 29);
    let fw = buttress::review::framework::Framework::embedded();
    for a in answers
        .iter()
        .filter(|a| a["lens_alias"] == "wellarchitected")
    {
        let body = &a["body"];
        let q = fw
            .question(a["question_id"].as_str().unwrap())
            .expect("a Tool question id");
        let q = &fw.questions[q];
        assert!(body["Notes"].as_str().unwrap().chars().count() <= 2084);
        for c in body["SelectedChoices"].as_array().unwrap() {
            let c = c.as_str().unwrap();
            assert!(
                c == q.none_choice || q.practices.iter().any(|&p| fw.practices[p].choice_id == c),
                "{c} is not a choice of {}",
                q.tool_id
            );
        }
        for (c, u) in body["ChoiceUpdates"].as_object().unwrap() {
            assert!(q.practices.iter().any(|&p| fw.practices[p].choice_id == *c));
            assert!(u["Notes"].as_str().map_or(0, |n| n.chars().count()) <= 250);
        }
    }
    // SEC09: the manual yes is not selected, because the evidence says otherwise.
    let sec09 = answers
        .iter()
        .find(|a| a["question_id"] == "protect-data-transit")
        .unwrap();
    assert_eq!(sec09["body"]["SelectedChoices"], serde_json::json!([]));
    assert!(sec09["body"]["Notes"]
        .as_str()
        .unwrap()
        .contains("stacks/api.json:12"));
}

#[test]
fn list_answers_are_imported_into_the_workload_file() {
    let dir = scratch("import");
    let workload = "name = \"w\"\n\n[answers.OPS01-BP01]\nanswer = \"no\"\n";
    std::fs::write(dir.join("workload.toml"), workload).unwrap();
    let list = serde_json::json!({
        "WorkloadId": "0123456789abcdef",
        "LensAlias": "wellarchitected",
        "AnswerSummaries": [
            {
                "QuestionId": "priorities",
                "PillarId": "operationalExcellence",
                "SelectedChoices": ["ops_priorities_ext_cust_needs", "ops_priorities_int_cust_needs"],
                "ChoiceAnswerSummaries": [],
                "IsApplicable": true,
                "Risk": "HIGH"
            },
            { "QuestionId": "securely-operate", "SelectedChoices": [], "IsApplicable": true, "Risk": "UNANSWERED" }
        ]
    });
    std::fs::write(dir.join("tool.json"), list.to_string()).unwrap();
    let (code, _, err) = buttress(&dir, &["review", "--import-answers", "tool.json"]);
    assert_eq!(code, 0, "{err}");
    // OPS01 has six practices; OPS01-BP01 was answered in the file and keeps its answer.
    assert!(err.contains("imported 5 answers"), "{err}");
    assert!(
        err.contains("1 practices it already answered were kept"),
        "{err}"
    );
    let text = std::fs::read_to_string(dir.join("workload.toml")).unwrap();
    assert!(text.starts_with(workload), "the file's own text is kept");
    assert!(text.contains("[answers.OPS01-BP02]\nanswer = \"yes\"\nby = \"Well-Architected Tool\""));
    assert!(text.contains("[answers.OPS01-BP03]\nanswer = \"no\""));
    let (code, out, err) = buttress(&dir, &["review", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let r: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(r["checked"]["from_people"], 6);
    // A second import adds nothing.
    let (_, _, err) = buttress(&dir, &["review", "--import-answers", "tool.json"]);
    assert!(err.contains("imported 0 answers"), "{err}");
    std::fs::write(
        dir.join("bad.json"),
        "{\"LensAlias\": \"serverless\", \"AnswerSummaries\": []}",
    )
    .unwrap();
    let (code, _, err) = buttress(&dir, &["review", "--import-answers", "bad.json"]);
    assert_eq!(code, 2);
    assert!(err.contains("error[B1009]"), "{err}");
}

#[test]
fn init_writes_a_workload_file_for_the_inputs_it_finds() {
    let dir = scratch("init");
    for sub in ["stacks", "plans"] {
        std::fs::create_dir_all(dir.join(sub)).unwrap();
    }
    std::fs::copy(
        root().join("examples/review/stacks/api.json"),
        dir.join("stacks/api.json"),
    )
    .unwrap();
    std::fs::copy(
        root().join("examples/review/plans/reports.json"),
        dir.join("plans/reports.json"),
    )
    .unwrap();
    let (code, _, err) = buttress(&dir, &["init", "--name", "shop"]);
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(dir.join("workload.toml")).unwrap();
    assert!(text.contains("name = \"shop\"\n"), "{text}");
    assert!(
        text.contains("inputs = [\"plans\", \"stacks\"]\n"),
        "{text}"
    );
    // What it writes is a workload the review reads.
    let (code, out, err) = buttress(&dir, &["review"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("checked 2 inputs (5 resources)"), "{out}");
    let (code, _, err) = buttress(&dir, &["init"]);
    assert_eq!(code, 2);
    assert!(err.contains("error[B1008]"), "{err}");
    let (code, _, _) = buttress(&dir, &["init", "--force"]);
    assert_eq!(code, 0);
}
