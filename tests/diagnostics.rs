//! Golden tests of diagnostics: every case under `tests/diagnostics/` is compiled (rule files)
//! or loaded (inputs), its diagnostics rendered without colour and compared with the
//! `<case>.stderr` beside it.
//!
//! - `<case>.btr`: a rule file, compiled without the standard library; a sibling
//!   `<case>.params` holds `NAME=VALUE` overrides, one a line, applied as `--param` would.
//! - `<case>.input.json` / `<case>.input.txt`: an input loaded with `InputFormat::Auto`.
//!
//! `BLESS=1 cargo test --test diagnostics` writes the `.stderr` files instead of comparing.
//! A case is named after the code it shows (`B0201-unknown-name.btr`); every code has a case
//! unless `NOT_GOLDEN` says why not, and those are driven through the binary below.

use buttress::diagnostics::{explanation, render_all, Code, ColorMode, Diagnostic, ALL_CODES};
use buttress::source::{SourceMap, Span};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Codes without a golden case, and why. Each is tested through the binary below.
const NOT_GOLDEN: &[(&str, &str)] = &[
    ("B0505", "reads buttress.toml from disk"),
    ("B0601", "needs a missing or unreadable input"),
    ("B0606", "needs a folder without inputs"),
    ("B0607", "needs a missing rule path"),
    ("B0701", "fixtures are files in folders"),
    ("B0702", "fixtures are files in folders"),
    ("B0703", "fixtures are files in folders"),
    ("B0704", "fixtures are files in folders"),
    (
        "B0900",
        "needs a report path that cannot be written (tests/ci.rs)",
    ),
    ("B0901", "is about command-line options (tests/ci.rs)"),
    (
        "B0902",
        "waivers are read by a whole run, not by the loader (tests/ci.rs)",
    ),
    (
        "B0903",
        "waivers are read by a whole run, not by the loader (tests/ci.rs)",
    ),
    ("B0904", "needs a waiver file beside a run (tests/ci.rs)"),
    ("B0905", "needs a baseline file (tests/ci.rs)"),
];

fn case_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/diagnostics")
}

/// One case: its name, the golden file, what it renders now and the codes it produced.
struct Outcome {
    name: String,
    golden: PathBuf,
    actual: String,
    codes: Vec<Code>,
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Compile a rule file as `buttress compile --no-stdlib FILE --param …` would.
fn run_rule_case(path: &Path) -> (String, Vec<Code>) {
    let name = file_name(path);
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut engine = buttress::Engine::new();
    engine.add_source(&name, &text);
    let params = path.with_extension("params");
    if let Ok(lines) = std::fs::read_to_string(&params) {
        for line in lines.lines().filter(|l| !l.trim().is_empty()) {
            let file = engine.sources_mut().add("--param", line);
            // The span of the name, as `load_rules` in src/cli/mod.rs makes it.
            let name_len = line.split('=').next().unwrap_or(line).len();
            let span = Span::new(file, 0..name_len.max(1).min(line.len().max(1)));
            match buttress::compile::parse_cli_override(line, span) {
                Ok(o) => engine.add_override(o),
                Err(d) => engine.push_diagnostic(d),
            }
        }
    }
    let ruleset = engine.compile();
    let diags = &ruleset.diagnostics;
    (
        render_all(&ruleset.sources, diags, ColorMode::Never),
        codes(diags),
    )
}

/// Load an input as `buttress check FILE` would, rendering its error or warnings.
fn run_input_case(path: &Path) -> (String, Vec<Code>) {
    let name = file_name(path);
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut sources = SourceMap::new();
    let diags = match buttress::input::load(&name, bytes, &buttress::input::LoadOptions::default())
    {
        Err(e) => {
            sources.add(name.as_str(), e.text);
            vec![e.diagnostic]
        }
        Ok(loaded) => {
            let text = loaded
                .documents
                .first()
                .map(|d| d.text.clone())
                .unwrap_or_default();
            sources.add(name.as_str(), text);
            loaded.warnings
        }
    };
    (
        render_all(&sources, &diags, ColorMode::Never),
        codes(&diags),
    )
}

fn codes(diags: &[Diagnostic]) -> Vec<Code> {
    diags.iter().map(|d| d.code).collect()
}

/// The case name of a case file, or `None` for other files.
fn case_name(file: &str) -> Option<&str> {
    [".btr", ".input.json", ".input.txt"]
        .iter()
        .find_map(|ext| file.strip_suffix(ext))
}

fn case_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(case_dir())
        .expect("tests/diagnostics exists")
        .flatten()
        .map(|e| e.path())
        .filter(|p| case_name(&file_name(p)).is_some())
        .collect();
    files.sort();
    files
}

fn run_all() -> Vec<Outcome> {
    case_files()
        .into_iter()
        .map(|path| {
            let file = file_name(&path);
            let name = case_name(&file).expect("a case file").to_string();
            let (actual, codes) = if file.ends_with(".btr") {
                run_rule_case(&path)
            } else {
                run_input_case(&path)
            };
            Outcome {
                golden: case_dir().join(format!("{name}.stderr")),
                name,
                actual,
                codes,
            }
        })
        .collect()
}

/// A line diff of expected and actual (longest common subsequence): `-` expected, `+` actual.
fn diff(expected: &str, actual: &str) -> String {
    let (e, a): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
    // lcs[i][j]: length of the longest common subsequence of e[i..] and a[j..].
    let mut lcs = vec![vec![0usize; a.len() + 1]; e.len() + 1];
    for i in (0..e.len()).rev() {
        for j in (0..a.len()).rev() {
            lcs[i][j] = if e[i] == a[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let mut lines = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < e.len() || j < a.len() {
        if i < e.len() && j < a.len() && e[i] == a[j] {
            lines.push(format!("   {}", e[i]));
            (i, j) = (i + 1, j + 1);
        } else if i < e.len() && (j == a.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            lines.push(format!("-  {}", e[i]));
            i += 1;
        } else {
            lines.push(format!("+  {}", a[j]));
            j += 1;
        }
    }
    lines.join("\n")
}

#[test]
fn diagnostics_match_their_golden_files() {
    let bless = std::env::var_os("BLESS").is_some_and(|v| !v.is_empty() && v != "0");
    let outcomes = run_all();
    assert!(!outcomes.is_empty(), "no cases in {}", case_dir().display());
    let mut failures = Vec::new();
    for o in &outcomes {
        let expected = std::fs::read_to_string(&o.golden).ok();
        if expected.as_deref() == Some(o.actual.as_str()) {
            continue;
        }
        if bless {
            std::fs::write(&o.golden, &o.actual)
                .unwrap_or_else(|e| panic!("{}: {e}", o.golden.display()));
            // Straight to the stream, past the test harness's capture, so it is always seen.
            let _ = writeln!(std::io::stderr(), "blessed {}", file_name(&o.golden));
            continue;
        }
        let message = match expected {
            None => format!(
                "{}: no {} (run with BLESS=1 to write it); it renders:\n{}",
                o.name,
                file_name(&o.golden),
                o.actual
            ),
            Some(expected) => format!(
                "{}: differs from {} (- expected, + actual):\n{}",
                o.name,
                file_name(&o.golden),
                diff(&expected, &o.actual)
            ),
        };
        failures.push((o.name.clone(), message));
    }
    // A golden file whose case is gone is stale.
    let names: Vec<&str> = outcomes.iter().map(|o| o.name.as_str()).collect();
    for entry in std::fs::read_dir(case_dir())
        .expect("tests/diagnostics exists")
        .flatten()
    {
        let file = file_name(&entry.path());
        if let Some(stem) = file.strip_suffix(".stderr") {
            if !names.contains(&stem) {
                failures.push((
                    stem.to_string(),
                    format!("{file} has no case beside it; remove it"),
                ));
            }
        }
    }
    if !failures.is_empty() {
        for (_, message) in &failures {
            eprintln!("{message}");
        }
        let names: Vec<&str> = failures.iter().map(|f| f.0.as_str()).collect();
        panic!(
            "{} of {} diagnostic cases do not match: {}\n(BLESS=1 cargo test --test diagnostics rewrites the goldens)",
            failures.len(),
            outcomes.len(),
            names.join(", ")
        );
    }
}

/// A case named after a code shows that code, and only diagnostics of that code.
#[test]
fn every_case_shows_the_code_it_is_named_for() {
    let mut wrong = Vec::new();
    for o in run_all() {
        let named = o.name.get(..5).and_then(Code::parse);
        let Some(named) = named else {
            wrong.push(format!("{}: the name does not start with a code", o.name));
            continue;
        };
        if o.codes.is_empty() || o.codes.iter().any(|&c| c != named) {
            let got: Vec<&str> = o.codes.iter().map(|c| c.as_str()).collect();
            wrong.push(format!(
                "{}: expected only {}, got [{}]",
                o.name,
                named.as_str(),
                got.join(", ")
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "cases that do not show their code:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn every_code_has_a_golden_case_or_a_reason() {
    let files: Vec<String> = case_files().iter().map(|p| file_name(p)).collect();
    let mut missing = Vec::new();
    for code in ALL_CODES {
        let code = code.as_str();
        let covered = files.iter().any(|f| f.starts_with(code));
        let excused = NOT_GOLDEN.iter().any(|(c, _)| *c == code);
        match (covered, excused) {
            (false, false) => missing.push(format!("{code} has no case and is not in NOT_GOLDEN")),
            (true, true) => missing.push(format!("{code} has a case; remove it from NOT_GOLDEN")),
            _ => {}
        }
    }
    for (code, reason) in NOT_GOLDEN {
        assert!(
            Code::parse(code).is_some(),
            "NOT_GOLDEN lists `{code}`, which is not a code"
        );
        assert!(!reason.is_empty(), "NOT_GOLDEN gives no reason for {code}");
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn every_code_is_explained() {
    let mut poor = Vec::new();
    for &code in ALL_CODES {
        let Some(text) = explanation(code) else {
            poor.push(format!(
                "{}: no `## {}` section in docs/diagnostics.md",
                code.as_str(),
                code.as_str()
            ));
            continue;
        };
        let heading = format!("## {} {}", code.as_str(), code.title());
        let first = text.lines().next().unwrap_or("");
        if first != heading {
            poor.push(format!(
                "{}: the heading is `{first}`, expected `{heading}`",
                code.as_str()
            ));
        }
        let body: Vec<&str> = text
            .lines()
            .skip(1)
            .filter(|l| !l.trim().is_empty())
            .collect();
        if body.len() < 4 || body.iter().map(|l| l.len()).sum::<usize>() < 200 {
            poor.push(format!("{}: the explanation is too short", code.as_str()));
        }
        if !text.contains("```") {
            poor.push(format!("{}: the explanation has no example", code.as_str()));
        }
    }
    assert!(poor.is_empty(), "{}", poor.join("\n"));
}

#[test]
fn the_codes_are_explained_in_table_order() {
    let docs = include_str!("../docs/diagnostics.md");
    let at: Vec<usize> = ALL_CODES
        .iter()
        .filter_map(|c| docs.find(&format!("\n## {} ", c.as_str())))
        .collect();
    assert_eq!(
        at.len(),
        ALL_CODES.len(),
        "every code has a `## Bxxxx title` heading"
    );
    assert!(
        at.windows(2).all(|w| w[0] < w[1]),
        "sections follow the order of codes.rs"
    );
}

// ── codes that need files or the command line: driven through the binary ───────────────

/// A fresh folder for one test under cargo's temporary directory.
fn scratch(test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("diagnostics")
        .join(test);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create a scratch folder");
    dir
}

fn write(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("create a folder");
    }
    std::fs::write(path, text).expect("write a scratch file");
}

/// Run the binary in `dir` without colour; returns the exit code, stdout and stderr.
fn buttress(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_buttress"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run buttress");
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (
        out.status.code().unwrap_or(-1),
        text(&out.stdout),
        text(&out.stderr),
    )
}

#[track_caller]
fn assert_shows(stderr: &str, wanted: &[&str]) {
    for w in wanted {
        assert!(stderr.contains(w), "expected `{w}` in:\n{stderr}");
    }
}

const GOOD_RULE: &str = r#"pack t

rule encrypted {
  pillar security
  practice "SEC08-BP02"
  risk high
  title "Volumes are encrypted"
  on cloudformation "AWS::EC2::Volume" as v {
    require v.Encrypted == true
  }
}
"#;

#[test]
fn b0601_a_missing_input_is_reported_and_the_others_checked() {
    let dir = scratch("b0601");
    write(&dir.join("ok.json"), "{}");
    let (code, _, stderr) = buttress(&dir, &["check", "--no-stdlib", "missing.json", "ok.json"]);
    assert_eq!(code, 2, "{stderr}");
    assert_shows(&stderr, &["error[B0601]", "`missing.json` does not exist"]);
}

#[test]
fn b0606_a_folder_without_inputs() {
    let dir = scratch("b0606");
    write(&dir.join("empty/notes.txt"), "not an input");
    let (code, _, stderr) = buttress(&dir, &["check", "--no-stdlib", "empty"]);
    assert_eq!(code, 2, "{stderr}");
    assert_shows(
        &stderr,
        &["error[B0606]", "no inputs in `empty`", ".json, .template"],
    );
}

#[test]
fn b0607_a_missing_rule_path() {
    let dir = scratch("b0607");
    write(&dir.join("stack.json"), "{}");
    let (code, _, stderr) = buttress(
        &dir,
        &["check", "--no-stdlib", "--rules", "nowhere", "stack.json"],
    );
    assert_eq!(code, 2, "{stderr}");
    assert_shows(&stderr, &["error[B0607]", "`nowhere` does not exist"]);
}

#[test]
fn b0505_an_invalid_configuration() {
    let dir = scratch("b0505");
    write(
        &dir.join("buttress.toml"),
        "no_stdlib = true\nrule = [\"org-rules\"]\n",
    );
    let (code, _, stderr) = buttress(&dir, &["compile", "--no-stdlib"]);
    assert_eq!(code, 2, "{stderr}");
    assert_shows(
        &stderr,
        &[
            "error[B0505]",
            "buttress.toml is not a valid configuration",
            "rule = ",
        ],
    );

    write(&dir.join("buttress.toml"), "no_stdlib = \"yes\"\n");
    let (code, _, stderr) = buttress(&dir, &["compile", "--no-stdlib"]);
    assert_eq!(code, 2, "{stderr}");
    assert_shows(&stderr, &["error[B0505]", "buttress.toml:1:"]);

    let (code, _, stderr) = buttress(&dir, &["compile", "--no-stdlib", "--config", "absent.toml"]);
    assert_eq!(code, 2, "{stderr}");
    assert_shows(&stderr, &["error[B0505]", "cannot read `absent.toml`"]);
}

#[test]
fn config_parameters_are_checked_like_command_line_ones() {
    let dir = scratch("config-params");
    write(
        &dir.join("rules/t.btr"),
        "pack t\n\nparam min_days: number = 7\n",
    );
    write(
        &dir.join("buttress.toml"),
        "no_stdlib = true\nrules = [\"rules\"]\n\n[params]\nmin_days = \"seven\"\nmax_days = 3\n",
    );
    let (code, _, stderr) = buttress(&dir, &["compile", "--no-stdlib"]);
    assert_eq!(code, 2, "{stderr}");
    assert_shows(
        &stderr,
        &[
            "error[B0502]",
            "parameter `min_days` is a number",
            "error[B0501]",
            "unknown parameter `max_days`",
        ],
    );
}

/// A rule pack with a fixture folder; `fixtures` maps file names to contents.
fn fixture_tree(test: &str, fixtures: &[(&str, &str)]) -> PathBuf {
    let dir = scratch(test);
    write(&dir.join("rules/t.btr"), GOOD_RULE);
    for (name, text) in fixtures {
        write(&dir.join("rules/fixtures").join(name), text);
    }
    dir
}

const VOLUME: &str =
    r#"{"Resources": {"Data": {"Type": "AWS::EC2::Volume", "Properties": {"Encrypted": true}}}}"#;

#[test]
fn b0701_a_fixture_for_an_unknown_rule() {
    let dir = fixture_tree("b0701", &[("t.encrypt/pass.json", VOLUME)]);
    let (code, _, stderr) = buttress(&dir, &["test", "rules", "--no-stdlib"]);
    assert_eq!(code, 1, "{stderr}");
    assert_shows(
        &stderr,
        &[
            "error[B0701]",
            "no rule `t.encrypt` is loaded",
            "full rule id",
        ],
    );
}

#[test]
fn b0702_a_fixture_name_without_an_outcome() {
    let dir = fixture_tree("b0702", &[("t.encrypted/encrypted.json", VOLUME)]);
    let (code, _, stderr) = buttress(&dir, &["test", "rules", "--no-stdlib"]);
    assert_eq!(code, 1, "{stderr}");
    assert_shows(
        &stderr,
        &["error[B0702]", "does not start with pass, fail or unknown"],
    );
}

#[test]
fn b0703_a_fixture_with_another_outcome() {
    let dir = fixture_tree("b0703", &[("t.encrypted/fail-encrypted.json", VOLUME)]);
    let (code, _, stderr) = buttress(&dir, &["test", "rules", "--no-stdlib"]);
    assert_eq!(code, 1, "{stderr}");
    assert_shows(
        &stderr,
        &[
            "error[B0703]",
            "expected `fail` from `t.encrypted`, got no finding",
        ],
    );
}

#[test]
fn b0704_a_fixture_without_a_resource_of_its_rule() {
    let bucket = r#"{"Resources": {"Logs": {"Type": "AWS::S3::Bucket"}}}"#;
    let dir = fixture_tree("b0704", &[("t.encrypted/pass-bucket.json", bucket)]);
    let (code, _, stderr) = buttress(&dir, &["test", "rules", "--no-stdlib"]);
    assert_eq!(code, 1, "{stderr}");
    assert_shows(
        &stderr,
        &[
            "error[B0704]",
            "rule `t.encrypted` selected no resource here",
        ],
    );

    let dir = fixture_tree("b0704-required", &[("t.encrypted/pass.json", VOLUME)]);
    let (code, _, stderr) = buttress(
        &dir,
        &["test", "rules", "--no-stdlib", "--require-fixtures"],
    );
    assert_eq!(code, 1, "{stderr}");
    assert_shows(
        &stderr,
        &["error[B0704]", "rule `t.encrypted` has no `fail` fixture"],
    );
}

#[test]
fn explain_prints_the_section_of_a_code() {
    let dir = scratch("explain");
    let (code, stdout, stderr) = buttress(&dir, &["explain", "b0201"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.starts_with("B0201 unknown name\n"), "{stdout}");
    assert!(!stdout.contains("## B0202"), "{stdout}");
}

/// Known bug in src/syntax/depth.rs: operators count as nesting levels that only a closing
/// bracket gives back, so a flat file with more than 200 operators outside brackets (101 short
/// predicates here, or about 100 `require`s in one `on` block) is refused with B0104.
#[test]
fn many_flat_predicates_are_not_nested_too_deeply() {
    let mut src = String::from("pack t\n\n");
    for i in 0..101 {
        src.push_str(&format!("pred p{i}(x) = x == {i}\n"));
    }
    let mut engine = buttress::Engine::new();
    engine.add_source("flat.btr", &src);
    let rules = engine.compile();
    assert!(
        rules.diagnostics.is_empty(),
        "{}",
        render_all(&rules.sources, &rules.diagnostics, ColorMode::Never)
    );
}
