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

/// A stream longer than a batch reaches the sink in parts, in line order, each part holding
/// only its own lines' findings; together they are what the whole stream gives, and the cap
/// on reported line errors holds across parts.
#[test]
fn a_long_stream_is_handed_on_in_parts_in_line_order() {
    let set = program();
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("stream-parts");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("long.jsonl");
    let mut text = String::new();
    for i in 1..=10_000 {
        if i % 300 == 0 {
            text.push_str("{not json\n");
        } else {
            text.push_str(&format!("{{\"ok\": {}}}\n", i % 2 == 0));
        }
    }
    std::fs::write(&path, text).unwrap();
    let input = Input::File(path);
    let mut parts = Vec::new();
    buttress::driver::check_each(
        &set.program,
        std::slice::from_ref(&input),
        &LoadOptions::default(),
        Some(2),
        |o| parts.push(o),
    );
    assert!(
        parts.len() >= 3,
        "10,000 lines come in several batches: {}",
        parts.len()
    );
    assert!(parts[..parts.len() - 1].iter().all(|p| p.continues));
    assert!(!parts.last().unwrap().continues);
    let lines: Vec<usize> = parts
        .iter()
        .flat_map(|p| p.findings.iter().map(|f| f.location.line))
        .collect();
    assert!(
        lines.windows(2).all(|w| w[0] < w[1]),
        "findings in line order"
    );
    let whole = check_one(&set.program, &input, &LoadOptions::default());
    assert!(!whole.continues);
    assert_eq!(lines.len(), whole.findings.len());
    assert_eq!(
        lines.len(),
        5_000,
        "every odd line fails (the bad ones are even)"
    );
    let errors: Vec<String> = parts
        .iter()
        .flat_map(|p| p.errors.iter().map(|e| e.diagnostic.message.clone()))
        .collect();
    // 33 bad lines: 20 reported one by one, the rest counted in one more error.
    assert_eq!(errors.len(), 21, "{errors:#?}");
    assert!(errors[20].contains("13 more lines"), "{}", errors[20]);
    assert_eq!(
        parts.iter().map(|p| p.documents).sum::<usize>(),
        10_000 - 33
    );
}

/// Lines over the length limit, an unparsable line and a stream that ends without a line
/// break, spread over several batches (each read while the one before is checked): every
/// error is reported at its own line, in stream order, and the other lines are all checked.
#[test]
fn errors_of_later_batches_keep_their_lines_and_order() {
    let set = program();
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("stream-errors");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("errors.jsonl");
    let long = format!("{{\"ok\": true, \"pad\": \"{}\"}}\n", "x".repeat(200));
    let mut text = String::new();
    for i in 1..=5_000 {
        match i {
            1_500 | 4_000 => text.push_str(&long),
            2_600 => text.push_str("{not json\n"),
            _ => text.push_str("{\"ok\": true}\n"),
        }
    }
    text.push_str("{\"ok\": false}");
    std::fs::write(&path, text).unwrap();
    let opts = LoadOptions {
        limits: buttress::input::Limits {
            max_line_bytes: 100,
            ..Default::default()
        },
        ..Default::default()
    };
    for threads in [1, 2] {
        let mut parts = Vec::new();
        buttress::driver::check_each(
            &set.program,
            std::slice::from_ref(&Input::File(path.clone())),
            &opts,
            Some(threads),
            |o| parts.push(o),
        );
        assert!(parts.len() >= 5, "{threads} threads: {} parts", parts.len());
        let errors: Vec<String> = parts
            .iter()
            .flat_map(|p| p.errors.iter().map(|e| e.diagnostic.message.clone()))
            .collect();
        assert_eq!(errors.len(), 3, "{threads} threads: {errors:#?}");
        assert!(errors[0].starts_with("line 1500:"), "{}", errors[0]);
        assert!(errors[0].contains("over the limit of 100"), "{}", errors[0]);
        assert!(errors[1].starts_with("line 2600:"), "{}", errors[1]);
        assert!(errors[2].starts_with("line 4000:"), "{}", errors[2]);
        let documents: usize = parts.iter().map(|p| p.documents).sum();
        assert_eq!(documents, 5_001 - 3, "{threads} threads");
        let findings: Vec<usize> = parts
            .iter()
            .flat_map(|p| p.findings.iter().map(|f| f.location.line))
            .collect();
        assert_eq!(
            findings,
            [5_001],
            "{threads} threads: the last line, unterminated"
        );
    }
}
