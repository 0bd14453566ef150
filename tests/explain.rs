//! `check --explain`: the decision path of a rule, golden in words and in JSON, on a rule
//! with a quantifier, a `??` default and an unknown value (`BLESS=1` rewrites).

use std::path::Path;
use std::process::Command;

fn explain(extra: &[&str], golden: &str) {
    explain_target("audit.volumes", extra, golden);
}

fn explain_target(target: &str, extra: &[&str], golden: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let o = Command::new(env!("CARGO_BIN_EXE_buttress"))
        .env("BUTTRESS_TODAY", "2026-12-02")
        .current_dir(root.join("tests/golden/explain"))
        .env("NO_COLOR", "1")
        .args(["check", "stack.json", "--no-stdlib", "--rules", "rules.btr"])
        .args(["--explain", target])
        .args(extra)
        .output()
        .expect("the binary runs");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    let got = String::from_utf8_lossy(&o.stdout).into_owned();
    let path = root.join("tests/golden/explain").join(golden);
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(&path, &got).unwrap();
    }
    let want = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(got == want, "{golden} differs; BLESS=1 rewrites it\n{got}");
}

#[test]
fn the_decision_path_in_words() {
    explain(&[], "explain.txt");
}

#[test]
fn the_decision_path_in_json() {
    explain(&["--format", "json"], "explain.json");
}

#[test]
fn one_resource_by_name_and_an_unknown_rule() {
    explain_target("audit.volumes:Cho*", &[], "explain-one.txt");
    let o = Command::new(env!("CARGO_BIN_EXE_buttress"))
        .env("BUTTRESS_TODAY", "2026-12-02")
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/explain"))
        .args(["check", "stack.json", "--no-stdlib", "--rules", "rules.btr"])
        .args(["--explain", "audit.volume"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("did you mean `audit.volumes`?"));
}
