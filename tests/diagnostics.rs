//! Golden tests of diagnostics: every case under `tests/diagnostics/` is compiled (rule files)
//! or loaded (inputs), its diagnostics rendered without colour and compared with the
//! `<case>.stderr` beside it.
//!
//! - `<case>.btr`: a rule file, compiled without the standard library; a sibling
//!   `<case>.params` holds `NAME=VALUE` overrides, one a line, applied as `--param` would.
//! - `<case>.input.json` / `<case>.input.txt`: an input loaded with `InputFormat::Auto`.
//! - `<case>.workload.toml`: a workload file as `buttress review` parses it.
//! - `<case>.lens.json`: a custom lens as `buttress lens import` reads it.
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
    (
        "B0209",
        "needs a rule file on disk beside the standard library",
    ),
    ("B0505", "reads buttress.toml from disk"),
    ("B0506", "needs a check with a filter or a rule folder"),
    ("B0601", "needs a missing or unreadable input"),
    ("B0606", "needs a folder without inputs"),
    ("B0607", "needs a missing rule path"),
    (
        "B0608",
        "needs a stream over the line limit (tests/hostile.rs)",
    ),
    (
        "B0609",
        "needs an input over the size limit (tests/hostile.rs)",
    ),
    ("B0701", "fixtures are files in folders"),
    ("B0702", "fixtures are files in folders"),
    ("B0703", "fixtures are files in folders"),
    ("B0704", "fixtures are files in folders"),
    ("B0710", "fixtures are files in folders"),
    ("B0711", "fixtures are files in folders"),
    ("B0712", "fixtures are files in folders"),
    ("B0713", "fixtures are files in folders"),
    ("B0714", "fixtures are files in folders"),
    ("B0715", "fixtures are files in folders"),
    ("B0716", "fixtures are files in folders"),
    ("B0801", "formatting checks files on disk"),
    (
        "B0802",
        "needs a layout the formatter gets wrong: it has none known",
    ),
    ("B0803", "a command-line argument of `buttress new`"),
    ("B0804", "needs files on disk"),
    ("B1006", "needs a missing workload file"),
    ("B1007", "milestones are files in folders"),
    ("B1008", "needs an existing workload file"),
    ("B1009", "needs a ListAnswers file beside a workload file"),
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

/// Parse a workload file as `buttress review FILE` would.
fn run_workload_case(path: &Path) -> (String, Vec<Code>) {
    let name = file_name(path);
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut sources = SourceMap::new();
    let file = sources.add(name.as_str(), text.clone());
    let (_, diags) = buttress::review::workload::parse(file, &text);
    (
        render_all(&sources, &diags, ColorMode::Never),
        codes(&diags),
    )
}

/// Read a lens as `buttress lens import FILE` would.
fn run_lens_case(path: &Path) -> (String, Vec<Code>) {
    let name = file_name(path);
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut sources = SourceMap::new();
    let file = sources.add(name.as_str(), text.clone());
    let (_, diags) = buttress::review::lens::validate::read(file, &text);
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
    [
        ".btr",
        ".input.json",
        ".input.txt",
        ".workload.toml",
        ".lens.json",
    ]
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
            } else if file.ends_with(".workload.toml") {
                run_workload_case(&path)
            } else if file.ends_with(".lens.json") {
                run_lens_case(&path)
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
        .env("BUTTRESS_TODAY", "2026-12-02")
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
    write(&dir.join("rule.btr"), GOOD_RULE);
    let (code, _, stderr) = buttress(
        &dir,
        &[
            "check",
            "--no-stdlib",
            "--rules",
            "rule.btr",
            "missing.json",
            "ok.json",
        ],
    );
    assert_eq!(code, 2, "{stderr}");
    assert_shows(&stderr, &["error[B0601]", "`missing.json` does not exist"]);
}

#[test]
fn b0606_a_folder_without_inputs() {
    let dir = scratch("b0606");
    write(&dir.join("empty/notes.txt"), "not an input");
    write(&dir.join("rule.btr"), GOOD_RULE);
    let (code, _, stderr) = buttress(
        &dir,
        &["check", "--no-stdlib", "--rules", "rule.btr", "empty"],
    );
    assert_eq!(code, 2, "{stderr}");
    assert_shows(&stderr, &["error[B0606]", "no inputs in `empty`", ".json"]);
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
        &[
            "error[B0702]",
            "does not start with pass, fail, unknown or skip",
        ],
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

/// Known bug in lang/src/syntax/depth.rs: operators count as nesting levels that only a closing
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

/// A rule folder with `GOOD_RULE`, two volumes in a fixture and the given expect.toml.
fn fixture_case(test: &str, expect: &str) -> PathBuf {
    let dir = scratch(test);
    write(&dir.join("rules/t.btr"), GOOD_RULE);
    let volumes = r#"{"Resources": {
        "Plain": {"Type": "AWS::EC2::Volume", "Properties": {"Encrypted": false}},
        "Sealed": {"Type": "AWS::EC2::Volume", "Properties": {"Encrypted": true}}
    }}"#;
    write(
        &dir.join("rules/fixtures/t.encrypted/fail-plain.json"),
        volumes,
    );
    write(&dir.join("rules/fixtures/t.encrypted/expect.toml"), expect);
    dir
}

fn test_rules(dir: &Path) -> (i32, String, String) {
    buttress(dir, &["test", "--no-stdlib", "rules"])
}

#[test]
fn b0710_to_b0715_expectations_of_a_fixture() {
    let dir = fixture_case("b0710", "[fail-plain]\nfails = [\"Plain\"]\n");
    let (code, _, stderr) = test_rules(&dir);
    assert_eq!(code, 1, "{stderr}");
    assert_shows(&stderr, &["error[B0710]", "unknown field `fails`"]);

    let dir = fixture_case(
        "b0711",
        "[fail-plain]\nfail = [\"Plain\"]\n[fail-gone]\nfail = []\n",
    );
    let (code, stdout, stderr) = test_rules(&dir);
    assert_eq!(code, 1, "{stderr}");
    assert_shows(&stderr, &["error[B0711]", "`[fail-gone]` names no fixture"]);
    assert_shows(&stdout, &["ok      t.encrypted"]);

    let dir = fixture_case(
        "b0713",
        "[fail-plain]\nfail = [\"Sealed\"]\npass = [\"Plain\"]\n",
    );
    let (code, _, stderr) = test_rules(&dir);
    assert_eq!(code, 1, "{stderr}");
    assert_shows(
        &stderr,
        &[
            "error[B0713]",
            "expected fail `Sealed`, got `Plain`",
            "`Plain` must pass, but it has a finding",
            // The finding is shown with its snippet, as `check` shows it.
            "error[t.encrypted]: Volumes are encrypted",
            "\"Encrypted\": false",
        ],
    );

    let dir = fixture_case(
        "b0714",
        "[fail-plain]\nfail = [\"Plain\"]\nmessage = \"is open\"\n",
    );
    let (code, _, stderr) = test_rules(&dir);
    assert_eq!(code, 1, "{stderr}");
    assert_shows(
        &stderr,
        &[
            "error[B0714]",
            "expected the message to contain \"is open\"",
        ],
    );

    let dir = fixture_case("b0715", "[fail-plain]\nfindings = 2\n");
    let (code, _, stderr) = test_rules(&dir);
    assert_eq!(code, 1, "{stderr}");
    assert_shows(
        &stderr,
        &[
            "error[B0715]",
            "expected 2 findings from `t.encrypted`, got 1",
        ],
    );

    let dir = fixture_case(
        "b0713-ok",
        "[fail-plain]\nfail = [\"Plain\"]\npass = [\"Sealed\"]\nfindings = 1\npattern = \"does not hold$\"\n",
    );
    let (code, stdout, stderr) = test_rules(&dir);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_shows(&stdout, &["1 passed, 0 failed"]);
}

#[test]
fn b0712_b0716_refused_and_skip_fixtures() {
    let dir = fixture_case("b0712", "");
    write(&dir.join("rules/fixtures/fail-stray.json"), "{}");
    // A sub-folder of a rule's folder is searched.
    write(
        &dir.join("rules/fixtures/t.encrypted/more/skip-bucket.json"),
        r#"{"Resources": {"B": {"Type": "AWS::S3::Bucket"}}}"#,
    );
    write(
        &dir.join("rules/fixtures/t.encrypted/skip-volume.json"),
        r#"{"Resources": {"V": {"Type": "AWS::EC2::Volume", "Properties": {"Encrypted": true}}}}"#,
    );
    let (code, stdout, stderr) = test_rules(&dir);
    assert_eq!(code, 1, "{stderr}");
    assert_shows(
        &stderr,
        &[
            "error[B0712]",
            "fail-stray.json: a fixture outside a rule's folder",
        ],
    );
    assert_shows(
        &stderr,
        &[
            "error[B0716]",
            "skip-volume.json: expected `t.encrypted` to check no resource, but it checked 1",
        ],
    );
    assert_shows(
        &stdout,
        &["ok      t.encrypted  rules/fixtures/t.encrypted/more/skip-bucket.json"],
    );
}

#[test]
fn fixture_parameters_and_one_rule() {
    let dir = scratch("fixture-params");
    write(
        &dir.join("rules/t.btr"),
        r#"pack t

param min_size: number = 10

rule big {
  pillar cost_optimization
  practice "COST03-BP02"
  risk low
  title "Volumes are big enough"
  on cloudformation "AWS::EC2::Volume" as v {
    require v.Size >= min_size
  }
}
"#,
    );
    let small = r#"{"Resources": {"V": {"Type": "AWS::EC2::Volume", "Properties": {"Size": 5}}}}"#;
    write(&dir.join("rules/fixtures/t.big/fail-small.json"), small);
    write(
        &dir.join("rules/fixtures/t.big/pass-small-allowed.json"),
        small,
    );
    write(
        &dir.join("rules/fixtures/t.big/expect.toml"),
        "[pass-small-allowed]\nparams = { min_size = 1 }\n",
    );
    let (code, stdout, stderr) =
        buttress(&dir, &["test", "--no-stdlib", "rules", "--rule", "t.big"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_shows(&stdout, &["2 passed, 0 failed"]);
    let (_, stdout, _) = buttress(&dir, &["test", "--no-stdlib", "rules", "--rule", "t.other"]);
    assert_shows(&stdout, &["0 passed, 0 failed"]);
}

#[test]
fn fixture_dates_and_the_today_option_set_what_today_returns() {
    let dir = scratch("fixture-today");
    write(
        &dir.join("rules/t.btr"),
        r#"pack t

param retired_on: string = "2026-04-30"

rule current {
  pillar performance_efficiency
  practice "PERF02-BP01"
  risk low
  title "The runtime is still supported"
  on cloudformation "AWS::Lambda::Function" as f {
    require today() < retired_on
      else "{name(f)} runs a runtime retired on {retired_on} (today is {today()})"
  }
}
"#,
    );
    let doc = r#"{"Resources": {"F": {"Type": "AWS::Lambda::Function", "Properties": {}}}}"#;
    write(&dir.join("rules/fixtures/t.current/fail-after.json"), doc);
    write(&dir.join("rules/fixtures/t.current/pass-before.json"), doc);
    write(
        &dir.join("rules/fixtures/t.current/expect.toml"),
        "[fail-after]\nfail = [\"F\"]\ntoday = \"2026-05-01\"\nmessage = \"today is 2026-05-01\"\n\n[pass-before]\ntoday = \"2026-04-29\"\n",
    );
    let (code, stdout, stderr) = buttress(&dir, &["test", "--no-stdlib", "rules"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_shows(&stdout, &["2 passed, 0 failed"]);

    // `--today` decides for `check`; a date that is not one is refused.
    write(&dir.join("f.json"), doc);
    let run = |today: &str| {
        buttress(
            &dir,
            &[
                "check",
                "f.json",
                "--no-stdlib",
                "--rules",
                "rules",
                "--today",
                today,
            ],
        )
    };
    let (code, _, _) = run("2026-04-29");
    assert_eq!(code, 0);
    let (code, stdout, _) = run("2026-04-30");
    assert_eq!(code, 1);
    assert_shows(
        &stdout,
        &["F runs a runtime retired on 2026-04-30 (today is 2026-04-30)"],
    );
    let (code, _, stderr) = run("2026-02-30");
    assert_eq!(code, 2, "{stderr}");
    assert_shows(&stderr, &["a date written YYYY-MM-DD"]);

    // A fixture date that is not a date is an error of the expect file, not a silent default.
    write(
        &dir.join("rules/fixtures/t.current/expect.toml"),
        "[pass-before]\ntoday = \"tomorrow\"\n",
    );
    let (code, _, stderr) = buttress(&dir, &["test", "--no-stdlib", "rules"]);
    assert_eq!(code, 1, "{stderr}");
    assert_shows(
        &stderr,
        &[
            "error[B0",
            "[pass-before] today = \"tomorrow\" is not a date written YYYY-MM-DD",
        ],
    );
}

#[test]
fn b0801_fmt_check_names_an_unformatted_file_and_fmt_fixes_it() {
    let dir = scratch("b0801");
    let messy = GOOD_RULE.replace("require v.Encrypted == true", "require v.Encrypted==true");
    write(&dir.join("rules/t.btr"), &messy);
    let (code, _, stderr) = buttress(&dir, &["fmt", "--check", "rules"]);
    assert_eq!(code, 1, "{stderr}");
    assert_shows(&stderr, &["error[B0801]", "`rules/t.btr` is not formatted"]);
    let (code, stdout, stderr) = buttress(&dir, &["fmt", "rules"]);
    assert_eq!(code, 0, "{stderr}");
    assert_shows(&stdout, &["formatted rules/t.btr"]);
    let now = std::fs::read_to_string(dir.join("rules/t.btr")).unwrap();
    assert!(
        now.contains("  pillar   security\n") && now.contains("v.Encrypted == true"),
        "{now}"
    );
    let (code, _, stderr) = buttress(&dir, &["fmt", "--check", "rules"]);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn b0803_b0804_new_rule_refuses_a_bad_id_and_an_existing_rule() {
    let dir = scratch("b0803");
    let new = |id: &str| {
        buttress(
            &dir,
            &[
                "new",
                "rule",
                id,
                "--pillar",
                "reliability",
                "--practice",
                "REL09-BP02",
            ],
        )
    };
    let (code, _, stderr) = new("versioned");
    assert_eq!(code, 2, "{stderr}");
    assert_shows(&stderr, &["error[B0803]", "`versioned` is not a rule id"]);
    let (code, _, stderr) = new("org.s3.versioned");
    assert_eq!(code, 0, "{stderr}");
    let (code, _, stderr) = new("org.s3.versioned");
    assert_eq!(code, 2, "{stderr}");
    assert_shows(
        &stderr,
        &["error[B0804]", "fixtures/org.s3.versioned` exists already"],
    );
    let (code, _, stderr) = buttress(
        &dir,
        &[
            "new",
            "rule",
            "org.s3.x",
            "--pillar",
            "reliability",
            "--practice",
            "SEC08-BP02",
        ],
    );
    assert_eq!(code, 2, "{stderr}");
    assert_shows(
        &stderr,
        &[
            "error[B0306]",
            "a best practice of security, not reliability",
        ],
    );
}

#[test]
fn a_json_lines_fixture_is_one_document_a_line() {
    let dir = fixture_case("stream-fixture", "[fail-lines]\nfail = [\"Plain\"]\n");
    std::fs::remove_file(dir.join("rules/fixtures/t.encrypted/fail-plain.json")).unwrap();
    write(
        &dir.join("rules/fixtures/t.encrypted/fail-lines.jsonl"),
        "{\"Resources\": {\"Sealed\": {\"Type\": \"AWS::EC2::Volume\", \"Properties\": {\"Encrypted\": true}}}}\n\n{\"Resources\": {\"Plain\": {\"Type\": \"AWS::EC2::Volume\", \"Properties\": {\"Encrypted\": false}}}}\n",
    );
    let (code, stdout, stderr) = test_rules(&dir);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_shows(&stdout, &["1 passed, 0 failed"]);
    // A wrong expectation shows the finding at its line of the stream.
    write(
        &dir.join("rules/fixtures/t.encrypted/expect.toml"),
        "[fail-lines]\nfail = [\"Sealed\"]\n",
    );
    let (code, _, stderr) = test_rules(&dir);
    assert_eq!(code, 1, "{stderr}");
    assert_shows(&stderr, &["error[B0713]", "fail-lines.jsonl:3:"]);
}

#[test]
fn b0209_a_pack_replacing_a_standard_pack_is_noted() {
    let dir = scratch("b0209");
    write(
        &dir.join("mine.btr"),
        &GOOD_RULE.replace("pack t", "pack security.data_at_rest"),
    );
    let (code, _, stderr) = buttress(&dir, &["compile", "--rules", "mine.btr"]);
    assert_eq!(code, 0, "{stderr}");
    assert_shows(
        &stderr,
        &[
            "warning[B0209]",
            "replaces the standard library's pack",
            "--replace-pack",
        ],
    );
}

#[test]
fn b0506_a_filter_that_admits_no_rule() {
    let dir = scratch("b0506");
    write(&dir.join("v.json"), "{}");
    let (code, _, stderr) = buttress(&dir, &["check", "v.json", "--rule", "no.such.rule"]);
    assert_eq!(code, 2, "{stderr}");
    assert_shows(&stderr, &["error[B0506]", "`buttress rules` lists"]);
}
