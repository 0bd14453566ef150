//! Custom lenses: every lens under `tests/review/lenses/` (our own, in the Tool's format, one
//! with overlapping riskRules and the spellings `Url`/`URL`/`DisplayText`) and the lens
//! exported from the standard library round-trip through `buttress lens import`, and what is
//! written validates against `tests/review/lens-schema.json`, a JSON schema of the format.

use buttress::review::lens::validate;
use buttress::source::FileId;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The subset of JSON Schema the lens schema uses. Returns every violation as `pointer: why`.
fn violations(schema: &Value, v: &Value, at: &str, out: &mut Vec<String>) {
    let s = |k: &str| schema.get(k);
    if let Some(c) = s("const") {
        if c != v {
            out.push(format!("{at}: is not {c}"));
        }
    }
    if let Some(Value::Array(e)) = s("enum") {
        if !e.contains(v) {
            out.push(format!("{at}: {v} is not one of {e:?}"));
        }
    }
    let ty_ok = match s("type").and_then(Value::as_str) {
        Some("object") => v.is_object(),
        Some("array") => v.is_array(),
        Some("string") => v.is_string(),
        Some(other) => panic!("the validator does not know type {other}"),
        None => true,
    };
    if !ty_ok {
        out.push(format!("{at}: not of type {}", schema["type"]));
        return;
    }
    let num = |k: &str| s(k).and_then(Value::as_u64).map(|n| n as usize);
    if let Value::String(text) = v {
        let n = text.chars().count();
        if num("minLength").is_some_and(|m| n < m) || num("maxLength").is_some_and(|m| n > m) {
            out.push(format!("{at}: length {n} is out of bounds"));
        }
        if let Some(p) = s("pattern").and_then(Value::as_str) {
            if !regex::Regex::new(p).unwrap().is_match(text) {
                out.push(format!("{at}: `{text}` does not match {p}"));
            }
        }
    }
    if let Value::Array(items) = v {
        if num("minItems").is_some_and(|m| items.len() < m)
            || num("maxItems").is_some_and(|m| items.len() > m)
        {
            out.push(format!("{at}: {} items is out of bounds", items.len()));
        }
        if let Some(item) = s("items") {
            for (i, x) in items.iter().enumerate() {
                violations(item, x, &format!("{at}/{i}"), out);
            }
        }
    }
    if let Value::Object(map) = v {
        for r in s("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let r = r.as_str().unwrap_or_default();
            if !map.contains_key(r) {
                out.push(format!("{at}: `{r}` is required"));
            }
        }
        let props = s("properties").and_then(Value::as_object);
        for (k, x) in map {
            match props.and_then(|p| p.get(k)) {
                Some(sub) => violations(sub, x, &format!("{at}/{k}"), out),
                None if s("additionalProperties") == Some(&Value::Bool(false)) => {
                    out.push(format!("{at}: `{k}` is not a property of the format"))
                }
                None => {}
            }
        }
    }
}

fn schema() -> Value {
    let text = std::fs::read_to_string(root().join("tests/review/lens-schema.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

#[track_caller]
fn assert_valid(name: &str, json: &str) {
    let mut out = Vec::new();
    violations(
        &schema(),
        &serde_json::from_str(json).unwrap(),
        "",
        &mut out,
    );
    assert!(
        out.is_empty(),
        "{name} does not validate:\n{}",
        out.join("\n")
    );
}

/// Import twice: the first import's output is a fixed point, and it validates.
fn round_trip(name: &str, text: &str) -> Vec<buttress::diagnostics::Code> {
    let (first, diags) = validate::read(FileId(0), text);
    let first = first.unwrap_or_else(|| panic!("{name} does not import: {diags:?}"));
    let written = first.to_json();
    let (second, again) = validate::read(FileId(0), &written);
    let second = second.unwrap_or_else(|| panic!("{name} written does not import: {again:?}"));
    assert_eq!(first, second, "{name} changes in a round trip");
    assert_eq!(
        second.to_json(),
        written,
        "{name}: the written form is not stable"
    );
    assert_valid(name, &written);
    assert!(written.len() <= validate::MAX_BYTES);
    diags.iter().map(|d| d.code).collect()
}

#[test]
fn our_lenses_round_trip_and_validate() {
    let dir = root().join("tests/review/lenses");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    names.sort();
    assert!(names.len() >= 3);
    for path in names {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).unwrap();
        let codes = round_trip(&name, &text);
        let overlapping = name == "org-policy.json";
        assert_eq!(
            codes,
            if overlapping {
                vec![buttress::diagnostics::Code::LensOverlap; 2]
            } else {
                vec![]
            },
            "{name}"
        );
    }
}

#[test]
fn quirks_are_read_and_written_in_the_tools_spelling() {
    let text = std::fs::read_to_string(root().join("tests/review/lenses/org-policy.json")).unwrap();
    let (lens, _) = validate::read(FileId(0), &text);
    let lens = lens.unwrap();
    let q = &lens.pillars[0].questions[0];
    assert_eq!(
        q.helpful_resource.as_ref().unwrap().url.as_deref(),
        Some("https://example.com/handbook/ownership")
    );
    let written = lens.to_json();
    for quirk in ["\"Url\"", "\"URL\"", "\"DisplayText\""] {
        assert!(!written.contains(quirk), "{quirk} written back");
    }
}

fn buttress(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_buttress"))
        .env("BUTTRESS_TODAY", "2026-12-02")
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_standard_library_exports_as_a_lens_the_tool_accepts() {
    let (code, out, err) = buttress(&["lens", "export", "--name", "buttress standard library"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.is_empty(), "the export warns: {err}");
    let codes = round_trip("the stdlib lens", &out);
    assert!(codes.is_empty(), "{codes:?}");
    let lens: Value = serde_json::from_str(&out).unwrap();
    let pillars: Vec<&str> = lens["pillars"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        pillars,
        [
            "operationalExcellence",
            "security",
            "reliability",
            "performance",
            "costOptimization",
            "sustainability"
        ]
    );
    // A choice per rule with blocks: every rule of the standard library.
    let rules = buttress::Engine::new()
        .with_stdlib()
        .compile()
        .program
        .rules
        .len();
    assert!(rules >= 190, "{rules}");
    let choices: usize = lens["pillars"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["questions"].as_array().unwrap())
        .map(|q| q["choices"].as_array().unwrap().len())
        .sum();
    assert_eq!(choices, rules);
}

#[test]
fn lens_import_refuses_what_the_tool_would() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("review-lens");
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.json");
    let text = std::fs::read_to_string(root().join("tests/review/lenses/minimal.json"))
        .unwrap()
        .replace("\"q_1\"", "\"q\"")
        .replace("HIGH_RISK", "HIGH");
    std::fs::write(&bad, text).unwrap();
    let (code, out, err) = buttress(&["lens", "import", &bad.display().to_string()]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(
        err.contains("error[B1011]: the question id `q` is not 3 to 128"),
        "{err}"
    );
    assert!(err.contains("error[B1012]: unknown risk `HIGH`"), "{err}");
    assert!(
        err.contains("one of `HIGH_RISK`, `MEDIUM_RISK`, `NO_RISK`"),
        "{err}"
    );
}

/// `data/wellarchitected.tsv` is what `scripts/gen-framework.py` writes (skipped without
/// Python).
#[test]
fn the_framework_data_is_what_its_script_generates() {
    let Ok(out) = Command::new("python3")
        .args(["scripts/gen-framework.py", "--check"])
        .current_dir(root())
        .output()
    else {
        eprintln!("skipped: python3 is not installed");
        return;
    };
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Truncated and mangled lens and workload files give diagnostics, never a panic.
#[test]
fn broken_lenses_and_workload_files_do_not_panic() {
    let mut texts: Vec<String> = std::fs::read_dir(root().join("tests/review/lenses"))
        .unwrap()
        .flatten()
        .map(|e| std::fs::read_to_string(e.path()).unwrap())
        .collect();
    texts.push(std::fs::read_to_string(root().join("examples/review/workload.toml")).unwrap());
    for text in &texts {
        let cuts = (0..text.len())
            .step_by(13)
            .filter(|&i| text.is_char_boundary(i));
        for cut in cuts {
            let part = &text[..cut];
            let _ = validate::read(FileId(0), part);
            let _ = buttress::review::workload::parse(FileId(0), part);
            let swapped = part.replace('"', "'").replace('[', "{");
            let _ = validate::read(FileId(0), &swapped);
            let _ = buttress::review::workload::parse(FileId(0), &swapped);
        }
    }
    // A question with many rules and choices is read in reasonable time.
    let choices: Vec<String> = (0..15)
        .map(|i| format!(r#"{{"id":"c_{i:02}","title":"C","helpfulResource":{{"displayText":"h"}},"improvementPlan":{{"displayText":"p"}}}}"#))
        .collect();
    let all: Vec<String> = (0..15).map(|i| format!("c_{i:02}")).collect();
    // Pairwise disjoint rules over every choice: the overlap search has to try them all.
    let rules: Vec<String> = (0..validate::MAX_OVERLAP_RULES)
        .map(|i| {
            let terms: Vec<String> = all
                .iter()
                .enumerate()
                .map(|(j, c)| if i == j { format!("!{c}") } else { c.clone() })
                .collect();
            format!(
                r#"{{"condition":"{}","risk":"NO_RISK"}}"#,
                terms.join(" && ")
            )
        })
        .chain([r#"{"condition":"default","risk":"HIGH_RISK"}"#.to_string()])
        .collect();
    let lens = format!(
        r#"{{"schemaVersion":"2021-11-01","name":"Big","pillars":[{{"id":"pil","name":"P","questions":[{{"id":"q_1","title":"Q","choices":[{}],"riskRules":[{}]}}]}}]}}"#,
        choices.join(","),
        rules.join(",")
    );
    let start = std::time::Instant::now();
    let (ok, _) = validate::read(FileId(0), &lens);
    assert!(ok.is_some());
    assert!(start.elapsed() < std::time::Duration::from_secs(5));
}
