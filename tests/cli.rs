//! The command line, as a user runs it: every command, the exit codes, the formats.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_buttress"));
    c.env("BUTTRESS_TODAY", "2026-12-02");
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c.env_remove("NO_COLOR");
    c
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("the binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A fresh folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("cli-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

const RULE: &str = r#"pack org.tags
param required: list = ["owner"]
rule tagged {
  pillar operational_excellence
  practice "OPS02-BP01"
  risk medium
  title "Buckets carry the required tags"
  fix "Add the tags."
  on cloudformation "AWS::S3::Bucket" as b {
    require all t in required : t in b.Tags[*].Key else "{name(b)} lacks one of {required}"
  }
}
"#;

const TAGGED: &str = r#"{"Resources": {"B": {"Type": "AWS::S3::Bucket", "Properties": {"Tags": [{"Key": "owner", "Value": "me"}]}}}}"#;
const UNTAGGED: &str = r#"{"Resources": {"B": {"Type": "AWS::S3::Bucket", "Properties": {}}}}"#;

fn org(name: &str) -> PathBuf {
    let dir = scratch(name);
    std::fs::write(dir.join("tags.btr"), RULE).unwrap();
    std::fs::write(dir.join("tagged.json"), TAGGED).unwrap();
    std::fs::write(dir.join("untagged.json"), UNTAGGED).unwrap();
    dir
}

fn s(p: &Path) -> String {
    p.display().to_string()
}

#[test]
fn check_reports_findings_with_locations_and_exits_1() {
    let o = run(&["check", "examples/insecure-stack.json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("security.data_at_rest.rds_storage_encrypted"),
        "{out}"
    );
    assert!(out.contains("examples/insecure-stack.json:"), "{out}");
    assert!(out.contains("fix:"), "{out}");
    assert!(out.contains("SEC08-BP02"), "{out}");
    assert!(!out.contains('\x1b'), "no colour when not on a terminal");
}

#[test]
fn check_exits_0_when_nothing_fails() {
    let dir = org("pass");
    let o = run(&[
        "check",
        "--no-stdlib",
        "--rules",
        &s(&dir.join("tags.btr")),
        &s(&dir.join("tagged.json")),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("0 failing"));
}

#[test]
fn check_exits_2_on_unreadable_input_but_still_reports_the_rest() {
    let dir = org("partial");
    std::fs::write(dir.join("broken.json"), "{\"Resources\": ").unwrap();
    let o = run(&[
        "check",
        "--no-stdlib",
        "--rules",
        &s(&dir.join("tags.btr")),
        &s(&dir),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("B0602"), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("B lacks one of"),
        "the good inputs are still reported"
    );
    let o = run(&["check", "no/such/file.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("does not exist"));
}

#[test]
fn check_json_report_has_the_documented_fields() {
    let o = run(&["check", "examples/insecure-stack.json", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("valid JSON");
    assert_eq!(v["version"], 1);
    let f = &v["findings"][0];
    for key in [
        "rule",
        "title",
        "pillar",
        "practice",
        "practices",
        "risk",
        "status",
        "file",
        "resource",
        "resource_type",
        "path",
        "line",
        "column",
        "message",
        "fix",
    ] {
        assert!(f.get(key).is_some(), "finding lacks `{key}`: {f}");
    }
    assert!(f["line"].as_u64().unwrap() > 1);
    assert!(
        v["summary"]["by_pillar"]["security"]["high"]["fail"]
            .as_u64()
            .unwrap()
            >= 1
    );
    assert!(v["summary"]["by_risk"]["high"].is_object());
}

#[test]
fn check_reads_stdin_and_writes_output_files() {
    let dir = scratch("stdin");
    let out = dir.join("report.json");
    let mut child = bin()
        .args(["check", "-", "--format", "json", "--output", &s(&out)])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(
            std::fs::read("examples/insecure-stack.json")
                .unwrap()
                .as_slice(),
        )
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty(), "the report went to the file");
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap();
    assert_eq!(v["findings"][0]["file"], "<stdin>");
}

#[test]
fn filters_select_rules() {
    let o = run(&[
        "check",
        "examples/insecure-stack.json",
        "--pillar",
        "cost_optimization",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["pillar"] == "cost-optimization"));
    let o = run(&[
        "check",
        "examples/insecure-stack.json",
        "--rule",
        "security.data_at_rest.*",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let findings = v["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    assert!(findings.iter().all(|f| f["rule"]
        .as_str()
        .unwrap()
        .starts_with("security.data_at_rest.")));
    let o = run(&[
        "check",
        "examples/insecure-stack.json",
        "--min-risk",
        "high",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["risk"] == "high"));
    let o = run(&["check", "examples/", "--pillar", "nope"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn params_override_and_unknown_params_are_errors() {
    let dir = org("params");
    let rules = s(&dir.join("tags.btr"));
    let tagged = s(&dir.join("tagged.json"));
    let o = run(&[
        "check",
        "--no-stdlib",
        "--rules",
        &rules,
        &tagged,
        "--param",
        "required=owner,team",
    ]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "team is now required: {}",
        stdout(&o)
    );
    let o = run(&[
        "check",
        "--no-stdlib",
        "--rules",
        &rules,
        &tagged,
        "--param",
        "org.tags.required=owner",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let o = run(&[
        "check",
        "--no-stdlib",
        "--rules",
        &rules,
        &tagged,
        "--param",
        "requird=owner",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("B0501") && stderr(&o).contains("did you mean `required`"),
        "{}",
        stderr(&o)
    );
    let o = run(&[
        "check",
        "--no-stdlib",
        "--rules",
        &rules,
        &tagged,
        "--param",
        "required",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("B0503"));
}

#[test]
fn a_config_file_sets_rules_and_params() {
    let dir = org("config");
    std::fs::write(
        dir.join("buttress.toml"),
        "rules = [\"tags.btr\"]\nno_stdlib = true\n[params]\nrequired = [\"owner\", \"team\"]\n",
    )
    .unwrap();
    let o = bin()
        .current_dir(&dir)
        .args(["check", "tagged.json"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("org.tags.tagged"));
    std::fs::write(dir.join("buttress.toml"), "[params]\nrequired = 5\n").unwrap();
    let o = bin()
        .current_dir(&dir)
        .args(["check", "tagged.json", "--rules", "tags.btr"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("B0502"), "{}", stderr(&o));
    std::fs::write(dir.join("buttress.toml"), "rulez = 1\n").unwrap();
    let o = bin()
        .current_dir(&dir)
        .args(["check", "tagged.json"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("B0505"), "{}", stderr(&o));
}

#[test]
fn output_is_identical_whatever_the_thread_count() {
    let corpus =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/aws-cloudformation-templates");
    let target = if corpus.is_dir() {
        s(&corpus)
    } else {
        "examples".to_string()
    };
    let one = run(&["check", &target, "--format", "json", "--threads", "1"]);
    let four = run(&["check", &target, "--format", "json", "--threads", "4"]);
    assert!(!one.stdout.is_empty());
    assert_eq!(one.stdout, four.stdout);
    assert_eq!(one.status.code(), four.status.code());
}

#[test]
fn broken_rules_exit_2() {
    let dir = scratch("broken-rules");
    std::fs::write(
        dir.join("bad.btr"),
        "pack x\nrule r {\n  pillar securty\n}\n",
    )
    .unwrap();
    let o = run(&["check", "examples/", "--rules", &s(&dir)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("B0303"), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("did you mean `security`"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn explain_prints_the_explanation() {
    let o = run(&["explain", "B0201"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).starts_with("B0201"), "{}", stdout(&o));
    let o = run(&["explain", "b0201"]);
    assert_eq!(o.status.code(), Some(0));
    let o = run(&["explain", "X9"]);
    assert_eq!(o.status.code(), Some(2));
    let o = run(&["explain", "--list"]);
    assert!(stdout(&o).lines().count() >= 40);
}

#[test]
fn rules_lists_in_three_formats() {
    let o = run(&["rules"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("security.data_at_rest.rds_storage_encrypted"));
    // The rule's `///` doc comment stands under it.
    assert!(
        stdout(&o).contains("\n    RDS instances encrypt their storage.\n"),
        "{}",
        stdout(&o)
    );
    let o = run(&["rules", "--format", "json", "--pillar", "security"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["pillar"] == "security"));
    assert!(v
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["doc"] == "RDS instances encrypt their storage."));
    let o = run(&["rules", "--format", "markdown"]);
    assert!(stdout(&o).starts_with("# Rule catalogue"));
    // The rule's section: its title, doc line and rationale.
    assert!(stdout(&o).contains(
        "### security.data_at_rest.rds_storage_encrypted\n\n**RDS DB instances encrypt storage at rest**"
    ));
    assert!(stdout(&o).contains("\nRDS instances encrypt their storage.\n"));
    assert!(stdout(&o).contains("- **Why:** Unencrypted database storage"));
    let o = run(&["rules", "--kind", "terraform", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v.as_array().unwrap().iter().all(|r| r["kinds"]
        .as_array()
        .unwrap()
        .iter()
        .any(|k| k == "terraform")));
    let dir = org("rules-params");
    let o = run(&["rules", "--no-stdlib", "--rules", &s(&dir), "--params"]);
    assert_eq!(stdout(&o).trim(), "org.tags.required: list = [\"owner\"]");
}

#[test]
fn compile_emits_the_ir() {
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let o = run(&[
        "compile",
        "--no-stdlib",
        "--emit",
        "ir",
        &s(&golden.join("compile-ir.btr")),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let want_path = golden.join("compile-ir.ir");
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(&want_path, &o.stdout).unwrap();
    }
    assert_eq!(stdout(&o), std::fs::read_to_string(want_path).unwrap());
    let o = run(&["compile"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).starts_with("compiled "));
}

#[test]
fn test_runs_fixtures() {
    let dir = org("fixtures");
    let fx = dir.join("fixtures/org.tags.tagged");
    std::fs::create_dir_all(&fx).unwrap();
    std::fs::write(fx.join("pass-tagged.json"), TAGGED).unwrap();
    std::fs::write(fx.join("fail-untagged.json"), UNTAGGED).unwrap();
    std::fs::remove_file(dir.join("tagged.json")).unwrap();
    std::fs::remove_file(dir.join("untagged.json")).unwrap();
    let o = run(&["test", &s(&dir), "--no-stdlib", "--require-fixtures"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("2 passed, 0 failed"));
    std::fs::write(fx.join("pass-wrong.json"), UNTAGGED).unwrap();
    std::fs::write(
        fx.join("fail-vacuous.json"),
        r#"{"Resources": {"Q": {"Type": "AWS::SQS::Queue"}}}"#,
    )
    .unwrap();
    std::fs::write(fx.join("whatever.json"), TAGGED).unwrap();
    let o = run(&["test", &s(&dir), "--no-stdlib"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("B0703") && err.contains("B0704") && err.contains("B0702"),
        "{err}"
    );
    assert!(stdout(&o).contains("2 passed, 3 failed"), "{}", stdout(&o));
}

#[test]
fn every_command_has_help_with_examples() {
    for cmd in [
        "check", "test", "rules", "explain", "compile", "fmt", "new rule", "review", "lens", "init",
    ] {
        let args: Vec<&str> = cmd.split(' ').chain(["--help"]).collect();
        let o = run(&args);
        assert_eq!(o.status.code(), Some(0));
        assert!(
            stdout(&o).contains("Examples:"),
            "{cmd} --help has no examples"
        );
    }
    let o = run(&["--help"]);
    assert!(stdout(&o).contains("check"));
    let o = run(&["check", "--bogus", "x"]);
    assert_eq!(o.status.code(), Some(2));
    let o = run(&["--version"]);
    assert!(stdout(&o).starts_with("buttress "));
}

#[test]
fn a_document_no_rule_reads_is_reported_as_skipped() {
    let dir = scratch("skipped");
    std::fs::write(dir.join("notes.json"), r#"{"hello": "world"}"#).unwrap();
    let o = run(&["check", &s(&dir.join("notes.json"))]);
    assert_eq!(o.status.code(), Some(0));
    assert!(
        stderr(&o).contains("warning[B0603]") && stderr(&o).contains("it is skipped"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn test_coverage_reports_blocks_and_requires_in_both_formats() {
    let dir = org("coverage");
    let fx = dir.join("fixtures/org.tags.tagged");
    std::fs::create_dir_all(&fx).unwrap();
    std::fs::write(fx.join("pass-tagged.json"), TAGGED).unwrap();
    let o = run(&["test", &s(&dir), "--no-stdlib", "--coverage"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/test-coverage.txt");
    let text = stdout(&o);
    let shown = &text[text.find("coverage:").expect("a coverage table")..];
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(&golden, shown).unwrap();
    }
    assert_eq!(shown, std::fs::read_to_string(&golden).unwrap());

    std::fs::write(fx.join("fail-untagged.json"), UNTAGGED).unwrap();
    let o = run(&[
        "test",
        &s(&dir),
        "--no-stdlib",
        "--coverage",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON on stdout");
    assert_eq!(v["fixtures"]["passed"], 2);
    assert_eq!(v["results"][0]["ok"], true);
    assert_eq!(v["results"][0]["rule"], "org.tags.tagged");
    assert_eq!(v["coverage"]["rules"][0]["id"], "org.tags.tagged");
    let block = &v["coverage"]["rules"][0]["blocks"][0];
    assert_eq!(block["pass"], true);
    assert_eq!(block["fail"], true);
    assert_eq!(block["requires"][0]["fail"], true);
    assert_eq!(
        v["coverage"]["total"]["requires_failed"],
        v["coverage"]["total"]["requires"]
    );
}

#[test]
fn new_rule_writes_a_skeleton_whose_fixtures_pass() {
    let dir = scratch("new-rule");
    let rules = dir.join("rules");
    let o = run(&[
        "new",
        "rule",
        "org.s3.versioned",
        "--pillar",
        "reliability",
        "--practice",
        "REL09-BP02",
        "--dir",
        &s(&rules),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = run(&[
        "new",
        "rule",
        "org.s3.tagged_volumes",
        "--pillar",
        "cost_optimization",
        "--practice",
        "COST03-BP02",
        "--type",
        "AWS::EC2::Volume",
        "--risk",
        "low",
        "--dir",
        &s(&rules),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = std::fs::read_to_string(rules.join("org.s3.btr")).unwrap();
    assert_eq!(text.matches("pack org.s3").count(), 1, "{text}");
    assert!(text.contains("rule versioned {") && text.contains("rule tagged_volumes {"));
    assert!(text.contains("practice  \"COST03-BP02\"") && text.contains("risk      low"));
    let o = run(&[
        "test",
        &s(&rules),
        "--no-stdlib",
        "--require-fixtures",
        "--coverage",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("4 passed, 0 failed"), "{}", stdout(&o));
    assert!(stdout(&o)
        .contains("2 requires, 2 held in a passing fixture, 2 failed by a fixture (100%)"));
    // No schema warning, and laid out as `buttress fmt` would.
    assert!(!stderr(&o).contains("warning"), "{}", stderr(&o));
    let o = run(&["fmt", "--check", &s(&rules)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn strict_makes_schema_warnings_errors() {
    let dir = scratch("strict");
    std::fs::write(
        dir.join("typo.btr"),
        RULE.replace("b.Tags[*].Key", "b.Tagz[*].Key"),
    )
    .unwrap();
    let o = run(&["compile", "--no-stdlib", "--rules", &s(&dir)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("warning[B0411]: `Tagz` is not a property here in `AWS::S3::Bucket`")
    );
    assert!(stderr(&o).contains("did you mean `Tags`?"));
    let o = run(&["compile", "--no-stdlib", "--strict", "--rules", &s(&dir)]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("error[B0411]"), "{}", stderr(&o));
}
