//! The machine formats validate against their schemas: SARIF against the official SARIF
//! 2.1.0 JSON schema (vendored in tests/data), over the examples, a run with waivers and input
//! errors, and the shared corpus; JUnit against tests/data/junit.xsd with `xmllint`.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn report(format: &str, paths: &[&str], extra: &[&str]) -> String {
    let o = Command::new(env!("CARGO_BIN_EXE_buttress"))
        .current_dir(root())
        .env("BUTTRESS_TODAY", "2026-12-02")
        .args(["check", "--format", format])
        .args(paths)
        .args(extra)
        .output()
        .expect("the binary runs");
    assert!(
        matches!(o.status.code(), Some(0..=2)),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).expect("UTF-8")
}

/// The pattern the published schema gives `run.language`: its stray `]` makes it no valid
/// ECMA-262 regular expression, so the schema crate refuses the whole schema. The test swaps
/// that one pattern for the one it evidently means (buttress writes no `language`).
const LANGUAGE_PATTERN: &str = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$";
const LANGUAGE_MEANT: &str = "^[a-zA-Z]{2}(-[a-zA-Z]{2})?$";

fn sarif_errors(text: &str) -> Vec<String> {
    let published =
        std::fs::read_to_string(root().join("tests/data/sarif-schema-2.1.0.json")).unwrap();
    assert!(published.contains(LANGUAGE_PATTERN));
    let schema: Value =
        serde_json::from_str(&published.replace(LANGUAGE_PATTERN, LANGUAGE_MEANT)).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the SARIF schema compiles");
    let log: Value = serde_json::from_str(text).expect("SARIF is JSON");
    validator
        .iter_errors(&log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

/// A file whose text is not JSON, so that the run has an input error to report.
fn broken_input() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("validation");
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join("broken.json");
    std::fs::write(&p, "{\"Resources\": ").unwrap();
    p
}

#[test]
fn sarif_of_the_examples_waivers_and_errors_validates() {
    let broken = broken_input();
    for (paths, extra) in [
        (vec!["examples/"], vec![]),
        (
            vec![
                "tests/inputs/ci/waivers-stack.json",
                "tests/inputs/ci/tagged-plan.json",
            ],
            vec![
                "--waivers",
                "tests/inputs/ci/waivers.toml",
                "--honour-suppressions",
                "guard",
            ],
        ),
        (vec![broken.to_str().unwrap()], vec![]),
    ] {
        let text = report("sarif", &paths, &extra);
        let errors = sarif_errors(&text);
        assert!(errors.is_empty(), "{paths:?}: {errors:#?}");
    }
    // The schema does check: a log without `runs` is refused.
    assert!(!sarif_errors("{\"version\": \"2.1.0\"}").is_empty());
    let log: Value = serde_json::from_str(&report(
        "sarif",
        &["tests/inputs/ci/waivers-stack.json"],
        &[],
    ))
    .unwrap();
    let results = log["runs"][0]["results"].as_array().unwrap();
    let waived: Vec<&Value> = results
        .iter()
        .filter(|r| r.get("suppressions").is_some())
        .collect();
    assert_eq!(waived.len(), 1, "{waived:#?}");
    assert_eq!(
        waived[0]["suppressions"][0]["justification"],
        "holds only public reference data"
    );
    assert_eq!(waived[0]["suppressions"][0]["kind"], "inSource");
    assert_eq!(
        waived[0]["locations"][0]["logicalLocations"][0]["name"],
        "Accepted"
    );
    let notes = &log["runs"][0]["invocations"][0]["toolExecutionNotifications"];
    assert!(
        notes
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["descriptor"]["id"] == "B0902"),
        "{notes:#}"
    );
}

#[test]
fn sarif_of_the_corpus_validates() {
    let corpus = root().join("../shared/corpus");
    if !corpus.is_dir() {
        eprintln!("skipped: {} is absent", corpus.display());
        return;
    }
    let text = report("sarif", &[corpus.to_str().unwrap()], &[]);
    let log: Value = serde_json::from_str(&text).unwrap();
    assert!(log["runs"][0]["results"].as_array().unwrap().len() > 100);
    let errors = sarif_errors(&text);
    assert!(
        errors.is_empty(),
        "{} errors, first: {:#?}",
        errors.len(),
        &errors[..errors.len().min(5)]
    );
}

fn xmllint() -> bool {
    Command::new("xmllint").arg("--version").output().is_ok()
}

#[test]
fn junit_validates_against_the_xsd() {
    if !xmllint() {
        eprintln!("skipped: xmllint is absent (Debian package libxml2-utils)");
        return;
    }
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("validation");
    std::fs::create_dir_all(&dir).unwrap();
    let broken = broken_input();
    let cases = [
        ("examples", vec!["examples/"]),
        ("waivers", vec!["tests/inputs/ci/waivers-stack.json"]),
        (
            "errors",
            vec![broken.to_str().unwrap(), "examples/secure-stack.json"],
        ),
    ];
    for (name, paths) in cases {
        let file = dir.join(format!("{name}.xml"));
        std::fs::write(&file, report("junit", &paths, &[])).unwrap();
        let o = Command::new("xmllint")
            .args(["--noout", "--schema"])
            .arg(root().join("tests/data/junit.xsd"))
            .arg(&file)
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    // The schema does check: a testcase without a name is refused.
    let bad = dir.join("bad.xml");
    std::fs::write(&bad, "<testsuites><testsuite name=\"x\" tests=\"1\" failures=\"0\" errors=\"0\"><testcase classname=\"c\"/></testsuite></testsuites>").unwrap();
    let o = Command::new("xmllint")
        .args(["--noout", "--schema"])
        .arg(root().join("tests/data/junit.xsd"))
        .arg(&bad)
        .output()
        .unwrap();
    assert!(!o.status.success());
}
