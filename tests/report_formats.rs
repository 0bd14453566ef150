//! Golden reports: `check examples/` in every format, byte for byte (`BLESS=1` rewrites).

use std::path::Path;
use std::process::Command;

fn golden(format: &str, ext: &str, extra: &[&str]) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let o = Command::new(env!("CARGO_BIN_EXE_buttress"))
        .env("BUTTRESS_TODAY", "2026-12-02")
        .current_dir(root)
        .env_remove("GITHUB_STEP_SUMMARY")
        .env("NO_COLOR", "1")
        .args(["check", "examples/", "--format", format])
        .args(extra)
        .output()
        .expect("the binary runs");
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let path = root
        .join("tests/golden/report")
        .join(format!("check-examples.{ext}"));
    let got = String::from_utf8_lossy(&o.stdout).into_owned();
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(&path, &got).unwrap();
    }
    let want = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        got == want,
        "{format} report differs from {}; BLESS=1 rewrites it\n{got}",
        path.display()
    );
}

#[test]
fn human() {
    golden("human", "human", &[]);
}

#[test]
fn json() {
    golden("json", "json", &[]);
}

#[test]
fn sarif() {
    golden("sarif", "sarif", &[]);
}

#[test]
fn junit() {
    golden("junit", "junit.xml", &[]);
}

#[test]
fn github() {
    golden("github", "github", &[]);
}

#[test]
fn gitlab() {
    golden("gitlab", "gitlab.json", &[]);
}

#[test]
fn markdown() {
    golden("markdown", "md", &[]);
}

#[test]
fn ndjson() {
    golden("ndjson", "ndjson", &[]);
}

#[test]
fn json_with_passing_evidence() {
    golden("json", "passing.json", &["--include-passing"]);
}
