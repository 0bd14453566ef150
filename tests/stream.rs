//! JSON-lines streams: each line a document, findings at their line, bad lines reported by
//! line while the others are still checked.

use buttress::driver::{check_one, Input};
use buttress::input::{InputFormat, LoadOptions};
use buttress::Engine;
use std::path::Path;

const RULE: &str = r#"pack s
rule encrypted {
  pillar security
  practice "SEC08-BP02"
  risk high
  title "t"
  on config "AWS::RDS::DBInstance" as db {
    require db.configuration.storageEncrypted ?? false == true else "{name(db)} unencrypted"
  }
  on json "*" as d {
    require d.ok == true else "line not ok"
  }
}
"#;

fn program() -> buttress::RuleSet {
    let mut e = Engine::new();
    e.add_source("s.btr", RULE);
    let set = e.compile();
    assert!(!set.has_errors());
    set
}

#[test]
fn a_stream_reports_findings_and_errors_by_line() {
    let set = program();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/inputs/stream/items.jsonl");
    let out = check_one(&set.program, &Input::File(path), &LoadOptions::default());
    let found: Vec<(usize, String)> = out
        .findings
        .iter()
        .map(|f| (f.location.line, f.message.clone()))
        .collect();
    assert_eq!(
        found,
        vec![
            (1, "db-1 unencrypted".to_string()),
            (4, "db-3 unencrypted".to_string()),
            (6, "db-5 unencrypted".to_string())
        ]
    );
    assert_eq!(out.documents, 4);
    assert_eq!(out.errors.len(), 1);
    assert!(
        out.errors[0].diagnostic.message.starts_with("line 5:"),
        "{}",
        out.errors[0].diagnostic.message
    );
    assert!(out.findings.iter().all(|f| f.file.ends_with("items.jsonl")));
}

#[test]
fn forced_ndjson_reads_plain_lines_as_json_documents() {
    let set = program();
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("stream");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("events.log");
    std::fs::write(&path, "{\"ok\": true}\n{\"ok\": false}\n\n{\"ok\": 1}\n").unwrap();
    let opts = LoadOptions {
        format: Some(InputFormat::Ndjson),
        ..LoadOptions::default()
    };
    let out = check_one(&set.program, &Input::File(path), &opts);
    let lines: Vec<usize> = out.findings.iter().map(|f| f.location.line).collect();
    assert_eq!(lines, vec![2, 4]);
    assert!(
        out.findings[0].resource.ends_with("events.log:2"),
        "{}",
        out.findings[0].resource
    );
}
