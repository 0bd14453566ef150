//! Command-line bugs found by trying buttress as a new user would, each pinned by the test
//! that failed before its fix.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_buttress"));
    c.env("BUTTRESS_TODAY", "2026-12-02");
    c.env("NO_COLOR", "1");
    c
}

fn run_in(dir: &Path, args: &[&str]) -> Output {
    bin()
        .current_dir(dir)
        .args(args)
        .output()
        .expect("the binary runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("regress-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

const RULE: &str = r#"pack org.enc
rule volumes {
  pillar security
  practice "SEC08-BP02"
  risk high
  title "Volumes are encrypted"
  on cloudformation "AWS::EC2::Volume" as v {
    require v.Encrypted == true else "{name(v)} is not encrypted"
  }
}
"#;

/// A rule folder with a fixture folder for its rule.
fn org(name: &str) -> PathBuf {
    let dir = scratch(name);
    let rules = dir.join("org");
    let fixtures = rules.join("fixtures/org.enc.volumes");
    std::fs::create_dir_all(&fixtures).unwrap();
    std::fs::write(rules.join("enc.btr"), RULE).unwrap();
    std::fs::write(
        fixtures.join("pass-encrypted.json"),
        r#"{"Resources": {"V": {"Type": "AWS::EC2::Volume", "Properties": {"Encrypted": true}}}}"#,
    )
    .unwrap();
    dir
}

#[test]
fn a_fixture_that_cannot_be_read_is_a_failed_fixture_not_a_panic() {
    let dir = org("bad-fixture");
    let fixtures = dir.join("org/fixtures/org.enc.volumes");
    std::fs::write(fixtures.join("fail-broken.json"), "{\"Resources\": ").unwrap();
    std::fs::write(fixtures.join("fail-latin1.json"), b"{\"a\": \"caf\xe9\"}").unwrap();
    let o = run_in(&dir, &["test", "org", "--no-stdlib"]);
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(err.contains("B0602") && err.contains("B0605"), "{err}");
    assert!(text(&o.stdout).contains("1 passed, 2 failed"));
}

#[test]
fn a_rule_folder_named_twice_is_loaded_once() {
    let dir = org("twice");
    std::fs::write(
        dir.join("buttress.toml"),
        "rules = [\"org\"]\nno_stdlib = true\n",
    )
    .unwrap();
    for args in [
        vec!["test", "org"],
        vec!["test"],
        vec!["compile", "org"],
        vec!["compile", "--rules", "org", "--rules", "org/enc.btr"],
    ] {
        let o = run_in(&dir, &args);
        let err = text(&o.stderr);
        assert!(!err.contains("defined twice"), "{args:?}: {err}");
        assert_eq!(o.status.code(), Some(0), "{args:?}: {err}");
    }
}

#[test]
fn a_run_of_unary_signs_is_too_deep_not_a_crash() {
    let dir = scratch("signs");
    let src = format!("pack t\npred p(x) = x == {}1\n", "-".repeat(30_000));
    std::fs::write(dir.join("deep.btr"), src).unwrap();
    let o = run_in(&dir, &["compile", "--no-stdlib", "deep.btr"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("B0104"), "{}", text(&o.stderr));
}

#[test]
fn nested_quantifiers_stop_at_the_budget_and_are_undecided() {
    let dir = scratch("budget");
    let mut src = String::from("pack t\npred q0(x) = x > 100\n");
    for i in 1..=9 {
        src.push_str(&format!(
            // Each level reads its parameter, so no call is constant (constant predicates
            // are decided once per document): 10^9 evaluations unless the budget stops them.
            "pred q{i}(x) = some y in [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] : q{}(y + x)\n",
            i - 1
        ));
    }
    src.push_str(
        "rule slow {\n pillar security\n practice \"SEC08-BP02\"\n risk high\n title \"t\"\n \
         on json \"*\" as d {\n  require not q9(1) else \"found\"\n }\n}\n",
    );
    std::fs::write(dir.join("slow.btr"), src).unwrap();
    std::fs::write(dir.join("d.json"), "{}").unwrap();
    let o = run_in(
        &dir,
        &[
            "check",
            "--no-stdlib",
            "--rules",
            "slow.btr",
            "--max-steps",
            "100000",
            "d.json",
        ],
    );
    let out = text(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{out}{}", text(&o.stderr));
    assert!(
        out.contains("evaluation stopped after 100000 steps"),
        "{out}"
    );
}

#[test]
fn commands_exit_quietly_when_their_output_is_closed() {
    for args in [vec!["rules"], vec!["explain", "B0101"]] {
        let mut child = bin()
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        // The reader is gone: the rest of the output goes to a closed pipe.
        let o = child.wait_with_output().unwrap();
        let err = text(&o.stderr);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert_eq!(o.status.code(), Some(0), "{args:?}: {err}");
    }
}

#[test]
fn filters_or_folders_that_leave_no_rule_are_errors() {
    let dir = org("no-rules");
    std::fs::write(
        dir.join("v.json"),
        r#"{"Resources": {"V": {"Type": "AWS::EC2::Volume", "Properties": {}}}}"#,
    )
    .unwrap();
    std::fs::create_dir_all(dir.join("empty")).unwrap();
    let o = run_in(
        &dir,
        &["check", "v.json", "--rule", "security.nothing.like.this"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("B0506"), "{}", text(&o.stderr));
    let o = run_in(
        &dir,
        &["check", "v.json", "--no-stdlib", "--rules", "empty"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("holds no `.btr` rule file"));
}

#[test]
fn a_pack_that_replaces_a_standard_pack_says_so_unless_told() {
    let dir = scratch("replace");
    std::fs::write(
        dir.join("mine.btr"),
        RULE.replace("pack org.enc", "pack security.data_at_rest"),
    )
    .unwrap();
    let o = run_in(&dir, &["compile", "--rules", "mine.btr"]);
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains("B0209") && err.contains("security.data_at_rest.rds_storage_encrypted"),
        "{err}"
    );
    let o = run_in(
        &dir,
        &[
            "compile",
            "--rules",
            "mine.btr",
            "--replace-pack",
            "security.data_at_rest",
        ],
    );
    assert!(!text(&o.stderr).contains("B0209"), "{}", text(&o.stderr));
}

#[test]
fn a_bad_param_value_stops_before_any_rule_runs() {
    let dir = scratch("bad-param");
    std::fs::write(
        dir.join("v.json"),
        r#"{"Resources": {"V": {"Type": "AWS::EC2::Volume", "Properties": {}}}}"#,
    )
    .unwrap();
    let o = run_in(
        &dir,
        &[
            "check",
            "v.json",
            "--param",
            "required_tags=1,2",
            "--param",
            "min_log_retention_days=many",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    assert!(text(&o.stdout).trim().is_empty(), "{}", text(&o.stdout));
}

#[test]
fn a_rule_that_does_not_compile_runs_nothing() {
    let dir = org("broken-rule");
    std::fs::write(
        dir.join("org/broken.btr"),
        "pack org.broken\npred p(x) = (((((x\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("v.json"),
        r#"{"Resources": {"V": {"Type": "AWS::EC2::Volume", "Properties": {}}}}"#,
    )
    .unwrap();
    let o = run_in(&dir, &["check", "v.json", "--no-stdlib", "--rules", "org"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        !text(&o.stdout).contains("not encrypted"),
        "{}",
        text(&o.stdout)
    );
}
