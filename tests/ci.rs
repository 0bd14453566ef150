//! Fitting into CI: waivers of every kind with expiry, imported suppressions, unused waivers,
//! baselines, gates, report destinations and the GitHub step summary, through the binary.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const RDS: &str = "security.data_at_rest.rds_storage_encrypted";

/// The example stacks of the README's tour (not the review's workload under examples/review),
/// so that the counts below stay put when other examples are added.
const STACKS: [&str; 5] = [
    "check",
    "examples/insecure-stack.json",
    "examples/secure-stack.json",
    "examples/terraform-plan.json",
    "examples/config-snapshot.json",
];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_buttress"))
        .env("BUTTRESS_TODAY", "2026-12-02")
        .current_dir(root())
        .env("BUTTRESS_TODAY", "2026-12-02")
        .env("NO_COLOR", "1")
        .env_remove("GITHUB_STEP_SUMMARY")
        .args(args)
        .output()
        .expect("the binary runs")
}

fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    })
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// (resource, status, waiver kind) of each finding.
fn statuses(report: &Value) -> Vec<(String, String, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["resource"].as_str().unwrap().to_string(),
                f["status"].as_str().unwrap().to_string(),
                f["waiver"]["kind"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn golden(name: &str, got: &str) {
    let path = root().join("tests/golden/ci").join(name);
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(&path, got).unwrap();
    }
    let want = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(got == want, "{name} differs; BLESS=1 rewrites it\n{got}");
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("ci-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn s(p: &Path) -> String {
    p.display().to_string()
}

fn row(r: &str, st: &str, k: &str) -> (String, String, String) {
    (r.to_string(), st.to_string(), k.to_string())
}

#[test]
fn inline_waivers_expire_need_a_reason_and_import_other_tools_suppressions() {
    let stack = "tests/inputs/ci/waivers-stack.json";
    let base = ["check", stack, "--rule", RDS, "--format", "json"];
    let o = run(&base);
    assert_eq!(
        statuses(&json(&o)),
        vec![
            row("Accepted", "waived", "inline"),
            row("Lapsed", "fail", ""),
            row("Unexplained", "fail", ""),
            row("GuardSuppressed", "fail", ""),
            row("NagSuppressed", "fail", ""),
            row("Plain", "fail", ""),
            row("Malformed", "fail", ""),
        ]
    );
    // The waiver without a reason is an input error; the expired one a warning.
    assert_eq!(o.status.code(), Some(2));
    golden("inline-waivers.stderr", &stderr(&o));
    let r = json(&o);
    assert_eq!(r["summary"]["findings"]["waived"], 1);
    assert_eq!(r["summary"]["findings"]["fail"], 6);
    let w = &r["findings"][0]["waiver"];
    assert_eq!(w["reason"], "holds only public reference data");
    assert_eq!(w["by"], "sec-team@example.com");
    assert_eq!(w["until"], "2027-03-31");

    let mut args = base.to_vec();
    args.extend([
        "--honour-suppressions",
        "guard,cfn-nag",
        "--waivers",
        "tests/inputs/ci/suppressions.toml",
    ]);
    let got = statuses(&json(&run(&args)));
    assert_eq!(got[3], row("GuardSuppressed", "waived", "guard"));
    assert_eq!(got[4], row("NagSuppressed", "waived", "cfn-nag"));
    assert_eq!(got[5], row("Plain", "fail", ""));

    // After the waiver's last day it stops applying, and says so.
    let o = Command::new(env!("CARGO_BIN_EXE_buttress"))
        .env("BUTTRESS_TODAY", "2026-12-02")
        .current_dir(root())
        .env("BUTTRESS_TODAY", "2027-04-01")
        .args(base)
        .output()
        .unwrap();
    assert_eq!(statuses(&json(&o))[0], row("Accepted", "fail", ""));
    assert!(
        stderr(&o).contains("this waiver expired on 2027-03-31"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn terraform_tags_and_waiver_files_waive_and_unused_waivers_warn() {
    let plan = "tests/inputs/ci/tagged-plan.json";
    let waivers = "tests/inputs/ci/waivers.toml";
    let o = run(&["check", plan, "--rule", RDS, "--format", "json"]);
    assert_eq!(
        statuses(&json(&o)),
        vec![
            row("aws_db_instance.reports", "waived", "tag"),
            row("aws_db_instance.orders", "fail", ""),
            row("aws_db_instance.archive", "waived", "tag"),
        ]
    );
    assert_eq!(o.status.code(), Some(1));

    let o = run(&[
        "check",
        plan,
        "--rule",
        RDS,
        "--format",
        "json",
        "--waivers",
        waivers,
    ]);
    assert_eq!(
        statuses(&json(&o))[1],
        row("aws_db_instance.orders", "waived", "file")
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    golden("unused-waiver.stderr", &stderr(&o));

    let o = run(&[
        "check",
        plan,
        "--rule",
        RDS,
        "--waivers",
        waivers,
        "--strict",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("error[B0904]"), "{}", stderr(&o));
    // The human report lists counted findings only and counts the waived ones.
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains(": 0 failing, 0 unknown, 3 waived, 0 passing"),
        "{text}"
    );
}

#[test]
fn a_waiver_file_with_a_bad_date_or_no_reason_is_refused() {
    let dir = scratch("bad-waivers");
    let file = dir.join("w.toml");
    std::fs::write(
        &file,
        "[[waiver]]\nrule = \"x.*\"\nreason = \"r\"\nexpires = \"31/03/2027\"\n\n[[waiver]]\nrule = \"y.*\"\n\n[[waivers]]\nrule = \"z.*\"\nreason = \"misspelt table\"\n",
    )
    .unwrap();
    let o = run(&[
        "check",
        "examples/secure-stack.json",
        "--waivers",
        &s(&file),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o).replace(&s(&dir), "DIR");
    golden("bad-waivers.stderr", &err);
}

#[test]
fn baselines_report_only_new_findings_and_count_the_fixed() {
    let dir = scratch("baseline");
    let stack = dir.join("stack.json");
    let base = dir.join("baseline.json");
    let original = std::fs::read_to_string(root().join("examples/insecure-stack.json")).unwrap();
    std::fs::write(&stack, &original).unwrap();
    let o = run(&[
        "check",
        &s(&stack),
        "--write-baseline",
        &s(&base),
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let before = json(&o)["findings"].as_array().unwrap().len();
    assert!(before > 10);

    // Unchanged: nothing new, nothing fixed, the gate passes.
    let o = run(&["check", &s(&stack), "--baseline", &s(&base)]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    let text = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(
        text.contains(&format!(
            "baseline: {before} known findings left out, 0 fixed since"
        )),
        "{text}"
    );

    // Lines move (the template is rewritten compactly), one finding is fixed, a resource is new.
    let mut t: Value = serde_json::from_str(&original).unwrap();
    t["Resources"]["OrdersDb"]["Properties"]["StorageEncrypted"] = Value::Bool(true);
    t["Resources"]["NewDb"] = serde_json::json!({"Type": "AWS::RDS::DBInstance", "Properties": {"StorageEncrypted": false}});
    std::fs::write(&stack, serde_json::to_string(&t).unwrap()).unwrap();
    let o = run(&[
        "check",
        &s(&stack),
        "--baseline",
        &s(&base),
        "--format",
        "json",
    ]);
    let r = json(&o);
    assert_eq!(r["summary"]["baseline"]["fixed"], 1, "{r:#}");
    assert_eq!(r["summary"]["baseline"]["matched"], before - 1, "{r:#}");
    let new: Vec<&str> = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["resource"].as_str().unwrap())
        .collect();
    assert!(
        !new.is_empty() && new.iter().all(|r| *r == "NewDb"),
        "{new:?}"
    );
    assert_eq!(o.status.code(), Some(1));

    let bad = dir.join("bad.json");
    std::fs::write(&bad, "[1, 2]").unwrap();
    let o = run(&["check", &s(&stack), "--baseline", &s(&bad)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("error[B0905]"), "{}", stderr(&o));
}

#[test]
fn gates_decide_the_exit_code_and_say_what_failed() {
    let gate = |extra: &[&str]| {
        let mut args = STACKS.to_vec();
        args.extend(["--format", "json"]);
        args.extend(extra);
        let o = run(&args);
        let r = json(&o);
        (o.status.code(), r["summary"]["gate"]["failed_by"].clone())
    };
    let (code, why) = gate(&[]);
    assert_eq!(
        (code, why[0].as_str()),
        (Some(1), Some("75 failing findings"))
    );
    assert_eq!(
        gate(&["--fail-on", "never"]),
        (Some(0), serde_json::json!([]))
    );
    let (code, why) = gate(&["--fail-on", "high"]);
    assert_eq!(code, Some(1));
    assert_eq!(
        why[0],
        "14 failing findings of high risk or higher (--fail-on high)"
    );
    let (code, why) = gate(&["--fail-on", "never", "--fail-on-unknown"]);
    assert_eq!(
        (code, why[0].as_str()),
        (Some(1), Some("21 unknown findings (--fail-on-unknown)"))
    );
    let (code, why) = gate(&["--fail-on", "never", "--max-findings", "3"]);
    assert_eq!(
        (code, why[0].as_str()),
        (
            Some(1),
            Some("75 failing findings, more than --max-findings 3")
        )
    );
    assert_eq!(
        gate(&["--fail-on", "never", "--max-findings", "75"]).0,
        Some(0)
    );
    let o = run(&[&STACKS[..], &["--fail-on", "medium"]].concat());
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("failed by: 38 failing findings of medium risk or higher (--fail-on medium)"),
        "{text}"
    );
    let o = run(&[&STACKS[..], &["--fail-on", "critical"]].concat());
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn several_formats_go_to_their_own_files() {
    let dir = scratch("formats");
    let sarif = dir.join("out.sarif");
    let junit = dir.join("out.xml");
    let o = run(&[
        "check",
        "examples/",
        "--format",
        "human",
        "--format",
        &format!("sarif={}", s(&sarif)),
        "--format",
        &format!("junit={}", s(&junit)),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stdout).contains("checked 9 inputs"));
    let log: Value = serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    assert_eq!(log["version"], "2.1.0");
    assert!(std::fs::read_to_string(&junit)
        .unwrap()
        .starts_with("<?xml"));

    let o = run(&[
        "check",
        "examples/",
        "--format",
        "json",
        "--format",
        "sarif",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains(
        "error[B0901]: the json and sarif reports would both be written to standard output"
    ));
    let o = run(&[
        "check",
        "examples/",
        "--format",
        &format!("sarif={}", s(&dir.join("no/such/dir/x.sarif"))),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("error[B0900]: cannot write the sarif report to"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn github_writes_annotations_and_a_step_summary() {
    let dir = scratch("github");
    let summary = dir.join("summary.md");
    std::fs::write(&summary, "earlier step\n").unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_buttress"))
        .env("BUTTRESS_TODAY", "2026-12-02")
        .current_dir(root())
        .env("GITHUB_STEP_SUMMARY", &summary)
        .args([
            "check",
            "examples/insecure-stack.json",
            "--format",
            "github",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let text = std::fs::read_to_string(&summary).unwrap();
    assert!(
        text.starts_with("earlier step\n## buttress: failed\n"),
        "{text}"
    );
    assert!(text.contains("| security |"), "{text}");
}

#[test]
fn ndjson_streams_the_json_reports_findings() {
    let o = run(&["check", "examples/", "--format", "ndjson"]);
    let lines: Vec<Value> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let r = json(&run(&["check", "examples/", "--format", "json"]));
    assert_eq!(&lines, r["findings"].as_array().unwrap());
}

#[test]
fn the_json_report_reads_back_into_its_schema() {
    let o = run(&[
        "check",
        "examples/",
        "--format",
        "json",
        "--include-passing",
    ]);
    let text = String::from_utf8_lossy(&o.stdout);
    let report: buttress::report::schema::JsonReport = serde_json::from_str(&text).unwrap();
    assert_eq!(report.version, buttress::report::schema::SCHEMA_VERSION);
    let passing = report.passing.as_ref().unwrap();
    assert_eq!(passing.len(), report.summary.outcomes.pass);
    let again = serde_json::to_string_pretty(&report).unwrap() + "\n";
    assert_eq!(again, text);
}

fn in_dir(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_buttress"))
        .env("BUTTRESS_TODAY", "2026-12-02")
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn buttress_toml_is_found_upwards_to_the_repository_root_and_sets_the_defaults() {
    let dir = scratch("config");
    let repo = dir.join("repo");
    let sub = repo.join("infra/stacks");
    std::fs::create_dir_all(&sub).unwrap();
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    std::fs::copy(
        root().join("examples/insecure-stack.json"),
        sub.join("stack.json"),
    )
    .unwrap();
    std::fs::write(
        repo.join("buttress.toml"),
        "disable = [\"cost_optimization.*\", \"operational_excellence.*\"]\nfail_on = \"high\"\nformat = [\"json\"]\n\n[[waiver]]\nrule = \"security.*\"\nresource = \"OrdersDb\"\nreason = \"test data only\"\n",
    )
    .unwrap();
    let o = in_dir(&sub, &["check", "stack.json"]);
    let r = json(&o);
    assert!(r["findings"].as_array().unwrap().iter().all(|f| {
        let rule = f["rule"].as_str().unwrap();
        !rule.starts_with("cost_optimization.") && !rule.starts_with("operational_excellence.")
    }));
    assert_eq!(r["summary"]["findings"]["waived"], 2, "{:#}", r["summary"]);
    assert_eq!(
        r["summary"]["gate"]["failed_by"][0],
        "8 failing findings of high risk or higher (--fail-on high)"
    );
    // The command line wins over the file.
    let o = in_dir(
        &sub,
        &[
            "check",
            "stack.json",
            "--fail-on",
            "never",
            "--format",
            "human",
        ],
    );
    assert_eq!(o.status.code(), Some(0));

    // Above the repository root nothing is read.
    std::fs::rename(repo.join("buttress.toml"), dir.join("buttress.toml")).unwrap();
    let o = in_dir(&sub, &["check", "stack.json", "--format", "json"]);
    assert_eq!(json(&o)["summary"]["findings"]["waived"], 0);
    std::fs::remove_file(dir.join("buttress.toml")).unwrap();

    std::fs::write(
        repo.join("buttress.toml"),
        "fail_on = \"high\"\nmax_findigs = 3\n",
    )
    .unwrap();
    let o = in_dir(&sub, &["check", "stack.json"]);
    assert_eq!(o.status.code(), Some(2));
    golden(
        "config-did-you-mean.stderr",
        &stderr(&o).replace(&s(&repo), "REPO"),
    );
}

#[test]
fn yaml_templates_waive_in_metadata_and_the_human_report_lists_waivers() {
    let o = run(&["check", "tests/inputs/ci/waivers-stack.yaml", "--rule", RDS]);
    assert_eq!(o.status.code(), Some(1));
    golden("yaml-waivers.stdout", &String::from_utf8_lossy(&o.stdout));
    golden("yaml-waivers.stderr", &stderr(&o));
}
