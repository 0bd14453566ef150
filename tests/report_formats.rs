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

/// A run whose reports are all streamed keeps no finding; one with a format that needs them
/// all (SARIF) keeps them. Both write the same streamed reports, byte for byte, on one thread
/// or two.
#[test]
fn streamed_reports_do_not_depend_on_what_else_is_written() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("streamed-reports");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for (threads, held) in [("1", false), ("2", false), ("1", true), ("2", true)] {
        let at = |ext: &str| dir.join(format!("t{threads}-{held}.{ext}"));
        let mut c = Command::new(env!("CARGO_BIN_EXE_buttress"));
        c.env("BUTTRESS_TODAY", "2026-12-02")
            .current_dir(root)
            .env("NO_COLOR", "1")
            .args(["check", "examples/", "--threads", threads])
            .arg(format!("--format=json={}", at("json").display()))
            .arg(format!("--format=human={}", at("human").display()))
            .arg(format!("--format=ndjson={}", at("ndjson").display()));
        if held {
            c.arg(format!("--format=sarif={}", at("sarif").display()));
        }
        let o = c.output().expect("the binary runs");
        assert_eq!(
            o.status.code(),
            Some(1),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        for (ext, golden) in [
            ("json", "check-examples.json"),
            ("human", "check-examples.human"),
        ] {
            let got = std::fs::read_to_string(at(ext)).unwrap();
            let want =
                std::fs::read_to_string(root.join("tests/golden/report").join(golden)).unwrap();
            assert!(
                got == want,
                "{ext} on {threads} threads (held: {held}) differs from {golden}"
            );
        }
        let lines = std::fs::read_to_string(at("ndjson"))
            .unwrap()
            .lines()
            .count();
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(at("json")).unwrap()).unwrap();
        assert_eq!(lines, json["findings"].as_array().unwrap().len());
    }
}
